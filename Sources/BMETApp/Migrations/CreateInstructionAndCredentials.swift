import Fluent
import SQLKit

/// Related-instruction and credential records, both append-only.
struct CreateInstructionAndCredentials: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(InstructionRecord.schema)
            .id()
            .field("apprentice_id", .uuid, .required, .references(Apprentice.schema, "id", onDelete: .cascade))
            .field("course_code", .string, .required)
            .field("status", .string, .required)
            .field("provider", .string, .required)
            .field("event_date", .string, .required)
            .field("hours", .int)
            .field("grade", .string)
            .field("recorded_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(CredentialRecord.schema)
            .id()
            .field("apprentice_id", .uuid, .required, .references(Apprentice.schema, "id", onDelete: .cascade))
            .field("credential_code", .string, .required)
            .field("status", .string, .required)
            .field("event_date", .string)
            .field("expires_on", .string)
            .field("note", .string, .required)
            .field("evidence_file", .string)
            .field("evidence_name", .string)
            .field("recorded_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime, .required)
            .create()
        let sql = try database.sql()
        try await sql.create(index: "instruction_records_apprentice").on(InstructionRecord.schema).column("apprentice_id").run()
        try await sql.create(index: "credential_records_apprentice").on(CredentialRecord.schema).column("apprentice_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CredentialRecord.schema).delete()
        try await database.schema(InstructionRecord.schema).delete()
    }
}
