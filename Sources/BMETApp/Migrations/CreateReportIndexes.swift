import Fluent
import SQLKit

/// Indexes the outcome report's joins and filters use, so it stays fast on a big program. (Credentials by apprentice
/// come from `CreateInstructionAndCredentials`; this list once repeated it with `IF NOT EXISTS`.)
struct CreateReportIndexes: IndexMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("apprentice_events_apprentice_kind", "apprentice_events", ["apprentice_id", "kind"]),
        ("apprentice_events_kind_created", "apprentice_events", ["kind", "created_at"]),
        ("apprentices_employer_status", "apprentices", ["employer_id", "status"]),
        ("apprentices_start_date", "apprentices", ["start_date"]),
        ("rapids_export_marks_record", "rapids_export_marks", ["record_kind", "record_id"]),
    ]
}
