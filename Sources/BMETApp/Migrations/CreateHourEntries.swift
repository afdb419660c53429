import Fluent
import SQLKit

/// On-the-job hour entries, their append-only decisions, and closed payroll months.
struct CreateHourEntries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(HourEntry.schema)
            .id()
            .field("apprentice_id", .uuid, .required, .references(Apprentice.schema, "id", onDelete: .cascade))
            .field("entry_date", .string, .required)
            .field("skill_set_code", .string, .required)
            .field("minutes", .int, .required)
            .field("description", .string, .required)
            .field("skill_codes", .string, .required)
            .field("work_order", .string)
            .field("client_key", .string, .required)
            .field("status", .string, .required)
            .field("corrects_id", .uuid, .references(HourEntry.schema, "id", onDelete: .restrict))
            .field("created_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime, .required)
            .unique(on: "apprentice_id", "client_key")
            .create()
        try await database.schema(HourDecision.schema)
            .id()
            .field("entry_id", .uuid, .required, .references(HourEntry.schema, "id", onDelete: .cascade))
            .field("action", .string, .required)
            .field("comment", .string, .required)
            .field("actor_id", .uuid, .references(User.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(HourPeriodLock.schema)
            .id()
            .field("employer_id", .uuid, .required, .references(Employer.schema, "id", onDelete: .cascade))
            .field("month", .string, .required)
            .field("locked_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("locked_at", .datetime, .required)
            .unique(on: "employer_id", "month")
            .create()
        let sql = try database.sql()
        try await sql.create(index: "hour_entries_apprentice_date").on(HourEntry.schema).column("apprentice_id").column("entry_date").run()
        try await sql.create(index: "hour_entries_status").on(HourEntry.schema).column("status").column("apprentice_id").run()
        try await sql.create(index: "hour_decisions_entry").on(HourDecision.schema).column("entry_id").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [HourPeriodLock.schema, HourDecision.schema, HourEntry.schema] {
            try await database.schema(schema).delete()
        }
    }
}
