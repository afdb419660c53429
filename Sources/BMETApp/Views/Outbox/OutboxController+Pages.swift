import Fluent
import Vapor

/// The page models of `OutboxController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension OutboxController {
    struct Row: Encodable {
        let id: String; let recipient: String; let subject: String; let status: String; let attempts: Int
        let created: String; let sent: String; let lastError: String?
    }

    static func row(_ message: OutboxMessage) -> Row {
        Row(id: message.id?.uuidString ?? "", recipient: message.recipient, subject: message.subject, status: message.status.rawValue,
            attempts: message.attempts, created: DateText.dateTime(message.createdAt), sent: DateText.dateTime(message.sentAt), lastError: message.lastError)
    }

    struct JobRow: Encodable { let name: String; let schedule: String }

    struct RunRow: Encodable {
        let job: String; let period: String; let status: String; let attempts: Int; let count: String
        let started: String; let finished: String; let runner: String; let error: String?
    }
}
