import Fluent
import Vapor

/// A notice that has gone into the outbox for one recipient. The unique (user, dedupe key) pair is what keeps
/// the same notice from being sent twice, whichever instance or re-run tries; a daily digest is one row too.
final class SentNotice: Model, @unchecked Sendable {
    static let schema = "sent_notices"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    /// A `NoticeKind` raw value, or `digest` for the daily summary itself.
    @Field(key: "kind") var kind: String
    /// Names the thing noticed, e.g. `hours.pending:<entry id>` or `digest:2026-11-25`.
    @Field(key: "dedupe_key") var dedupeKey: String
    @Enum(key: "delivery") var delivery: NoticeKind.Delivery
    /// The line as it was mailed, so staff can see what a person was told.
    @Field(key: "text") var text: String
    @OptionalParent(key: "outbox_message_id") var outboxMessage: OutboxMessage?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
