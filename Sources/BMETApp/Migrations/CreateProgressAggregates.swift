import Fluent

/// Running totals behind the progress engine (see `ProgressAggregates`).
struct CreateProgressAggregates: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SkillSetTotal.schema)
            .id()
            .field("apprentice_id", .uuid, .required, .references(Apprentice.schema, "id", onDelete: .cascade))
            .field("skill_set_code", .string, .required)
            .field("approved_minutes", .int, .required)
            .field("approved_entries", .int, .required)
            .unique(on: "apprentice_id", "skill_set_code")
            .create()
        try await database.schema(WeekTotal.schema)
            .id()
            .field("apprentice_id", .uuid, .required, .references(Apprentice.schema, "id", onDelete: .cascade))
            .field("week_start", .string, .required)
            .field("approved_minutes", .int, .required)
            .unique(on: "apprentice_id", "week_start")
            .create()
        try await database.schema(SkillState.schema)
            .id()
            .field("apprentice_id", .uuid, .required, .references(Apprentice.schema, "id", onDelete: .cascade))
            .field("skill_code", .string, .required)
            .field("rating_code", .string, .required)
            .field("signs_off", .bool, .required)
            .field("assessment_count", .int, .required)
            .field("last_assessed_at", .datetime, .required)
            .unique(on: "apprentice_id", "skill_code")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [SkillState.schema, WeekTotal.schema, SkillSetTotal.schema] {
            try await database.schema(schema).delete()
        }
    }
}
