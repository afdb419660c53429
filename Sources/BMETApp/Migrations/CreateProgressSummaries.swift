import Fluent
import SQLKit

/// The progress read model: one row per apprentice with the figures pages count and filter on, and the progress API's
/// answer as JSON. `generation` is bumped by every change to the training record (inside its transaction, by
/// `TrainingLock`); a row is current while `summarized_generation = generation` and `computed_on` is today.
struct CreateProgressSummaries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProgressSummaries.schema)
            .field("apprentice_id", .uuid, .identifier(auto: false))
            .foreignKey("apprentice_id", references: Apprentice.schema, "id", onDelete: .cascade)
            .field("generation", .int, .required, .sql(.default(1)))
            .field("summarized_generation", .int, .required, .sql(.default(0)))
            .field("computed_on", .string)
            .field("employer_id", .uuid)
            .field("total_minutes", .int, .required, .sql(.default(0)))
            .field("minimum_hours", .int, .required, .sql(.default(0)))
            .field("hours_permille", .int, .required, .sql(.default(0)))
            .field("skills_signed", .int, .required, .sql(.default(0)))
            .field("skills_total", .int, .required, .sql(.default(0)))
            .field("outlook_code", .string)
            .field("outlook_label", .string)
            .field("projected_completion", .string)
            .field("at_risk", .bool, .required, .sql(.default(false)))
            .field("eligible", .bool, .required, .sql(.default(false)))
            .field("raise_step", .int)
            .field("raise_title", .string)
            .field("review_number", .int)
            .field("review_due_by", .string)
            .field("review_overdue", .bool, .required, .sql(.default(false)))
            .field("review_can_start", .bool, .required, .sql(.default(false)))
            .field("document", .string)
            .create()
        let sql = try database.sql()
        try await sql.create(index: "progress_summaries_employer").on(ProgressSummaries.schema).column("employer_id").run()
        // Existing apprentices start stale; the refresh job (and the first read of each) fills them in.
        try await sql.raw("""
            INSERT INTO \(ident: ProgressSummaries.schema) (apprentice_id, generation, summarized_generation, employer_id)
            SELECT id, 1, 0, employer_id FROM \(ident: Apprentice.schema)
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProgressSummaries.schema).delete()
    }
}
