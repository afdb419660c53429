import Fluent

struct CreateSkills: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SkillRecord.schema)
            .id()
            .field("skill_set_id", .uuid, .required, .references(SkillSetRecord.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("code", .string, .required)
            .field("title", .string, .required)
            .unique(on: "skill_set_id", "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SkillRecord.schema).delete()
    }
}
