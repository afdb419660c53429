import Fluent
import SQLKit

/// The generator's yardstick, measured in the same run on the same database: for every table the generator wrote,
/// the same number of rows of the same shape (its first generated row, with a fresh id) bulk-inserted into a scratch
/// copy of the table without indexes or constraints, through the same writer, batch and transaction sizes.
enum ScaleBaseline {
    struct Result { let rows: Int; let seconds: Double; var rowsPerSecond: Double { seconds > 0 ? Double(rows) / seconds : 0 } }

    static let prefix = "scale_baseline_"

    static func run(like generated: ScaleGenerator.Result, flushRows: Int, on db: any Database) async throws -> Result {
        let sql = try db.sql()
        let tables = generated.counts.filter { $0.rows > 0 && generated.templates[$0.table] != nil }
        for (table, _) in tables {
            try await sql.raw("DROP TABLE IF EXISTS \(ident: prefix + table)").run()
            try await sql.raw("CREATE TABLE \(ident: prefix + table) AS SELECT * FROM \(ident: table) WHERE 1 = 0").run()
        }
        var rng = SeededRandom(seed: 1)
        let writer = BulkWriter(db: db)
        let clock = ContinuousClock()
        let began = clock.now
        for (table, count) in tables {
            guard let template = generated.templates[table] else { continue }
            for _ in 0..<count {
                var row = template.row
                row[0] = rng.uuid()
                writer.add(prefix + table, template.columns, row)
                if writer.pendingRows >= flushRows { try await writer.flush() }
            }
        }
        try await writer.flush()
        let seconds = ScaleGenerator.seconds(clock.now - began)
        for (table, _) in tables { try await sql.raw("DROP TABLE \(ident: prefix + table)").run() }
        return Result(rows: writer.writtenRows, seconds: seconds)
    }
}
