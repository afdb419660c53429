/// Something that can deliver a `MailMessage`.
///
/// The app depends on this protocol rather than on SMTP so that development,
/// tests and deployments without a mail server can swap in `LoggingMailSender`.
public protocol MailSender: Sendable {
    func send(_ message: MailMessage) async throws
}
