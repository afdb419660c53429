import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// SQLite has one writer at a time, and every commit waits for the disk (WAL + synchronous=FULL). So on SQLite this
/// process writes through one `SQLiteWriter`: write transactions queue here (holding no connection, burning no CPU) and
/// run one after another on a dedicated writer connection, each inside its own savepoint of a shared transaction. Those
/// that arrive while one runs join the same transaction, which then commits once for all of them ("group commit"): a
/// failing one is rolled back to its savepoint alone, and nobody hears "done" before the commit is on disk. Readers
/// keep the driver's per-event-loop connections and never wait for a writer (WAL).
///
/// PostgreSQL locks rows and commits in parallel; it needs none of this. Other processes (cron, the CLI) are held off
/// by `PRAGMA busy_timeout`, set per connection in `DatabaseSetup`.
final class SQLiteWriter: Sendable {
    /// Most transactions one commit carries, so a long queue still gets answers in steady steps.
    static let batchLimit = 64

    /// One queued write transaction: runs its body in the shared transaction; hears the outcome after the commit.
    private struct Job: Sendable {
        let run: @Sendable (any Database) async throws -> Void
        let committed: @Sendable () -> Void
        let failed: @Sendable (any Error) -> Void
    }

    private struct State {
        var queue: [Job] = []
        var draining = false
    }

    private let state = NIOLockedValueBox(State())
    private let counts = NIOLockedValueBox((transactions: 0, commits: 0))
    /// Write transactions committed, and the commits that carried them: how much group commit saves, for tests and
    /// the benchmark notes.
    var committed: (transactions: Int, commits: Int) { counts.withLockedValue { $0 } }
    /// The dedicated writer connection's database; nil for an in-memory database, whose connections must share one
    /// cache (batches then run on the first waiting request's connection, through the same queue).
    private let writerDatabase: @Sendable () -> (any Database)?
    init(writerDatabase: @escaping @Sendable () -> (any Database)?) {
        self.writerDatabase = writerDatabase
    }

    /// Runs `body` as one write transaction: after every write transaction queued before it, committed (with any
    /// that joined it) before this returns. An error from `body` rolls back this transaction's writes only.
    func run<T: Sendable>(from caller: any Database, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let result = NIOLockedValueBox<T?>(nil)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(
                run: { tx in
                    let value = try await body(tx)
                    result.withLockedValue { $0 = value }
                },
                committed: {
                    if let value = result.withLockedValue({ $0 }) { continuation.resume(returning: value) }
                    else { continuation.resume(throwing: SQLiteWriterError.noResult) }
                },
                failed: { continuation.resume(throwing: $0) })
            let startDraining = state.withLockedValue { state -> Bool in
                state.queue.append(job)
                if state.draining { return false }
                state.draining = true
                return true
            }
            if startDraining {
                let database = writerDatabase() ?? caller
                // Detached: the batches are nobody's request, and must not inherit a request's task-local values.
                Task.detached { await self.drain(on: database) }
            }
        }
    }

    /// Takes up to `limit` queued jobs; when none is left, stops draining (under the same lock, so a job queued
    /// meanwhile starts a new drain instead of being stranded).
    private func take(upTo limit: Int, stopWhenEmpty: Bool) -> [Job] {
        state.withLockedValue { state in
            if state.queue.isEmpty {
                if stopWhenEmpty { state.draining = false }
                return []
            }
            let taken = Array(state.queue.prefix(limit))
            state.queue.removeFirst(taken.count)
            return taken
        }
    }

    private func drain(on database: any Database) async {
        while true {
            let first = take(upTo: Self.batchLimit, stopWhenEmpty: true)
            if first.isEmpty { return }
            await commitBatch(first, on: database)
        }
    }

    /// One transaction: each job in its savepoint, jobs that arrive meanwhile appended (up to the limit), one commit.
    private func commitBatch(_ first: [Job], on database: any Database) async {
        let done = NIOLockedValueBox<[Job]>([])
        let current = NIOLockedValueBox<Job?>(nil)
        do {
            try await database.transaction { driverTx in
                guard let driverSQL = driverTx as? any SQLDatabase else { throw SQLiteWriterError.notSQL }
                // Take the write lock before anything reads (what BEGIN IMMEDIATE does; the driver only says BEGIN): a
                // transaction that read first could not upgrade to writing if another process wrote meanwhile. Through
                // the driver, on its thread pool: this is the statement that may wait for another process's writer.
                try await driverSQL.raw("UPDATE audit_chain_head SET seq = seq WHERE 0").run()
                // From here on the lock is held, so the batch's plain SQL runs inline (the COMMIT stays the driver's).
                let tx = try await DirectSQLiteDatabase.pinning(driverTx)
                guard let sql = tx as? any SQLDatabase else { throw SQLiteWriterError.notSQL }
                var pending = first
                var count = 0
                while !pending.isEmpty {
                    for job in pending {
                        current.withLockedValue { $0 = job }
                        // Savepoints nest and are never released one by one (the commit releases them all): one
                        // statement per transaction instead of two. Rolling back to one undoes that job's writes only.
                        let savepoint = SQLIdentifier("job_\(count)")
                        count += 1
                        try await sql.raw("SAVEPOINT \(savepoint)").run()
                        do {
                            try await job.run(tx)
                        } catch {
                            // Only this job's writes go; if even that fails, the whole batch fails (below).
                            try await sql.raw("ROLLBACK TO \(savepoint)").run()
                            current.withLockedValue { $0 = nil }
                            job.failed(error)
                            continue
                        }
                        current.withLockedValue { $0 = nil }
                        done.withLockedValue { $0.append(job) }
                    }
                    pending = count < Self.batchLimit ? self.take(upTo: Self.batchLimit - count, stopWhenEmpty: false) : []
                }
            }
            let jobs = done.withLockedValue { $0 }
            counts.withLockedValue { $0.transactions += jobs.count; $0.commits += 1 }
            for job in jobs { job.committed() }
        } catch {
            // The commit (or a savepoint) failed: nothing of this batch is stored, and every job in it hears so.
            for job in done.withLockedValue({ $0 }) { job.failed(error) }
            current.withLockedValue { $0 }?.failed(error)
        }
    }
}

