import Fluent
import SQLKit

struct CreateApplicants: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Applicant.schema)
            .id()
            .field("full_name", .string, .required)
            .field("email", .string, .required)
            .field("phone", .string, .required)
            .field("city", .string, .required)
            .field("state", .string, .required)
            .field("zip", .string, .required)
            .field("birth_date", .string, .required)
            .field("education", .string, .required)
            .field("work_authorized", .bool, .required)
            .field("veteran_status", .string)
            .field("heard_from", .string, .required)
            .field("statement", .string, .required)
            .field("guardian_consent", .bool, .required)
            .field("resume_file", .string)
            .field("resume_name", .string)
            .field("consented_at", .datetime, .required)
            .field("status", .string, .required)
            .field("referred_employer_id", .uuid, .references(Employer.schema, "id", onDelete: .restrict))
            .field("submissions", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        let sql = try database.sql()
        try await sql.create(index: "applicants_email").on(Applicant.schema).column("email").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Applicant.schema).delete()
    }
}
