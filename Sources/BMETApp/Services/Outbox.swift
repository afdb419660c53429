import BMETMail
import Fluent
import Vapor

/// Stores outgoing mail and hands it to the configured sender. Storing first means a message is never
/// lost when the mail relay is down, and the sponsor's staff can read what was sent.
enum Outbox {
    static let maxAttempts = 5
    static let claimTimeout: TimeInterval = 10 * 60

    /// Paths whose last segment is a secret token: such links reach only the recipient, never a reader of the outbox.
    static let secretLinkPattern = #"/(invitations|reset-password|self-identify)/[A-Za-z0-9_-]+"#

    /// Stores a message. A body with a secret link is stored twice: sealed with `cipher` for sending, and with
    /// the link hidden for display.
    @discardableResult
    static func enqueue(to recipient: String, subject: String, body: String, sealingWith cipher: DataCipher? = nil, on db: any Database) async throws -> OutboxMessage {
        var display = body
        var sealed: String?
        if body.range(of: secretLinkPattern, options: .regularExpression) != nil {
            guard let cipher else { throw Abort(.internalServerError, reason: "A message with a secret link must be sealed.") }
            display = body.replacingOccurrences(of: secretLinkPattern, with: "/$1/[hidden: only the recipient gets this link]", options: .regularExpression)
            sealed = try cipher.seal(body)
        }
        let message = OutboxMessage(recipient: recipient, subject: subject, body: display, now: Date())
        message.sealedBody = sealed
        try await message.create(on: db)
        return message
    }

    /// Sends every message that is due. Safe to run from several app instances at once:
    /// each message is claimed with a conditional update before it is sent.
    /// Returns how many were sent.
    @discardableResult
    static func dispatchDue(app: Application, now: Date = Date()) async throws -> Int {
        let db = app.db
        let staleClaims = now.addingTimeInterval(-claimTimeout)
        let due = try await OutboxMessage.query(on: db)
            .filter(\.$status == .pending)
            .group(.or) { $0.filter(\.$claim == nil).filter(\.$claimedAt < staleClaims) }
            .filter(\.$nextAttemptAt <= now)
            .sort(\.$createdAt)
            .limit(50)
            .all()
        var sent = 0
        for message in due {
            let claim = SecureToken.generate()
            // The same conditions as the selection: another instance may have sent (or retried) it since.
            try await OutboxMessage.query(on: db)
                .filter(\.$id == message.requireID())
                .group(.or) { $0.filter(\.$claim == nil).filter(\.$claimedAt < staleClaims) }
                .filter(\.$status == .pending)
                .filter(\.$nextAttemptAt <= now)
                .set(\.$claim, to: claim)
                .set(\.$claimedAt, to: Date())
                .update()
            guard let mine = try await OutboxMessage.query(on: db)
                .filter(\.$id == message.requireID())
                .filter(\.$claim == claim)
                .first()
            else { continue } // another instance took it

            mine.attempts += 1
            do {
                let body = try mine.sealedBody.map { try app.dataCipher.open($0) } ?? mine.body
                try await app.mailSender.send(MailMessage(
                    from: app.settings.mailFrom, to: mine.recipient, subject: mine.subject, textBody: body))
                mine.status = .sent
                mine.sealedBody = nil
                mine.sentAt = Date()
                mine.lastError = nil
                sent += 1
            } catch {
                mine.lastError = String(describing: error).prefix(500).description
                if mine.attempts >= maxAttempts {
                    mine.status = .failed
                    mine.sealedBody = nil
                } else {
                    // Back off 1, 2, 4, 8 minutes between tries.
                    mine.nextAttemptAt = Date().addingTimeInterval(60 * pow(2, Double(mine.attempts - 1)))
                }
                app.logger.warning("Outbox message \(mine.id?.uuidString ?? "?") not sent (attempt \(mine.attempts))")
            }
            mine.claim = nil
            mine.claimedAt = nil
            try await mine.update(on: db)
        }
        return sent
    }
}
