@testable import BMETApp
import Foundation
import Testing

/// `bmet` finds its templates, stylesheet and standards wherever it is started from.
@Suite("Install root")
struct InstallRootTests {
    /// A folder with the marker file, and another without.
    static func folders() throws -> (install: String, elsewhere: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("bmet-root-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: base + "/install/Resources/Views", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: base + "/install/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: base + "/elsewhere", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: base + "/install/Resources/Views/base.leaf", contents: Data())
        return (base + "/install", base + "/elsewhere")
    }

    @Test("BMET_ROOT first, then the working directory, then beside the executable and above it")
    func order() throws {
        let (install, elsewhere) = try Self.folders()
        defer { try? FileManager.default.removeItem(atPath: (install as NSString).deletingLastPathComponent) }
        #expect(try InstallRoot.locate(environment: ["BMET_ROOT": install], workingDirectory: elsewhere, executable: nil).get() == install + "/")
        #expect(try InstallRoot.locate(environment: [:], workingDirectory: install, executable: nil).get() == install + "/")
        // Started from another folder: found from the executable in install/bin.
        #expect(try InstallRoot.locate(environment: [:], workingDirectory: elsewhere, executable: install + "/bin/bmet").get() == install + "/")
        // A checkout's own packageRoot holds them too.
        #expect(try InstallRoot.locate(environment: [:], workingDirectory: elsewhere, executable: packageRoot + ".build/debug/bmet").get() == packageRoot)
    }

    @Test("a wrong BMET_ROOT or nothing found is a clear error, not pages answering 500")
    func notFound() throws {
        let (install, elsewhere) = try Self.folders()
        defer { try? FileManager.default.removeItem(atPath: (install as NSString).deletingLastPathComponent) }
        guard case .failure(let wrong) = InstallRoot.locate(environment: ["BMET_ROOT": elsewhere], workingDirectory: install, executable: nil) else {
            Issue.record("a BMET_ROOT without resources was accepted"); return
        }
        #expect(wrong.description.contains("BMET_ROOT is \(elsewhere)"))
        guard case .failure(let none) = InstallRoot.locate(environment: [:], workingDirectory: elsewhere, executable: elsewhere + "/bmet") else {
            Issue.record("a folder without resources was accepted"); return
        }
        #expect(none.description.contains("set BMET_ROOT"))
    }
}
