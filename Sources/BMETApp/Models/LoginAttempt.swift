import Fluent
import Vapor

/// One login try. Failed tries within a window throttle further tries for that address and IP;
/// kept in the database so the limit holds across app instances.
final class LoginAttempt: Model, @unchecked Sendable {
    static let schema = "login_attempts"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @OptionalField(key: "ip_address") var ipAddress: String?
    @Field(key: "succeeded") var succeeded: Bool
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(email: String, ipAddress: String?, succeeded: Bool, at: Date) {
        self.email = email
        self.ipAddress = ipAddress
        self.succeeded = succeeded
        self.createdAt = at
    }
}
