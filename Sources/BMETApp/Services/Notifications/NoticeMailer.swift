import BMETDomain
import Fluent
import Vapor

/// Turns detected notices into outbox e-mail, each notice once per recipient: immediate notices as their own
/// e-mail, digest notices folded into one summary per recipient per day. Preferences set to off send nothing.
enum NoticeMailer {
    /// Sends every immediate notice not sent before. Returns how many e-mails were queued.
    @discardableResult
    static func sendImmediate(app: Application, now: Date) async throws -> Int {
        let plan = try await Plan.make(.immediate, now: now, on: app.db)
        var queued = 0
        for notice in plan.notices {
            guard let user = plan.users[notice.recipientID] else { continue }
            let body = greeting(user) + notice.text + "\n" + link(notice.path, app) + "\n\n"
                + "You get this e-mail right away because of your notification settings: \(link("/account#notifications", app))\n"
            let stored = try await record([(notice.kind.rawValue, notice.dedupeKey, notice.text)], for: user, delivery: .immediate,
                                          subject: notice.kind.label, body: body, now: now, on: app.db)
            if stored { queued += 1 }
        }
        return queued
    }

    /// Sends one summary to each person with digest notices not sent before, listing all of them.
    /// `day` names the digest (the local date), so a second run that day finds it sent and sends nothing.
    @discardableResult
    static func sendDigests(app: Application, day: String, now: Date) async throws -> Int {
        let plan = try await Plan.make(.digest, now: now, on: app.db)
        let byRecipient = Dictionary(grouping: plan.notices, by: \.recipientID)
        var queued = 0
        for (recipientID, notices) in byRecipient.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            guard let user = plan.users[recipientID] else { continue }
            var body = greeting(user) + "Here is what needs your attention (\(day)).\n"
            for kind in NoticeKind.allCases {
                let items = notices.filter { $0.kind == kind }
                guard !items.isEmpty else { continue }
                body += "\n\(kind.label) (\(items.count))\n"
                for item in items { body += "- \(item.text)\n  \(link(item.path, app))\n" }
            }
            if user.role == .mentor { body += "\nEverything waiting for you: \(link("/approvals", app))\n" }
            body += "\nYou get this summary once a day because of your notification settings: \(link("/account#notifications", app))\n"
            let subject = notices.count == 1 ? "Your daily summary: 1 item" : "Your daily summary: \(notices.count) items"
            let rows: [(String, String, String)] = [("digest", "digest:\(day)", subject)] + notices.map { ($0.kind.rawValue, $0.dedupeKey, $0.text) }
            if try await record(rows, for: user, delivery: .digest, subject: subject, body: body, now: now, on: app.db) { queued += 1 }
        }
        return queued
    }

    /// The notices of one delivery that are due: the recipient is active, chose this delivery, and has not had it yet.
    private struct Plan {
        var notices: [Notice] = []
        var users: [UUID: User] = [:]

        static func make(_ delivery: NoticeKind.Delivery, now: Date, on db: any Database) async throws -> Plan {
            let detected = try await NoticeDetector.detect(now: now, on: db)
            let recipientIDs = Array(Set(detected.map(\.recipientID)))
            guard !recipientIDs.isEmpty else { return Plan() }
            let users = try await User.query(on: db).filter(\.$id ~~ recipientIDs).filter(\.$isActive == true).all()
            var plan = Plan()
            for user in users { if let id = user.id { plan.users[id] = user } }
            let chosen = try await NotificationPreferences.deliveries(for: recipientIDs, on: db)
            let sent = try await SentNotice.query(on: db).filter(\.$user.$id ~~ recipientIDs).filter(\.$dedupeKey ~~ Array(Set(detected.map(\.dedupeKey))))
                .all().map { "\($0.$user.id) \($0.dedupeKey)" }
            let alreadySent = Set(sent)
            var seen = Set<String>()
            for notice in detected {
                guard let user = plan.users[notice.recipientID], user.role == notice.kind.recipientRole else { continue }
                guard (chosen[notice.recipientID]?[notice.kind] ?? notice.kind.defaultDelivery) == delivery else { continue }
                let key = "\(notice.recipientID) \(notice.dedupeKey)"
                guard !alreadySent.contains(key), seen.insert(key).inserted else { continue }
                plan.notices.append(notice)
            }
            return plan
        }
    }

    /// Stores the sent-notice rows and the e-mail in one transaction. A unique-key conflict means another run
    /// sent it first: nothing is stored and false is returned.
    private static func record(_ rows: [(String, String, String)], for user: User, delivery: NoticeKind.Delivery,
                               subject: String, body: String, now: Date, on db: any Database) async throws -> Bool {
        let userID = try user.requireID()
        do {
            try await db.writeTransaction { db in
                let message = try await Outbox.enqueue(to: user.email, subject: subject, body: body, on: db)
                for (kind, key, text) in rows {
                    let notice = SentNotice()
                    notice.$user.id = userID
                    notice.kind = kind
                    notice.dedupeKey = key
                    notice.delivery = delivery
                    notice.text = String(text.prefix(1000))
                    notice.$outboxMessage.id = try message.requireID()
                    notice.createdAt = now
                    try await notice.create(on: db)
                }
            }
            return true
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false
        }
    }

    private static func greeting(_ user: User) -> String {
        let first = user.fullName.split(separator: " ").first.map(String.init) ?? user.fullName
        return "Hello \(first),\n\n"
    }

    private static func link(_ path: String, _ app: Application) -> String { app.settings.baseURL + path }
}
