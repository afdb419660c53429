import Fluent
import Vapor

/// One mentor's rating of one skill at one moment. Never edited or deleted: the skill's current state is
/// the latest assessment, and the whole history is shown.
final class SkillAssessment: Model, @unchecked Sendable {
    static let schema = "skill_assessments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Field(key: "skill_code") var skillCode: String
    @Field(key: "rating_code") var ratingCode: String
    /// Copied from the rating scale at the time, so the history reads the same whatever changes later.
    @Field(key: "rating_label") var ratingLabel: String
    @Field(key: "signs_off") var signsOff: Bool
    @Field(key: "observed") var observed: String
    @OptionalField(key: "evidence_file") var evidenceFile: String?
    @OptionalField(key: "evidence_name") var evidenceName: String?
    @Parent(key: "assessor_id") var assessor: User
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// An apprentice asking their mentor to assess a skill. Answered by the next assessment of that skill.
final class AssessmentRequest: Model, @unchecked Sendable {
    static let schema = "assessment_requests"

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Field(key: "skill_code") var skillCode: String
    @Field(key: "note") var note: String
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalParent(key: "answered_by_id") var answeredBy: SkillAssessment?

    init() {}
}
