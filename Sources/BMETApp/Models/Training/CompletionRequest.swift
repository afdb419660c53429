import Fluent
import Vapor

/// An employer's request that the sponsor complete an apprentice, with the checklist as it stood then.
/// The decision is written once (approved or returned with a reason); a returned request stays on file and a
/// new request is a new row.
final class CompletionRequest: Model, @unchecked Sendable {
    static let schema = "completion_requests"

    enum Status: String, Codable, Sendable, CaseIterable {
        case requested, approved, returned

        var label: String {
            switch self {
            case .requested: "Waiting for the sponsor"
            case .approved: "Approved"
            case .returned: "Returned"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Enum(key: "status") var status: Status
    @Field(key: "note") var note: String
    /// The progress engine's requirements at the time of the request, one line each.
    @Field(key: "checklist") var checklist: String
    @Parent(key: "requested_by_id") var requestedBy: User
    @Field(key: "requested_at") var requestedAt: Date
    @OptionalParent(key: "decided_by_id") var decidedBy: User?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "decision_note") var decisionNote: String?

    init() {}
}
