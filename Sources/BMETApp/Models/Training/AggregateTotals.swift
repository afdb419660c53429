import Fluent
import Vapor

// Running totals kept in the same transaction as the records they sum, so progress never re-reads an
// apprentice's whole history. `bmet verify aggregates` recomputes them from the records and reports drift.

/// Approved minutes per apprentice and skill set.
final class SkillSetTotal: Model, @unchecked Sendable {
    static let schema = "agg_skill_set_totals"

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Field(key: "skill_set_code") var skillSetCode: String
    @Field(key: "approved_minutes") var approvedMinutes: Int
    @Field(key: "approved_entries") var approvedEntries: Int

    init() {}
}

/// Approved minutes per apprentice and week (Monday), for the recent pace.
final class WeekTotal: Model, @unchecked Sendable {
    static let schema = "agg_week_totals"

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Field(key: "week_start") var weekStart: String
    @Field(key: "approved_minutes") var approvedMinutes: Int

    init() {}
}

/// The latest assessment of each skill, derived from the append-only history.
final class SkillState: Model, @unchecked Sendable {
    static let schema = "agg_skill_states"

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Field(key: "skill_code") var skillCode: String
    @Field(key: "rating_code") var ratingCode: String
    @Field(key: "signs_off") var signsOff: Bool
    @Field(key: "assessment_count") var assessmentCount: Int
    @Field(key: "last_assessed_at") var lastAssessedAt: Date

    init() {}
}
