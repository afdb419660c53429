import Fluent
import SQLKit

/// 29 CFR 30: the EEO officer permission on sponsor accounts, disability self-identification invitations and their
/// sealed answers (kept apart from the personnel record), availability figures, goals, outreach and annual reviews.
struct CreateEqualOpportunityRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema).field("is_eeo_officer", .bool, .required, .sql(.default(false))).update()
        try await database.schema(DisabilityInvitation.schema)
            .id()
            .field("stage", .string, .required)
            .field("applicant_id", .uuid, .references(Applicant.schema, "id", onDelete: .restrict))
            .field("apprentice_id", .uuid, .references(Apprentice.schema, "id", onDelete: .restrict))
            .field("token_hash", .string, .required)
            .field("sent_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        try await database.schema(DisabilitySelfIdentification.schema)
            .id()
            .field("invitation_id", .uuid, .required, .references(DisabilityInvitation.schema, "id", onDelete: .restrict))
            .field("applicant_id", .uuid, .references(Applicant.schema, "id", onDelete: .restrict))
            .field("apprentice_id", .uuid, .references(Apprentice.schema, "id", onDelete: .restrict))
            .field("answer_sealed", .string, .required)
            .field("answered_at", .datetime, .required)
            .create()
        try await database.schema(AvailabilityFigure.schema)
            .id()
            .field("occupation_code", .string, .required)
            .field("state", .string, .required)
            .field("group_code", .string, .required)
            .field("percent_tenths", .int, .required)
            .field("source", .string, .required)
            .field("source_year", .int, .required)
            .field("entered_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("entered_at", .datetime, .required)
            .create()
        try await database.schema(UtilizationGoal.schema)
            .id()
            .field("occupation_code", .string, .required)
            .field("state", .string, .required)
            .field("group_code", .string, .required)
            .field("goal_tenths", .int, .required)
            .field("note", .string, .required)
            .field("set_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("set_at", .datetime, .required)
            .create()
        try await database.schema(OutreachActivity.schema)
            .id()
            .field("activity_date", .string, .required)
            .field("kind", .string, .required)
            .field("organization", .string, .required)
            .field("description", .string, .required)
            .field("groups_reached", .string, .required)
            .field("recorded_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.schema(AnnualReview.schema)
            .id()
            .field("period_start", .string, .required)
            .field("period_end", .string, .required)
            .field("checklist", .string, .required)
            .field("findings", .string, .required)
            .field("actions", .string, .required)
            .field("signed_name", .string, .required)
            .field("signed_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("signed_at", .datetime, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // Who was invited when (the yearly job looks for the latest per apprentice), and each person's answers.
        try await sql.create(index: "disability_invitations_apprentice").on(DisabilityInvitation.schema).column("apprentice_id").column("sent_at").run()
        try await sql.create(index: "disability_invitations_applicant").on(DisabilityInvitation.schema).column("applicant_id").run()
        try await sql.create(index: "disability_answers_apprentice").on(DisabilitySelfIdentification.schema).column("apprentice_id").column("answered_at").run()
        try await sql.create(index: "disability_answers_applicant").on(DisabilitySelfIdentification.schema).column("applicant_id").column("answered_at").run()
        try await sql.create(index: "eeo_availability_lookup").on(AvailabilityFigure.schema).column("occupation_code").column("state").column("entered_at").run()
        try await sql.create(index: "eeo_outreach_date").on(OutreachActivity.schema).column("activity_date").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [AnnualReview.schema, OutreachActivity.schema, UtilizationGoal.schema, AvailabilityFigure.schema,
                       DisabilitySelfIdentification.schema, DisabilityInvitation.schema] {
            try await database.schema(schema).delete()
        }
        try await database.schema(User.schema).deleteField("is_eeo_officer").update()
    }
}
