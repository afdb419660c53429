import BMETDomain
import Foundation

/// What an import file would store: rows per table in insertion order (parents first), the external ids it adds, and
/// the running totals to move. Built by `Importer.plan` from the file and the database; written by `Importer.run`.
struct ImportPlan: Sendable {
    struct Table: Sendable {
        let name: String
        let columns: [String]
        var rows: [[any Encodable & Sendable]] = []
    }

    let kind: ImportKind
    let mode: ImportBatch.Mode
    var rowCount = 0
    var issues: [ImportIssue] = []
    /// Rows whose external id was imported before: left as they are.
    var unchanged = 0
    var tables: [Table] = []
    var refs: [(externalID: String, recordID: UUID)] = []
    /// Approved minutes to add to the running totals.
    var sets: [ProgressAggregates.SetKey: (minutes: Int, entries: Int)] = [:]
    var weeks: [ProgressAggregates.WeekKey: Int] = [:]
    /// Apprentices whose progress moves.
    var apprentices: Set<UUID> = []
    /// Apprentices whose skill states are rebuilt from their assessments (skill sign-offs).
    var skillStates: Set<UUID> = []

    var created: Int { rowCount - unchanged }
    /// Rows already written (or, in a dry run, counted and dropped) by `flush`, per table: a large hours file is written
    /// a chunk at a time inside the one transaction instead of being held whole (its running totals with it).
    var flushed: [String: Int] = [:]

    mutating func add(_ table: String, _ columns: [String], _ row: [any Encodable & Sendable]) {
        if let index = tables.firstIndex(where: { $0.name == table }) { tables[index].rows.append(row); return }
        tables.append(Table(name: table, columns: columns, rows: [row]))
    }

    mutating func issue(_ row: ImportRow, _ column: String, _ message: String) {
        issues.append(ImportIssue(row: row.line, column: column, message: message))
    }

    /// What the dry run reports: records per table that would be created.
    var counts: [(table: String, rows: Int)] { tables.map { ($0.name, $0.rows.count + flushed[$0.name, default: 0]) } }

    /// Forgets the rows held (after they were written, or in a dry run), keeping their counts.
    mutating func dropRows() {
        for index in tables.indices {
            flushed[tables[index].name, default: 0] += tables[index].rows.count
            tables[index].rows.removeAll()
        }
        refs.removeAll()
        sets.removeAll()
        weeks.removeAll()
    }
}

/// Refused: the problems, by row and column. Nothing was stored.
struct ImportRefused: Error {
    let issues: [ImportIssue]
}
