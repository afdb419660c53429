import Fluent
import SQLKit
import Vapor

/// Serializes writes to one apprentice's training record. Call first inside a transaction: the no-op update
/// takes the apprentice's row lock on PostgreSQL (and SQLite's write lock), so checks such as "still pending?"
/// or "24 hours a day at most" and the aggregate updates that follow cannot interleave with another request's.
/// It also marks the apprentice's progress summary out of date in the same transaction, and `writeTransaction`
/// recomputes it before committing; outside `writeTransaction` the row stays marked and readers recompute it.
enum TrainingLock {
    /// `movesProgress: false` for changes progress does not count (a logged or rejected entry waits or is gone).
    static func lock(_ apprenticeID: UUID, movesProgress: Bool = true, on db: any Database) async throws {
        let sql = try db.sql()
        // On SQLite every write transaction of the process already runs alone on the writer, which took the database's
        // write lock first (`SQLiteWriter`); the row lock is PostgreSQL's.
        if db.sqliteWriter == nil {
            try await sql.raw("UPDATE apprentices SET status = status WHERE id = \(bind: apprenticeID)").run()
        }
        if movesProgress { try await markMoved(apprenticeID, on: sql) }
    }

    /// Marks the apprentice's progress as moved by this transaction: the summary is out of date from here on, and
    /// `writeTransaction` recomputes it before committing.
    static func markMoved(_ apprenticeID: UUID, on sql: any SQLDatabase) async throws {
        try await ProgressSummaries.bump(apprenticeID, on: sql)
        ChangedApprentices.inTransaction?.add(apprenticeID)
    }
}
