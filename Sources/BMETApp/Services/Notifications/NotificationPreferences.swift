import Fluent
import Vapor

/// Each person's delivery choices, read with the catalogue's defaults and changed only by the person themselves.
enum NotificationPreferences {
    struct Choice: Equatable {
        let kind: NoticeKind
        let delivery: NoticeKind.Delivery
    }

    /// The kinds this person's role receives, each with their choice or the default.
    static func choices(of user: User, on db: any Database) async throws -> [Choice] {
        let stored = try await deliveries(for: [user.requireID()], on: db)[try user.requireID()] ?? [:]
        return NoticeKind.kinds(for: user.role).map { Choice(kind: $0, delivery: stored[$0] ?? $0.defaultDelivery) }
    }

    /// Stored choices of many people at once, for the notice jobs.
    static func deliveries(for userIDs: [UUID], on db: any Database) async throws -> [UUID: [NoticeKind: NoticeKind.Delivery]] {
        guard !userIDs.isEmpty else { return [:] }
        var result: [UUID: [NoticeKind: NoticeKind.Delivery]] = [:]
        for row in try await NotificationPreference.query(on: db).filter(\.$user.$id ~~ userIDs).all() {
            guard let kind = NoticeKind(rawValue: row.kind), kind.choices.contains(row.delivery) else { continue }
            result[row.$user.id, default: [:]][kind] = row.delivery
        }
        return result
    }

    /// Checks every submitted choice (kind raw value → delivery raw value) before saving any of them.
    /// Field errors are keyed by the kind, so a form shows each one beside its question.
    static func update(_ submitted: [String: String], of user: User, now: Date = Date(), on db: any Database) async throws {
        let allowed = NoticeKind.kinds(for: user.role)
        var errors = FieldErrors()
        var changes: [(NoticeKind, NoticeKind.Delivery)] = []
        for (key, value) in submitted.sorted(by: { $0.key < $1.key }) {
            guard let kind = NoticeKind(rawValue: key), allowed.contains(kind) else {
                errors[key] = "There is no notice \"\(key.prefix(60))\" for your role."
                continue
            }
            guard let delivery = NoticeKind.Delivery(rawValue: value), kind.choices.contains(delivery) else {
                errors[key] = kind.isRequired ? "This notice cannot be turned off; choose right away or the daily summary."
                                              : "Choose right away, the daily summary or off."
                continue
            }
            changes.append((kind, delivery))
        }
        if submitted.isEmpty { errors["form"] = "Choose how you want to get at least one notice." }
        guard errors.isEmpty else { throw ValidationFailure(errors: errors) }
        let userID = try user.requireID()
        let validated = changes
        try await db.writeTransaction { db in
            for (kind, delivery) in validated {
                if let row = try await NotificationPreference.query(on: db).filter(\.$user.$id == userID).filter(\.$kind == kind.rawValue).first() {
                    guard row.delivery != delivery else { continue }
                    row.delivery = delivery
                    row.updatedAt = now
                    try await row.update(on: db)
                } else {
                    try await NotificationPreference(userID: userID, kind: kind, delivery: delivery, at: now).create(on: db)
                }
            }
        }
    }
}
