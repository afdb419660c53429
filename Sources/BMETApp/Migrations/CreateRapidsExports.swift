import Fluent

struct CreateRapidsExports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RapidsExportBatch.schema)
            .id()
            .field("number", .int, .required)
            .field("created_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime, .required)
            .field("registration_count", .int, .required)
            .field("event_count", .int, .required)
            .field("held_back_count", .int, .required)
            .field("registrations_sealed", .string, .required)
            .field("events_sealed", .string, .required)
            .field("registrations_sha256", .string, .required)
            .field("events_sha256", .string, .required)
            .unique(on: "number")
            .create()
        try await database.schema(RapidsExportMark.schema)
            .id()
            .field("batch_id", .uuid, .required, .references(RapidsExportBatch.schema, "id", onDelete: .restrict))
            .field("record_kind", .string, .required)
            .field("record_id", .uuid, .required)
            .field("apprentice_id", .uuid, .required, .references(Apprentice.schema, "id", onDelete: .restrict))
            .field("sequence", .int, .required)
            .field("fingerprint", .string, .required)
            .field("exported_at", .datetime, .required)
            .unique(on: "record_kind", "record_id", "sequence")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RapidsExportMark.schema).delete()
        try await database.schema(RapidsExportBatch.schema).delete()
    }
}
