import Fluent
import SQLKit

/// Indexes that national-scale data needs: the mentor's view of apprentices, the apprentice's own record, per-apprentice
/// credit, and the latest approved day of an apprentice's hours (a seek, not a scan). The employer's view
/// (employer, status) and per-apprentice history come from `CreateReportIndexes`.
struct CreateScaleIndexes: IndexMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("apprentices_mentor", Apprentice.schema, ["mentor_id"]),
        ("apprentices_user", Apprentice.schema, ["user_id"]),
        ("prior_learning_credits_apprentice", PriorLearningCredit.schema, ["apprentice_id"]),
        ("hour_entries_apprentice_status_date", HourEntry.schema, ["apprentice_id", "status", "entry_date"]),
    ]
}
