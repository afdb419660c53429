import Fluent
import SQLKit

/// Buffers rows for several tables and writes them as multi-row `INSERT`s in one transaction per flush, parents
/// before children (tables flush in the order they were first used), so foreign keys hold at every statement.
/// The generator and its baseline both write through it, so their rates compare the same path.
final class BulkWriter {
    /// One table's pending rows.
    private final class Table {
        let name: String
        let columns: [String]
        var rows: [[any Encodable & Sendable]] = []
        var written = 0
        init(name: String, columns: [String]) { self.name = name; self.columns = columns }
    }

    /// Binds per statement: below PostgreSQL's 65,535 and the bundled SQLite's limit, large enough that
    /// statement overhead is small next to the rows.
    static let bindsPerStatement = 30_000

    private let db: any Database
    private var tables: [Table] = []
    private var byName: [String: Table] = [:]
    private(set) var pendingRows = 0
    private(set) var writtenRows = 0
    /// The first row of each table, kept so the baseline can insert rows of the same shape.
    private(set) var templates: [String: (columns: [String], row: [any Encodable & Sendable])] = [:]

    init(db: any Database) { self.db = db }

    func add(_ table: String, _ columns: [String], _ row: [any Encodable & Sendable]) {
        let target: Table
        if let known = byName[table] { target = known } else {
            target = Table(name: table, columns: columns)
            tables.append(target)
            byName[table] = target
            templates[table] = (columns, row)
        }
        target.rows.append(row)
        pendingRows += 1
    }

    /// Rows written so far per table, in first-use order.
    var counts: [(table: String, rows: Int)] { tables.map { ($0.name, $0.written + $0.rows.count) } }

    func flush() async throws {
        guard pendingRows > 0 else { return }
        let batches = tables.filter { !$0.rows.isEmpty }.map { ($0.name, $0.columns, $0.rows) }
        try await db.writeTransaction { db in
            let sql = try db.sql()
            for (name, columns, rows) in batches {
                let perStatement = max(1, Self.bindsPerStatement / columns.count)
                var start = 0
                while start < rows.count {
                    let end = min(rows.count, start + perStatement)
                    let insert = sql.insert(into: name).columns(columns)
                    for row in rows[start..<end] { _ = insert.values(row) }
                    try await insert.run()
                    start = end
                }
            }
        }
        for table in tables {
            table.written += table.rows.count
            writtenRows += table.rows.count
            table.rows.removeAll(keepingCapacity: true)
        }
        pendingRows = 0
    }
}

/// A bulk load's secondary indexes, dropped before it and built once after it. Kept up to date row by row, the
/// indexes of random UUID keys outgrow SQLite's page cache and the load slows to a third of its starting rate (measured
/// at 20,000 apprentices); one sorted build per index afterwards is much cheaper. SQLite only: PostgreSQL loads keep
/// their indexes. Unique indexes come back too, so a duplicate the load let through fails the rebuild loudly.
struct DeferredIndexes {
    private struct Index: Decodable { var name: String; var sql: String }
    private let indexes: [Index]
    var count: Int { indexes.count }

    /// Drops every secondary index (those with their own `CREATE INDEX`; primary keys and inline UNIQUE constraints stay).
    static func drop(on db: any Database) async throws -> DeferredIndexes {
        let sql = try db.sql()
        guard sql.dialect.name == "sqlite" else { return DeferredIndexes(indexes: []) }
        let indexes = try await sql.raw("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            .all(decoding: Index.self)
        try await db.writeTransaction { db in
            let sql = try db.sql()
            for index in indexes { try await sql.raw("DROP INDEX \(ident: index.name)").run() }
        }
        return DeferredIndexes(indexes: indexes)
    }

    /// Builds them again, one statement each, telling `progress` how many are done.
    func rebuild(on db: any Database, progress: (Int, Int) -> Void = { _, _ in }) async throws {
        for (done, index) in indexes.enumerated() {
            try await db.writeTransaction { db in
                let sql = try db.sql()
                try await sql.raw("\(unsafeRaw: index.sql)").run()
            }
            progress(done + 1, indexes.count)
        }
    }
}
