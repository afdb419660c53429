import Fluent
import Vapor

/// A browser login. Kept in the database so several app instances can serve one user;
/// only the SHA-256 of the cookie value is stored.
final class UserSession: Model, @unchecked Sendable {
    static let schema = "user_sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "user_id") var user: User
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "ip_address") var ipAddress: String?
    @OptionalField(key: "user_agent") var userAgent: String?

    init() {}

    init(tokenHash: String, userID: UUID, now: Date, lifetime: TimeInterval, ipAddress: String?, userAgent: String?) {
        self.tokenHash = tokenHash
        self.$user.id = userID
        self.createdAt = now
        self.lastSeenAt = now
        self.expiresAt = now.addingTimeInterval(lifetime)
        self.ipAddress = ipAddress
        self.userAgent = userAgent.map { String($0.prefix(300)) }
    }
}
