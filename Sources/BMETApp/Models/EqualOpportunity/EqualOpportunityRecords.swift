import BMETDomain
import Fluent
import Vapor

/// One invitation to self-identify a disability (29 CFR 30.11): to whom, at which stage, when, and the hashed token of
/// its link. Applicants have no account, so the link itself identifies the person; it is sent sealed in the outbox.
final class DisabilityInvitation: Model, @unchecked Sendable {
    static let schema = "disability_invitations"

    @ID(key: .id) var id: UUID?
    @Enum(key: "stage") var stage: SelfIdentificationStage
    @OptionalParent(key: "applicant_id") var applicant: Applicant?
    @OptionalParent(key: "apprentice_id") var apprentice: Apprentice?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "sent_at") var sentAt: Date

    init() {}
}

/// One answer to an invitation. Answers are appended (a person may change their answer at any time; the latest counts),
/// stored sealed with the data key, and kept in their own table, apart from the personnel record. Only EEO officers
/// read an individual answer; everyone else sees aggregated counts.
final class DisabilitySelfIdentification: Model, @unchecked Sendable {
    static let schema = "disability_self_identifications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "invitation_id") var invitation: DisabilityInvitation
    @OptionalParent(key: "applicant_id") var applicant: Applicant?
    @OptionalParent(key: "apprentice_id") var apprentice: Apprentice?
    /// A `DisabilityAnswer` raw value, sealed (AES-GCM).
    @Field(key: "answer_sealed") var answerSealed: String
    @Field(key: "answered_at") var answeredAt: Date

    init() {}
}

/// The availability of one group in the sponsor's recruitment area for one occupation and state (30.5), with its source.
/// Appended: the latest figure per occupation, state and group counts, and earlier ones stay as the record of the analysis.
final class AvailabilityFigure: Model, @unchecked Sendable {
    static let schema = "eeo_availability_figures"

    @ID(key: .id) var id: UUID?
    @Field(key: "occupation_code") var occupationCode: String
    @Field(key: "state") var state: String
    @Enum(key: "group_code") var group: EEOGroup
    /// Tenths of a percent (235 is 23.5%).
    @Field(key: "percent_tenths") var percentTenths: Int
    @Field(key: "source") var source: String
    @Field(key: "source_year") var sourceYear: Int
    @Parent(key: "entered_by_id") var enteredBy: User
    @Field(key: "entered_at") var enteredAt: Date

    init() {}
}

/// A utilization goal set for an under-utilized group (30.6): the availability figure as the goal, with a note.
final class UtilizationGoal: Model, @unchecked Sendable {
    static let schema = "eeo_utilization_goals"

    @ID(key: .id) var id: UUID?
    @Field(key: "occupation_code") var occupationCode: String
    @Field(key: "state") var state: String
    @Enum(key: "group_code") var group: EEOGroup
    @Field(key: "goal_tenths") var goalTenths: Int
    @Field(key: "note") var note: String
    @Parent(key: "set_by_id") var setBy: User
    @Field(key: "set_at") var setAt: Date

    init() {}
}

/// One outreach or recruitment activity (30.8).
final class OutreachActivity: Model, @unchecked Sendable {
    static let schema = "eeo_outreach_activities"

    @ID(key: .id) var id: UUID?
    @Field(key: "activity_date") var activityDate: String
    @Enum(key: "kind") var kind: OutreachKind
    @Field(key: "organization") var organization: String
    @Field(key: "description") var description: String
    /// Comma-separated: who the activity was meant to reach.
    @Field(key: "groups_reached") var groupsReached: String
    @Parent(key: "recorded_by_id") var recordedBy: User
    @Field(key: "recorded_at") var recordedAt: Date

    init() {}
}

/// The yearly review of personnel practices (30.9): the checklist as answered, findings, actions, who signed and when.
/// Signed reviews are final; the next year's is a new row.
final class AnnualReview: Model, @unchecked Sendable {
    static let schema = "eeo_annual_reviews"

    struct Answer: Codable, Sendable {
        let code: String
        let done: Bool
        let note: String
    }

    @ID(key: .id) var id: UUID?
    /// The 12 months the review covers, as days (`YYYY-MM-DD`).
    @Field(key: "period_start") var periodStart: String
    @Field(key: "period_end") var periodEnd: String
    /// JSON array of `Answer`, in the checklist's order.
    @Field(key: "checklist") var checklist: String
    @Field(key: "findings") var findings: String
    @Field(key: "actions") var actions: String
    @Field(key: "signed_name") var signedName: String
    @Parent(key: "signed_by_id") var signedBy: User
    @Field(key: "signed_at") var signedAt: Date

    init() {}

    var answers: [Answer] { (try? JSONDecoder().decode([Answer].self, from: Data(checklist.utf8))) ?? [] }
}
