@testable import BMETApp
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// The inline SQLite path must read and write exactly what the driver does, and fail the way the driver fails.
@Suite("Direct SQLite statements")
struct DirectSQLiteTests {
    struct Probe: Codable, Equatable {
        var id: UUID
        var name: String
        var at: Date
        var flag: Bool
        var ratio: Double
        var note: String?
        var count: Int
    }

    @Test("Rows written and read inline equal the driver's, both ways; a constraint failure is a DatabaseError")
    func sameAsDriver() async throws {
        try await withTestApp(sqliteFile: true) { app in
            let driver = try #require(app.db as? any SQLDatabase)
            guard driver.dialect.name == "sqlite" else {
                // PostgreSQL runs every statement through its driver: the inline path must never be taken there.
                try await app.db.writeTransaction { db in #expect(!(db is DirectSQLiteDatabase)) }
                try await app.db.withDirectSQL { db in #expect(!(db is DirectSQLiteDatabase)) }
                return
            }
            try await driver.raw("CREATE TABLE direct_probe (id TEXT PRIMARY KEY, name TEXT NOT NULL, at REAL NOT NULL, flag INTEGER NOT NULL, ratio REAL NOT NULL, note TEXT, count INTEGER NOT NULL)").run()
            let viaDriver = Probe(id: UUID(), name: "Zoë – ✓ inside", at: Date(timeIntervalSince1970: 1_764_000_000.25), flag: true, ratio: 0.1, note: nil, count: -3)
            let inline = Probe(id: UUID(), name: "Ben", at: Date(timeIntervalSince1970: 1_700_000_000), flag: false, ratio: 2.5, note: "n", count: Int.max)
            try await driver.insert(into: "direct_probe").model(viaDriver).run()
            try await app.db.writeTransaction { db in
                #expect(db is DirectSQLiteDatabase, "the writer's statements run inline on a SQLite file")
                try await (db as! any SQLDatabase).insert(into: "direct_probe").model(inline).run()
            }
            let readInline = try await app.db.withDirectSQL { db in
                #expect(db is DirectSQLiteDatabase)
                return try await (db as! any SQLDatabase).select().column("*").from("direct_probe").orderBy("name").all(decoding: Probe.self)
            }
            let readByDriver = try await driver.select().column("*").from("direct_probe").orderBy("name").all(decoding: Probe.self)
            #expect(readInline == readByDriver)
            #expect(readInline == [inline, viaDriver])

            // A duplicate key, inline: the writer's caller hears a constraint failure, and nothing of that job is stored.
            await #expect(throws: (any Error).self) {
                try await app.db.writeTransaction { db in
                    try await (db as! any SQLDatabase).raw("UPDATE direct_probe SET count = 0").run()
                    try await (db as! any SQLDatabase).insert(into: "direct_probe").model(inline).run()
                }
            }
            do {
                try await app.db.writeTransaction { db in try await (db as! any SQLDatabase).insert(into: "direct_probe").model(inline).run() }
                Issue.record("a duplicate primary key was stored")
            } catch let error as any DatabaseError {
                #expect(error.isConstraintFailure)
            }
            let counts = try await driver.raw("SELECT count FROM direct_probe ORDER BY name").all(decoding: [String: Int].self)
            #expect(counts.map { $0["count"] } == [Int.max, -3])

            // A syntax error is an error, not a crash, and the connection goes on working.
            await #expect(throws: (any Error).self) {
                try await app.db.withDirectSQL { db in try await (db as! any SQLDatabase).raw("SELEC 1").run() }
            }
            let one = try await app.db.withDirectSQL { db in try await (db as! any SQLDatabase).raw("SELECT 1 AS n").first(decoding: [String: Int].self) }
            #expect(one?["n"] == 1)
        }
    }
}
