import Fluent
import SQLKit

/// Competency assessments (append-only) and apprentices' requests for one.
struct CreateSkillAssessments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SkillAssessment.schema)
            .id()
            .field("apprentice_id", .uuid, .required, .references(Apprentice.schema, "id", onDelete: .cascade))
            .field("skill_code", .string, .required)
            .field("rating_code", .string, .required)
            .field("rating_label", .string, .required)
            .field("signs_off", .bool, .required)
            .field("observed", .string, .required)
            .field("evidence_file", .string)
            .field("evidence_name", .string)
            .field("assessor_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(AssessmentRequest.schema)
            .id()
            .field("apprentice_id", .uuid, .required, .references(Apprentice.schema, "id", onDelete: .cascade))
            .field("skill_code", .string, .required)
            .field("note", .string, .required)
            .field("requested_at", .datetime, .required)
            .field("answered_by_id", .uuid, .references(SkillAssessment.schema, "id", onDelete: .restrict))
            .create()
        let sql = try database.sql()
        try await sql.create(index: "skill_assessments_apprentice").on(SkillAssessment.schema).column("apprentice_id").column("skill_code").run()
        try await sql.create(index: "assessment_requests_apprentice").on(AssessmentRequest.schema).column("apprentice_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AssessmentRequest.schema).delete()
        try await database.schema(SkillAssessment.schema).delete()
    }
}
