import Fluent

/// Covering indexes for the outcomes report's two slowest counts (measured on 5,000 apprentices): exam results per
/// credential read only the passed and failed rows (11.5 → 2.8 ms), and mentor load groups apprentices in index order
/// without touching the table (7.0 → 3.5 ms).
struct CreateOutcomeIndexes: IndexMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("credential_records_status_code", CredentialRecord.schema, ["status", "credential_code", "apprentice_id"]),
        ("apprentices_mentor_employer_status", Apprentice.schema, ["mentor_id", "employer_id", "status"]),
    ]
}
