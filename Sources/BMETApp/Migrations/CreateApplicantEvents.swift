import Fluent

struct CreateApplicantEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ApplicantEvent.schema)
            .id()
            .field("applicant_id", .uuid, .required, .references(Applicant.schema, "id", onDelete: .cascade))
            .field("from_status", .string)
            .field("to_status", .string, .required)
            .field("note", .string, .required)
            .field("actor_id", .uuid, .references(User.schema, "id", onDelete: .restrict))
            .field("employer_id", .uuid, .references(Employer.schema, "id", onDelete: .restrict))
            .field("previous_answers", .string)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ApplicantEvent.schema).delete()
    }
}
