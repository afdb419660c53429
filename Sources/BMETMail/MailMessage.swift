/// A plain-text e-mail to one recipient.
///
/// `from` and `to` accept either a bare address (`ada@example.org`) or a
/// display-name form (`Ada Lovelace <ada@example.org>`). Nothing is validated
/// here so that building a message never throws; senders validate before
/// anything leaves the process (see `SMTPMailSender`).
public struct MailMessage: Sendable, Equatable {
    public var from: String
    public var to: String
    public var subject: String
    public var textBody: String

    public init(from: String, to: String, subject: String, textBody: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.textBody = textBody
    }
}
