@testable import BMETApp
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// Group commit on a SQLite file: concurrent write transactions share commits, each one's failure rolls back only its
/// own writes, and everybody hears "done" only for what is stored.
@Suite("SQLite writer (group commit)")
struct SQLiteWriterTests {
    struct Count: Decodable { var n: Int }

    @Test("60 concurrent write transactions: the 12 that fail leave nothing, the 48 others are all stored, in fewer commits")
    func groupCommit() async throws {
        try await withTestApp(sqliteFile: true) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("CREATE TABLE writer_probe (n INTEGER PRIMARY KEY, note TEXT NOT NULL)").run()
            struct Refused: Error {}
            let results = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for n in 1...60 {
                    group.addTask {
                        do {
                            let stored: Int = try await app.db.writeTransaction { db in
                                let sql = db as! any SQLDatabase
                                try await sql.raw("INSERT INTO writer_probe (n, note) VALUES (\(bind: n), 'first')").run()
                                // A second write in the same transaction, then (for every fifth) a failure after both.
                                try await sql.raw("UPDATE writer_probe SET note = 'second' WHERE n = \(bind: n)").run()
                                if n % 5 == 0 { throw Refused() }
                                return n
                            }
                            return (stored, true)
                        } catch is Refused {
                            return (n, false)
                        }
                    }
                }
                var all: [(Int, Bool)] = []
                for try await result in group { all.append(result) }
                return all
            }
            let acknowledged = Set(results.filter(\.1).map(\.0))
            #expect(acknowledged == Set((1...60).filter { $0 % 5 != 0 }))
            struct Row: Decodable { var n: Int; var note: String }
            let rows = try await sql.raw("SELECT n, note FROM writer_probe ORDER BY n").all(decoding: Row.self)
            #expect(Set(rows.map(\.n)) == acknowledged)
            #expect(rows.allSatisfy { $0.note == "second" })
            if let writer = app.db.sqliteWriter {
                let counts = writer.committed
                #expect(counts.transactions >= 48)
                // 60 transactions queued at once cannot each have needed a commit of their own.
                #expect(counts.commits < counts.transactions)
            }
        }
    }

    @Test("a nested write transaction runs inside the outer one; readers see nothing until the commit")
    func nestedAndIsolated() async throws {
        try await withTestApp(sqliteFile: true) { app in
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("CREATE TABLE writer_probe (n INTEGER PRIMARY KEY)").run()
            let seenInside = try await app.db.writeTransaction { db -> Int in
                try await (db as! any SQLDatabase).raw("INSERT INTO writer_probe (n) VALUES (1)").run()
                try await db.writeTransaction { inner in try await (inner as! any SQLDatabase).raw("INSERT INTO writer_probe (n) VALUES (2)").run() }
                // On SQLite a reader on its own connection does not see the uncommitted rows (WAL snapshot). (PostgreSQL's
                // test pool has one connection per loop, held by this transaction, so no second reader there.)
                guard app.db.sqliteWriter != nil else { return 0 }
                return try await sql.raw("SELECT COUNT(*) AS n FROM writer_probe").first(decoding: Count.self)?.n ?? -1
            }
            #expect(seenInside == 0)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM writer_probe").first(decoding: Count.self)?.n == 2)
        }
    }
}