enum SQLiteWriterError: Error, CustomStringConvertible {
    case notSQL, noResult
    var description: String {
        switch self {
        case .notSQL: "The SQLite writer needs an SQL database."
        case .noResult: "A write transaction finished without a result."
        }
    }
}

/// The SQLite database configuration with the process's writer attached, so any `Database` made from it can find the
/// writer (`db.context.configuration`): services only ever see `req.db` or `app.db`.
struct SQLiteWriterConfiguration: DatabaseConfiguration {
    var base: any DatabaseConfiguration
    let writer: SQLiteWriter

    var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver { base.makeDriver(for: databases) }
}

extension DatabaseID {
    /// The dedicated writer connection of a SQLite file database (see `SQLiteWriter`).
    static let sqliteWriter = DatabaseID(string: "sqlite-writer")
}

/// Apprentices whose training record the current write transaction changed (`TrainingLock.lock` adds them): their
/// progress summaries are recomputed at the end of that transaction, so no change can forget to.
final class ChangedApprentices: Sendable {
    private let ids = NIOLockedValueBox<[UUID]>([])
    func add(_ id: UUID) { ids.withLockedValue { if !$0.contains(id) { $0.append(id) } } }
    var all: [UUID] { ids.withLockedValue { $0 } }

    @TaskLocal static var inTransaction: ChangedApprentices?
}

extension Database {
    /// The process's SQLite writer, when this is a SQLite database.
    var sqliteWriter: SQLiteWriter? { (context.configuration as? SQLiteWriterConfiguration)?.writer }

    /// A write transaction: through the SQLite writer (see `SQLiteWriter`) or PostgreSQL's own `transaction`,
    /// refreshing the progress summaries of every apprentice whose record it changed before it commits. Nested calls
    /// run inside the outer transaction.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if inTransaction { return try await body(self) }
        let work: @Sendable (any Database) async throws -> T = { tx in
            let changed = ChangedApprentices()
            let result = try await ChangedApprentices.$inTransaction.withValue(changed) { try await body(tx) }
            for id in changed.all { try await ProgressSummaries.refresh(id, on: tx) }
            return result
        }
        if let writer = sqliteWriter {
            return try await writer.run(from: self, work)
        }
        return try await transaction(work)
    }
}
