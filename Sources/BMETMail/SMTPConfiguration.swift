import NIOSSL

/// Where and how `SMTPMailSender` connects.
public struct SMTPConfiguration: Sendable {
    public enum Security: String, Sendable, Equatable, CaseIterable {
        /// Plain TCP. Only sensible for a relay on localhost or a test server.
        case none
        /// Plain TCP upgraded with STARTTLS (usually port 587); fails if the server does not offer it.
        case startTLS = "starttls"
        /// TLS from the first byte ("implicit TLS", usually port 465).
        case tls
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// Name sent with EHLO; servers may reject obviously bogus names, so set a real FQDN in production.
    public var heloName: String
    /// Limit for connecting and for each command/reply round-trip.
    public var timeout: Duration
    /// TLS settings for `.startTLS` / `.tls`; defaults to full certificate verification.
    public var tlsConfiguration: TLSConfiguration

    public init(
        host: String,
        port: Int? = nil,
        security: Security = .startTLS,
        username: String? = nil,
        password: String? = nil,
        heloName: String = "localhost",
        timeout: Duration = .seconds(30),
        tlsConfiguration: TLSConfiguration = .makeClientConfiguration()
    ) {
        self.host = host
        self.port = port ?? Self.defaultPort(for: security)
        self.security = security
        self.username = username
        self.password = password
        self.heloName = heloName
        self.timeout = timeout
        self.tlsConfiguration = tlsConfiguration
    }

    /// 465 for implicit TLS, 587 (submission) for STARTTLS, 25 otherwise.
    public static func defaultPort(for security: Security) -> Int {
        switch security {
        case .none: 25
        case .startTLS: 587
        case .tls: 465
        }
    }
}

extension SMTPConfiguration: CustomStringConvertible {
    /// Safe to log: the password is never included.
    public var description: String {
        let auth = username.map { "user \($0), password \(password == nil ? "unset" : "set")" } ?? "no auth"
        return "SMTP \(host):\(port) security=\(security.rawValue) \(auth)"
    }
}
