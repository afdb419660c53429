import Foundation
import Vapor

/// Résumés uploaded with the interest form: PDF only, size-limited, checked by content (not by name),
/// stored under a random name in the data directory, outside the public folder.
enum ResumeStore {
    static let maxBytes = 2 * 1024 * 1024

    enum Problem: Error { case tooLarge, notPDF, empty }

    /// Checks the content itself: a PDF that Poppler can open, with no markup a browser would run (`FileContent`).
    static func check(_ data: Data) async -> Problem? {
        if data.isEmpty { return .empty }
        if data.count > maxBytes { return .tooLarge }
        return await FileContent.identifyOffThread(data) == .pdf ? nil : .notPDF
    }

    static func directory(_ settings: AppSettings) -> String { settings.dataDirectory + "/uploads/resumes" }

    /// Saves the file and returns its stored name.
    static func save(_ data: Data, settings: AppSettings) throws -> String {
        let directory = directory(settings)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let name = UUID().uuidString.lowercased() + ".pdf"
        guard FileManager.default.createFile(atPath: directory + "/" + name, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw Abort(.internalServerError, reason: "The résumé could not be stored.")
        }
        return name
    }

    static func path(of name: String, settings: AppSettings) -> String? {
        // Stored names are UUIDs we made; anything else is refused rather than joined into a path.
        guard name.range(of: #"^[0-9a-f-]{36}\.pdf$"#, options: .regularExpression) != nil else { return nil }
        return directory(settings) + "/" + name
    }
}
