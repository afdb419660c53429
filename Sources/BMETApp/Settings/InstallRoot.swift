import Foundation

/// The folder holding the platform's own files — `Resources/` (templates, the OpenAPI document), `Public/` (the
/// stylesheet) and `standards/` — so `bmet` serves every page whatever folder it is started from. In order:
/// `BMET_ROOT` when set; the working directory when it holds them (a checkout); otherwise the executable's own folder
/// and the folders above it (a release binary copied with its resources, or `.build/release/bmet` in a checkout).
public enum InstallRoot {
    /// The file whose presence marks a root: every page extends it.
    static let marker = "Resources/Views/base.leaf"

    public struct NotFound: Error, CustomStringConvertible {
        public let description: String
    }

    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              workingDirectory: String = FileManager.default.currentDirectoryPath,
                              executable: String? = Bundle.main.executableURL?.path) -> Result<String, NotFound> {
        if let root = environment["BMET_ROOT"], !root.isEmpty {
            return holdsResources(root) ? .success(normalized(root))
                : .failure(NotFound(description: "BMET_ROOT is \(root), but \(root)/\(marker) does not exist: set it to the folder that holds Resources/ and Public/."))
        }
        if holdsResources(workingDirectory) { return .success(normalized(workingDirectory)) }
        if let executable {
            var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 {
                if holdsResources(folder.path) { return .success(normalized(folder.path)) }
                folder.deleteLastPathComponent()
            }
        }
        return .failure(NotFound(description: "Cannot find the platform's Resources/ and Public/ folders (looked in \(workingDirectory) and beside \(executable ?? "the executable")): set BMET_ROOT to the folder that holds them."))
    }

    static func holdsResources(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(marker))
    }

    /// With the trailing slash `DirectoryConfiguration` expects.
    static func normalized(_ folder: String) -> String {
        let absolute = folder.hasPrefix("/") ? folder : FileManager.default.currentDirectoryPath + "/" + folder
        return absolute.hasSuffix("/") ? absolute : absolute + "/"
    }
}
