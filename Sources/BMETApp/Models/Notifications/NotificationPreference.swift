import Fluent
import Vapor

/// One person's choice of delivery for one kind of notice. No row means the catalogue's default.
final class NotificationPreference: Model, @unchecked Sendable {
    static let schema = "notification_preferences"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    /// A `NoticeKind` raw value; unknown kinds (from an older catalogue) are ignored.
    @Field(key: "kind") var kind: String
    @Enum(key: "delivery") var delivery: NoticeKind.Delivery
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(userID: UUID, kind: NoticeKind, delivery: NoticeKind.Delivery, at: Date) {
        self.$user.id = userID
        self.kind = kind.rawValue
        self.delivery = delivery
        self.updatedAt = at
    }
}
