import Fluent

struct CreateProgramVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProgramVersion.schema)
            .id()
            .field("program_code", .string, .required)
            .field("version_number", .int, .required)
            .field("version_label", .string, .required)
            .field("title", .string, .required)
            .field("occupation_title", .string, .required)
            .field("rapids_code", .string, .required)
            .field("onet_soc_code", .string, .required)
            .field("approach", .string, .required)
            .field("term_months", .int, .required)
            .field("minimum_ojl_hours", .int, .required)
            .field("document", .string, .required)
            .field("document_sha256", .string, .required)
            .field("loaded_by_id", .uuid, .references(User.schema, "id", onDelete: .restrict))
            .field("loaded_at", .datetime, .required)
            // Two loads racing for the same number: one fails instead of both winning.
            .unique(on: "program_code", "version_number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProgramVersion.schema).delete()
    }
}
