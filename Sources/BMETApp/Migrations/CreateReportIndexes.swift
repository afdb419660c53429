import Fluent
import SQLKit

/// Indexes the outcome report's joins and filters use, so it stays fast on a big program. Fluent's schema builder
/// has no index API; this plain SQL is the same on SQLite and PostgreSQL.
struct CreateReportIndexes: AsyncMigration {
    private static let indexes = [
        ("apprentice_events_apprentice_kind", "apprentice_events", "apprentice_id, kind"),
        ("apprentice_events_kind_created", "apprentice_events", "kind, created_at"),
        ("apprentices_employer_status", "apprentices", "employer_id, status"),
        ("apprentices_start_date", "apprentices", "start_date"),
        ("credential_records_apprentice", "credential_records", "apprentice_id"),
        ("rapids_export_marks_record", "rapids_export_marks", "record_kind, record_id"),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (name, table, columns) in Self.indexes {
            try await sql.raw("CREATE INDEX IF NOT EXISTS \(unsafeRaw: name) ON \(unsafeRaw: table) (\(unsafeRaw: columns))").run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for (name, _, _) in Self.indexes {
            try await sql.raw("DROP INDEX IF EXISTS \(unsafeRaw: name)").run()
        }
    }
}
