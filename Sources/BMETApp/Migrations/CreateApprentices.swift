import Fluent

struct CreateApprentices: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Apprentice.schema)
            .id()
            .field("user_id", .uuid, .references(User.schema, "id", onDelete: .restrict))
            .field("applicant_id", .uuid, .references(Applicant.schema, "id", onDelete: .restrict))
            .field("program_version_id", .uuid, .required, .references(ProgramVersion.schema, "id", onDelete: .restrict))
            .field("employer_id", .uuid, .required, .references(Employer.schema, "id", onDelete: .restrict))
            .field("mentor_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("full_name", .string, .required)
            .field("email", .string, .required)
            .field("start_date", .string, .required)
            .field("probation_end", .string, .required)
            .field("term_end", .string, .required)
            .field("status", .string, .required)
            .field("status_before_suspension", .string)
            .field("registered_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("registered_at", .datetime, .required)
            .field("agreement_completed_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Apprentice.schema).delete()
    }
}
