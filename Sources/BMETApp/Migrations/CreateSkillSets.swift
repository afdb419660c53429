import Fluent

struct CreateSkillSets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SkillSetRecord.schema)
            .id()
            .field("program_version_id", .uuid, .required, .references(ProgramVersion.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("code", .string, .required)
            .field("title", .string, .required)
            .field("required_hours", .int, .required)
            .unique(on: "program_version_id", "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SkillSetRecord.schema).delete()
    }
}
