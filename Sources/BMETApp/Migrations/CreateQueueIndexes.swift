import Fluent
import SQLKit

/// The approval queue's "decided lately" list reads a mentor's newest decisions: without this index it scanned every
/// decision in the program (1.5 s at 5,000 apprentices, docs/PERFORMANCE.md).
struct CreateQueueIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "hour_decisions_actor_created").on(HourDecision.schema).column("actor_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "hour_decisions_actor_created").run()
    }
}
