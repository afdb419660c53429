import Fluent
import Vapor

/// A credential the sponsor issued: the completion certificate or an interim credential at a milestone.
/// The signed Open Badges credential is kept as issued; revocation is recorded beside it, never by deleting it.
final class IssuedCredential: Model, @unchecked Sendable {
    static let schema = "issued_credentials"

    enum Kind: String, Codable, Sendable, CaseIterable {
        case certificate, interim
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Enum(key: "kind") var kind: Kind
    /// Public number printed on the certificate and used in its verification address, e.g. BMET-2026-000042.
    @Field(key: "number") var number: String
    @Field(key: "name") var name: String
    @Field(key: "achievement_type") var achievementType: String
    /// Calendar day, `YYYY-MM-DD`.
    @Field(key: "awarded_on") var awardedOn: String
    /// Position in the revocation status list; random, so neighbours say nothing about each other.
    @Field(key: "status_index") var statusIndex: Int
    /// The compact JWS (VC-JWT) exactly as signed.
    @Field(key: "jwt") var jwt: String
    @Field(key: "key_id") var keyID: String
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalParent(key: "revoked_by_id") var revokedBy: User?
    @OptionalField(key: "revocation_reason") var revocationReason: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
