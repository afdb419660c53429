@testable import BMETApp
import Fluent
import Testing
import VaporTesting

@Suite("Migrations")
struct MigrationTests {
    @Test("migrate, revert everything, migrate again")
    func roundTrip() async throws {
        try await withTestApp { app in
            _ = try await Make.world(app)
            try await app.autoRevert()
            // After a revert the tables are gone: a query must fail.
            await #expect(throws: (any Error).self) { _ = try await User.query(on: app.db).count() }
            try await app.autoMigrate()
            #expect(try await User.query(on: app.db).count() == 0)
            _ = try await Make.world(app)
            #expect(try await User.query(on: app.db).count() == 7)
        }
    }
}
