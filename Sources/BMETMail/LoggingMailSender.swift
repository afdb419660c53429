import Logging

/// A `MailSender` that only logs that a message would have been sent.
///
/// It deliberately logs the recipient, subject and body size but never the
/// body: bodies carry password-reset and invitation links, and secrets must
/// not end up in logs.
public struct LoggingMailSender: MailSender {
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func send(_ message: MailMessage) async throws {
        logger.info(
            "mail sent (logging only, not delivered)",
            metadata: [
                "mail.to": .string(message.to),
                "mail.subject": .string(message.subject),
                "mail.body_bytes": .stringConvertible(message.textBody.utf8.count),
            ]
        )
    }
}
