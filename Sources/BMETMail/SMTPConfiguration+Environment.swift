extension SMTPConfiguration {
    /// Environment variables read by `fromEnvironment(_:)`.
    public enum EnvironmentKey: Sendable {
        public static let host = "SMTP_HOST"
        public static let port = "SMTP_PORT"
        public static let security = "SMTP_SECURITY"
        public static let username = "SMTP_USERNAME"
        public static let password = "SMTP_PASSWORD"
        public static let heloName = "SMTP_HELO_NAME"
        public static let timeoutSeconds = "SMTP_TIMEOUT_SECONDS"
    }

    /// Builds a configuration from `SMTP_*` variables.
    ///
    /// Returns nil when `SMTP_HOST` is unset or empty, so callers can fall back
    /// to `LoggingMailSender`. Throws an `SMTPError` of kind
    /// `.invalidConfiguration` for values that are present but wrong, so a typo
    /// fails at boot instead of silently disabling mail.
    ///
    /// - `SMTP_SECURITY`: `none`, `starttls` or `tls` (case-insensitive); default `starttls`,
    ///   or `tls` when `SMTP_PORT` is 465.
    /// - `SMTP_PORT`: 1–65535; default from the security mode (25 / 587 / 465).
    /// - `SMTP_USERNAME` and `SMTP_PASSWORD`: both or neither.
    /// - `SMTP_HELO_NAME` (default `localhost`), `SMTP_TIMEOUT_SECONDS` (default 30).
    public static func fromEnvironment(_ env: [String: String]) throws -> SMTPConfiguration? {
        func value(_ key: String) -> String? {
            guard let raw = env[key]?.trimmingWhitespace(), !raw.isEmpty else { return nil }
            return raw
        }
        guard let host = value(EnvironmentKey.host) else { return nil }
        guard !host.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "@" }) else {
            throw SMTPError.invalidConfiguration("\(EnvironmentKey.host) must be a bare host name, got '\(host)'")
        }

        var port: Int?
        if let rawPort = value(EnvironmentKey.port) {
            guard let parsed = Int(rawPort), (1...65_535).contains(parsed) else {
                throw SMTPError.invalidConfiguration(
                    "\(EnvironmentKey.port) must be a number from 1 to 65535, got '\(rawPort)'")
            }
            port = parsed
        }

        let security: Security
        if let rawSecurity = value(EnvironmentKey.security) {
            guard let parsed = Security(rawValue: rawSecurity.lowercased()) else {
                throw SMTPError.invalidConfiguration(
                    "\(EnvironmentKey.security) must be one of none, starttls, tls; got '\(rawSecurity)'")
            }
            security = parsed
        } else {
            // Port 465 only ever speaks implicit TLS; elsewhere insist on encryption by default.
            security = port == 465 ? .tls : .startTLS
        }

        // The password is read raw: leading/trailing spaces can be part of it.
        let username = value(EnvironmentKey.username)
        let password = env[EnvironmentKey.password].flatMap { $0.isEmpty ? nil : $0 }
        switch (username, password) {
        case (nil, .some):
            throw SMTPError.invalidConfiguration(
                "\(EnvironmentKey.password) is set but \(EnvironmentKey.username) is not")
        case (.some, nil):
            throw SMTPError.invalidConfiguration(
                "\(EnvironmentKey.username) is set but \(EnvironmentKey.password) is not")
        default:
            break
        }

        var timeout = Duration.seconds(30)
        if let rawTimeout = value(EnvironmentKey.timeoutSeconds) {
            guard let seconds = Double(rawTimeout), seconds.isFinite, seconds >= 0.001, seconds <= 3600 else {
                throw SMTPError.invalidConfiguration(
                    "\(EnvironmentKey.timeoutSeconds) must be a number of seconds from 0.001 to 3600, got '\(rawTimeout)'")
            }
            timeout = .milliseconds(Int((seconds * 1000).rounded()))
        }

        let heloName = value(EnvironmentKey.heloName) ?? "localhost"
        guard heloName.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw SMTPError.invalidConfiguration(
                "\(EnvironmentKey.heloName) must be a host name without spaces, got '\(heloName)'")
        }

        return SMTPConfiguration(
            host: host,
            port: port,
            security: security,
            username: username,
            password: password,
            heloName: heloName,
            timeout: timeout
        )
    }
}
