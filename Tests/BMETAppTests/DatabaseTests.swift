@testable import BMETApp
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@Suite("Database behaviour")
struct DatabaseTests {
    @Test("foreign keys are enforced: a person cannot point at a missing employer")
    func foreignKeys() async throws {
        try await withTestApp { app in
            let orphan = User(email: "orphan@example.org", fullName: "Orphan", passwordHash: "x", role: .mentor, employerID: UUID())
            await #expect(throws: (any Error).self) { try await orphan.create(on: app.db) }
            let count = try await User.query(on: app.db).count()
            #expect(count == 0)
        }
    }

    @Test("a SQLite file database runs in WAL mode")
    func walMode() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bmet-wal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withFileApp(path: directory.path + "/bmet.sqlite") { app in
            let row = try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode").first()
            #expect(try row?.decode(column: "journal_mode", as: String.self) == "wal")
        }
    }

    @Test("two app instances on one database serve the same signed-in user")
    func sessionsAcrossInstances() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bmet-two-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.path + "/bmet.sqlite"
        let cookies = try await withFileApp(path: path) { first in
            let admin = try await Make.user(first, role: .programAdmin)
            let browser = Browser(first)
            #expect(try await browser.signIn(admin.email).status == .seeOther)
            return browser.cookies
        }
        try await withFileApp(path: path, migrate: false) { second in
            let browser = Browser(second)
            browser.cookies = cookies
            let dashboard = try await browser.get("/dashboard")
            #expect(dashboard.status == .ok)
            #expect(dashboard.text.contains("Program administrator"))
        }
    }

    /// An app on a SQLite file, configured as `bmet serve` would be.
    private func withFileApp<T>(path: String, migrate: Bool = true, _ body: (Application) async throws -> T) async throws -> T {
        let app = try await Application.make(.testing)
        app.directory = DirectoryConfiguration(workingDirectory: packageRoot)
        app.logger.logLevel = .warning
        do {
            try await configure(app, settings: AppSettings(database: .sqliteFile(path: path), bcryptCost: 4, runBackgroundJobs: false))
            if migrate { try await app.autoMigrate() }
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
