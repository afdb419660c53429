import Fluent
import SQLKit

/// Wage raises put into effect, and periodic progress reviews with their signatures.
struct CreateWageRaisesAndReviews: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(WageRaise.schema)
            .id()
            .field("apprentice_id", .uuid, .required, .references(Apprentice.schema, "id", onDelete: .cascade))
            .field("step", .int, .required)
            .field("effective_date", .string, .required)
            .field("hourly_rate_cents", .int, .required)
            .field("note", .string, .required)
            .field("recorded_by_id", .uuid, .references(User.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime, .required)
            .unique(on: "apprentice_id", "step")
            .create()
        try await database.schema(ProgressReview.schema)
            .id()
            .field("apprentice_id", .uuid, .required, .references(Apprentice.schema, "id", onDelete: .cascade))
            .field("period_number", .int, .required)
            .field("period_end", .string, .required)
            .field("mentor_comments", .string, .required)
            .field("apprentice_comments", .string, .required)
            .field("goals", .string, .required)
            .field("created_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime, .required)
            .field("completed_at", .datetime)
            .unique(on: "apprentice_id", "period_number")
            .create()
        try await database.schema(ReviewSignature.schema)
            .id()
            .field("review_id", .uuid, .required, .references(ProgressReview.schema, "id", onDelete: .cascade))
            .field("party", .string, .required)
            .field("signer_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("signed_at", .datetime, .required)
            .unique(on: "review_id", "party")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [ReviewSignature.schema, ProgressReview.schema, WageRaise.schema] {
            try await database.schema(schema).delete()
        }
    }
}
