import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// SQLite has one writer at a time. Left to the database, a second write transaction spins in the driver's busy
/// handler (sqlite-nio's returns "retry" forever) on the core the first one needs to commit. So on SQLite every write
/// transaction of this process waits here instead, holding no connection and burning no CPU; PostgreSQL locks rows
/// and needs no gate. Other processes (cron, the CLI) are covered by `PRAGMA busy_timeout`, set per connection in
/// `DatabaseSetup`.
enum WriteGate {
    static let sqlite = AsyncMutex()
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
    /// `transaction`, through the SQLite write gate, refreshing the progress summaries of every apprentice whose
    /// record it changed before it commits. Nested calls run inside the outer transaction (and gate).
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if inTransaction { return try await body(self) }
        let run: @Sendable () async throws -> T = {
            try await self.transaction { tx in
                let changed = ChangedApprentices()
                let result = try await ChangedApprentices.$inTransaction.withValue(changed) { try await body(tx) }
                for id in changed.all { try await ProgressSummaries.refresh(id, on: tx) }
                return result
            }
        }
        guard (self as? any SQLDatabase)?.dialect.name == "sqlite" else { return try await run() }
        return try await WriteGate.sqlite.withLock(run)
    }
}
