import Fluent
import Vapor

final class User: Model, Authenticatable, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "full_name") var fullName: String
    @Field(key: "password_hash") var passwordHash: String
    @Enum(key: "role") var role: Role
    @OptionalParent(key: "employer_id") var employer: Employer?
    @Field(key: "is_active") var isActive: Bool
    /// For an instruction provider's staff: the provider they belong to (as employer staff belong to one employer).
    @OptionalField(key: "provider_id") var providerID: UUID?
    /// Named by the sponsor as an EEO officer (29 CFR 30): only they reach the equal-opportunity pages and read an
    /// individual's disability self-identification. Only program administrators can hold it.
    @Field(key: "is_eeo_officer") var isEEOOfficer: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// Where the signed-in user's current request came from, set when the request is authenticated; not stored.
    /// The audit log records it with what the user does.
    var clientIP: String?

    init() {}

    init(id: UUID? = nil, email: String, fullName: String, passwordHash: String, role: Role, employerID: UUID?) {
        self.id = id
        self.email = email
        self.fullName = fullName
        self.passwordHash = passwordHash
        self.role = role
        self.$employer.id = employerID
        self.isActive = true
        self.isEEOOfficer = false
    }

    var employerID: UUID? { $employer.id }
}

