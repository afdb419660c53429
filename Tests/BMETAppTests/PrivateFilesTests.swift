@testable import BMETApp
import Fluent
import Foundation
import Testing
import Vapor

/// The database, its write-ahead log and backups are readable by the owner only.
@Suite("Private files")
struct PrivateFilesTests {
    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
    }

    @Test("the SQLite file, its -wal and -shm, and every file of a backup are 0600")
    func modes() async throws {
        try await BackupTests.withFileApp { app, folder in
            guard case .sqliteFile(let path) = app.settings.database else { Issue.record("not a file database"); return }
            _ = try await Make.employer(app)
            for file in [path, path + "-wal", path + "-shm"] {
                #expect(FileManager.default.fileExists(atPath: file), "\(file)")
                #expect(try Self.mode(file) == 0o600, "\(file)")
            }
            let backup = folder + "/backup"
            let manifest = try await Backup.create(app: app, to: backup)
            for file in manifest.files {
                #expect(try Self.mode(backup + "/" + file.path) == 0o600, "\(file.path)")
            }
            #expect(try Self.mode(backup + "/" + Backup.manifestFile) == 0o600)
        }
    }

    @Test("a database file left 0644 by an older version is tightened at start")
    func tightensExisting() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bmet-mode-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/bmet.sqlite"
        FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644])
        #expect(try Self.mode(path) == 0o644)
        let app = try await Application.make(.testing)
        app.directory = DirectoryConfiguration(workingDirectory: packageRoot)
        app.logger.logLevel = .warning
        do {
            try await configure(app, settings: AppSettings(database: .sqliteFile(path: path), dataDirectory: folder, baseURL: "http://bmet.test",
                                                           bcryptCost: 4, runBackgroundJobs: false, databasePoolSize: 1))
            #expect(try Self.mode(path) == 0o600)
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
