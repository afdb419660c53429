import Fluent
import SQLKit

/// Related-instruction providers, the apprentices enrolled with them, the attendance they report, and the provider
/// that a provider's staff account and its invitation belong to.
struct CreateProviders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Provider.schema)
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("contact_name", .string, .required)
            .field("contact_email", .string, .required)
            .field("contact_phone", .string)
            .field("created_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime, .required)
            .unique(on: "name")
            .create()
        try await database.schema(ProviderEnrolment.schema)
            .id()
            .field("provider_id", .uuid, .required, .references(Provider.schema, "id", onDelete: .restrict))
            .field("apprentice_id", .uuid, .required, .references(Apprentice.schema, "id", onDelete: .cascade))
            .field("course_code", .string, .required)
            .field("enrolled_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("enrolled_at", .datetime, .required)
            .unique(on: "provider_id", "apprentice_id", "course_code")
            .create()
        try await database.schema(ProviderAttendance.schema)
            .id()
            .field("enrolment_id", .uuid, .required, .references(ProviderEnrolment.schema, "id", onDelete: .cascade))
            .field("apprentice_id", .uuid, .required, .references(Apprentice.schema, "id", onDelete: .cascade))
            .field("hours", .int, .required)
            .field("through_date", .string, .required)
            .field("recorded_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime, .required)
            .create()
        // Nullable columns without constraints: SQLite cannot add a constrained column to an existing table.
        try await database.schema(User.schema).field("provider_id", .uuid).update()
        try await database.schema(Invitation.schema).field("provider_id", .uuid).update()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "provider_enrolments_apprentice").on(ProviderEnrolment.schema).column("apprentice_id").run()
            try await sql.create(index: "provider_attendance_enrolment").on(ProviderAttendance.schema).column("enrolment_id").run()
            try await sql.create(index: "users_provider").on(User.schema).column("provider_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "users_provider").run()
        }
        try await database.schema(Invitation.schema).deleteField("provider_id").update()
        try await database.schema(User.schema).deleteField("provider_id").update()
        try await database.schema(ProviderAttendance.schema).delete()
        try await database.schema(ProviderEnrolment.schema).delete()
        try await database.schema(Provider.schema).delete()
    }
}
