import Fluent
import Vapor

/// Every e-mail the platform sends is first stored here, then handed to the configured sender.
final class OutboxMessage: Model, @unchecked Sendable {
    static let schema = "outbox_messages"

    enum Status: String, Codable, Sendable {
        case pending, sent, failed
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    /// What staff may read in the outbox: secret links are hidden.
    @Field(key: "body") var body: String
    /// The full body, AES-GCM sealed, when it carries a secret link; wiped once the message is sent or given up.
    @OptionalField(key: "sealed_body") var sealedBody: String?
    @Enum(key: "status") var status: Status
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "last_error") var lastError: String?
    /// A dispatcher writes its own random claim here before sending, so two app instances never send one message twice.
    @OptionalField(key: "claim") var claim: String?
    /// When the claim was taken; a claim older than `Outbox.claimTimeout` belonged to an instance that died.
    @OptionalField(key: "claimed_at") var claimedAt: Date?
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?

    init() {}

    init(recipient: String, subject: String, body: String, now: Date) {
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.status = .pending
        self.attempts = 0
        self.nextAttemptAt = now
        self.createdAt = now
    }
}
