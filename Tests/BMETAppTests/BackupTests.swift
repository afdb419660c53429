@testable import BMETApp
import Fluent
import Foundation
import Testing
import Vapor

/// `bmet backup` and `bmet restore` on a SQLite file: a round trip brings back the database, keys and uploads.
@Suite("Backup and restore")
struct BackupTests {
    /// An app on a SQLite file in a fresh data folder, as `bmet serve` runs by default.
    static func withFileApp(_ test: (Application, String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bmet-backup-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = folder + "/data"
        let app = try await Application.make(.testing)
        app.directory = DirectoryConfiguration(workingDirectory: packageRoot)
        app.logger.logLevel = .warning
        do {
            try await configure(app, settings: AppSettings(database: .sqliteFile(path: data + "/bmet.sqlite"), dataDirectory: data, baseURL: "http://bmet.test",
                                                           bcryptCost: 4, runBackgroundJobs: false, databasePoolSize: 4))
            try await app.autoMigrate()
            try await test(app, folder)
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    @Test("a backup taken while the app runs restores the database, the keys and the uploads; the replaced data is kept aside")
    func roundTrip() async throws {
        try await Self.withFileApp { app, folder in
            let data = app.settings.dataDirectory
            _ = try await Make.world(app)
            try await AuditLog.record(.roleChanged, .user(nil), "Before the backup", actorLabel: "tester", on: app.db)
            let evidence = data + "/uploads/evidence/scan.pdf"
            try FileManager.default.createDirectory(atPath: data + "/uploads/evidence", withIntermediateDirectories: true)
            try Data("%PDF-1.4 evidence".utf8).write(to: URL(fileURLWithPath: evidence))
            let key = try Data(contentsOf: URL(fileURLWithPath: data + "/keys/data.key"))

            let backup = folder + "/backup"
            let manifest = try await Backup.create(app: app, to: backup)
            #expect(manifest.database == "sqlite")
            #expect(manifest.files.map(\.path).contains("bmet.sqlite"))
            #expect(manifest.files.map(\.path).contains("files/uploads/evidence/scan.pdf"))
            #expect(manifest.files.map(\.path).contains("files/keys/data.key"))
            let employersAtBackup = try await Employer.query(on: app.db).count()

            // Life goes on after the backup: a new employer, a new audit line, a file replaced.
            _ = try await Make.employer(app, name: "After The Backup Inc.")
            try await AuditLog.record(.roleChanged, .user(nil), "After the backup", actorLabel: "tester", on: app.db)
            try FileManager.default.removeItem(atPath: evidence)
            try Data("later".utf8).write(to: URL(fileURLWithPath: data + "/uploads/evidence/later.pdf"))

            let restored = try await Backup.restore(app: app, from: backup)
            #expect(try await Employer.query(on: app.db).count() == employersAtBackup)
            #expect(try await Employer.query(on: app.db).filter(\.$name == "After The Backup Inc.").first() == nil)
            let chain = try await AuditLog.verify(on: app.db)
            #expect(chain.problem == nil)
            #expect(chain.rowsChecked == 1)
            #expect(FileManager.default.contents(atPath: evidence) == Data("%PDF-1.4 evidence".utf8))
            #expect(!FileManager.default.fileExists(atPath: data + "/uploads/evidence/later.pdf"))
            #expect(try Data(contentsOf: URL(fileURLWithPath: data + "/keys/data.key")) == key)
            // Nothing is lost: the replaced database and files are set aside.
            #expect(FileManager.default.fileExists(atPath: restored.setAside + "/bmet.sqlite"))
            #expect(FileManager.default.fileExists(atPath: restored.setAside + "/uploads/evidence/later.pdf"))
        }
    }

    @Test("a damaged or incomplete backup is refused before anything is replaced; a used folder is not overwritten")
    func damagedBackups() async throws {
        try await Self.withFileApp { app, folder in
            _ = try await Make.world(app)
            let backup = folder + "/backup"
            _ = try await Backup.create(app: app, to: backup)

            await #expect(throws: Backup.Failure.self) { _ = try await Backup.create(app: app, to: backup) }

            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: backup + "/bmet.sqlite"))
            try handle.seek(toOffset: 200)
            try handle.write(contentsOf: Data([0xFF, 0xFF, 0xFF]))
            try handle.close()
            do {
                _ = try await Backup.restore(app: app, from: backup)
                Issue.record("A damaged backup was restored")
            } catch let failure as Backup.Failure {
                #expect(failure.description == "bmet.sqlite does not match the manifest: the backup is damaged.")
            }
            // The live database was not touched.
            #expect(try await Employer.query(on: app.db).count() == 2)

            try FileManager.default.removeItem(atPath: backup + "/manifest.json")
            #expect(throws: Backup.Failure.self) { _ = try Backup.check(backup) }
        }
    }

    @Test("on PostgreSQL the backup copies the files and leaves the database to pg_dump; an in-memory database is refused")
    func otherDatabases() async throws {
        try await withTestApp { app in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bmet-backup-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            if case .postgres = app.settings.database {
                let manifest = try await Backup.create(app: app, to: folder)
                #expect(manifest.database == "postgresql")
                #expect(manifest.migrations == AppMigrations.all.count)
                #expect(manifest.files.map(\.path).contains("files/keys/data.key"))
                #expect(!manifest.files.map(\.path).contains("bmet.sqlite"))
            } else if case .sqliteMemory = app.settings.database {
                await #expect(throws: Backup.Failure.self) { _ = try await Backup.create(app: app, to: folder) }
            } else {
                // A SQLite file (BMET_TEST_SQLITE=file): the file backup is the first test's subject.
                #expect(try await Backup.create(app: app, to: folder).database == "sqlite")
            }
        }
    }
}
