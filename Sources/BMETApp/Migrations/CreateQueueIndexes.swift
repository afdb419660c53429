import Fluent
import SQLKit

/// The approval queue's "decided lately" list reads a mentor's newest decisions: without this index it scanned every
/// decision in the program (1.5 s at 5,000 apprentices, docs/PERFORMANCE.md).
struct CreateQueueIndexes: IndexMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("hour_decisions_actor_created", HourDecision.schema, ["actor_id", "created_at"]),
    ]
}
