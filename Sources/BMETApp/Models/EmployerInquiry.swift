import BMETDomain
import Fluent
import Vapor

/// A U.S. employer asking to become a partner.
final class EmployerInquiry: Model, @unchecked Sendable {
    static let schema = "employer_inquiries"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization") var organization: String
    @Enum(key: "employer_type") var employerType: EmployerType
    @Field(key: "contact_name") var contactName: String
    @Field(key: "contact_email") var contactEmail: String
    @OptionalField(key: "contact_phone") var contactPhone: String?
    @Field(key: "address_line1") var addressLine1: String
    @OptionalField(key: "address_line2") var addressLine2: String?
    @Field(key: "city") var city: String
    @Field(key: "state") var state: String
    @Field(key: "zip") var zip: String
    @Field(key: "apprentices_wanted") var apprenticesWanted: Int
    @Field(key: "message") var message: String
    @Enum(key: "status") var status: InquiryStatus
    /// The partner employer created when the inquiry was activated.
    @OptionalParent(key: "employer_id") var employer: Employer?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

final class InquiryEvent: Model, @unchecked Sendable {
    static let schema = "inquiry_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "inquiry_id") var inquiry: EmployerInquiry
    @OptionalEnum(key: "from_status") var fromStatus: InquiryStatus?
    @Enum(key: "to_status") var toStatus: InquiryStatus
    @Field(key: "note") var note: String
    @OptionalParent(key: "actor_id") var actor: User?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(inquiryID: UUID, from: InquiryStatus?, to: InquiryStatus, note: String, actorID: UUID?, at: Date = Date()) {
        self.$inquiry.id = inquiryID
        self.fromStatus = from
        self.toStatus = to
        self.note = note
        self.$actor.id = actorID
        self.createdAt = at
    }
}
