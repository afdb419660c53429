import Fluent
import Vapor

/// A periodic progress review: the mentor's and the apprentice's comments and the goals for the next period,
/// signed by mentor, apprentice and employer. Once anyone has signed, the text is frozen.
final class ProgressReview: Model, @unchecked Sendable {
    static let schema = "progress_reviews"

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    /// 1 for the first review period, 2 for the second…
    @Field(key: "period_number") var periodNumber: Int
    @Field(key: "period_end") var periodEnd: String
    @Field(key: "mentor_comments") var mentorComments: String
    @Field(key: "apprentice_comments") var apprenticeComments: String
    @Field(key: "goals") var goals: String
    @Parent(key: "created_by_id") var createdBy: User
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "completed_at") var completedAt: Date?

    init() {}
}

final class ReviewSignature: Model, @unchecked Sendable {
    static let schema = "review_signatures"

    enum Party: String, Codable, Sendable, CaseIterable {
        case mentor, apprentice, employer

        var label: String {
            switch self {
            case .mentor: "Mentor"
            case .apprentice: "Apprentice"
            case .employer: "Employer"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "review_id") var review: ProgressReview
    @Enum(key: "party") var party: Party
    @Parent(key: "signer_id") var signer: User
    @Field(key: "signed_at") var signedAt: Date

    init() {}
}
