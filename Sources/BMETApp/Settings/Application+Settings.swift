import BMETMail
import Vapor

extension Application {
    private struct SettingsKey: StorageKey { typealias Value = AppSettings }
    private struct MailSenderKey: StorageKey { typealias Value = any MailSender }

    var settings: AppSettings {
        get { storage[SettingsKey.self] ?? AppSettings(database: .sqliteMemory) }
        set { storage[SettingsKey.self] = newValue }
    }

    /// Where outbox messages go. Logging by default, SMTP when configured, a recorder in tests.
    public var mailSender: any MailSender {
        get { storage[MailSenderKey.self] ?? LoggingMailSender(logger: logger) }
        set { storage[MailSenderKey.self] = newValue }
    }
}
