import Fluent
import Vapor

/// An e-mailed link that lets a person create their own account with a given role and employer.
final class Invitation: Model, @unchecked Sendable {
    static let schema = "invitations"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "email") var email: String
    @Field(key: "full_name") var fullName: String
    @Enum(key: "role") var role: Role
    @OptionalParent(key: "employer_id") var employer: Employer?
    @Parent(key: "invited_by_id") var invitedBy: User
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "accepted_at") var acceptedAt: Date?
    @OptionalParent(key: "accepted_user_id") var acceptedUser: User?
    /// Set when a newer invitation to the same address replaces this one.
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    /// For an apprentice's invitation: the registration their account is linked to on acceptance.
    @OptionalField(key: "apprentice_id") var apprenticeID: UUID?
    /// For a provider's staff: the provider the account will belong to.
    @OptionalField(key: "provider_id") var providerID: UUID?

    init() {}

    init(tokenHash: String, email: String, fullName: String, role: Role, employerID: UUID?, invitedByID: UUID, now: Date, lifetime: TimeInterval) {
        self.tokenHash = tokenHash
        self.email = email
        self.fullName = fullName
        self.role = role
        self.$employer.id = employerID
        self.$invitedBy.id = invitedByID
        self.createdAt = now
        self.expiresAt = now.addingTimeInterval(lifetime)
    }

    func isOpen(at now: Date) -> Bool {
        acceptedAt == nil && revokedAt == nil && expiresAt > now
    }

    var status: String {
        if acceptedAt != nil { return "accepted" }
        if revokedAt != nil { return "replaced" }
        if expiresAt <= Date() { return "expired" }
        return "pending"
    }
}
