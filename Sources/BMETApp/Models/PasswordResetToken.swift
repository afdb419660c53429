import Fluent
import Vapor

/// A single-use, short-lived password reset link. Only the hash is stored.
final class PasswordResetToken: Model, @unchecked Sendable {
    static let schema = "password_reset_tokens"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "user_id") var user: User
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}

    init(tokenHash: String, userID: UUID, now: Date, lifetime: TimeInterval) {
        self.tokenHash = tokenHash
        self.$user.id = userID
        self.createdAt = now
        self.expiresAt = now.addingTimeInterval(lifetime)
    }
}
