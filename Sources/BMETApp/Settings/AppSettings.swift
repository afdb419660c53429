import Foundation

/// Everything the platform reads from its environment, parsed once at start-up.
/// Tests build one directly, so nothing in the app reads `ProcessInfo` itself.
public struct AppSettings: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        case sqliteFile(path: String)
        case sqliteMemory
        case postgres(url: String)
    }

    public var database: DatabaseChoice
    /// Folder for the SQLite file and other runtime data (keys, uploads) — never committed.
    public var dataDirectory: String
    /// Absolute base used in e-mailed links, e.g. `https://bmet.example.org`.
    public var baseURL: String
    /// Public contact address shown on the site.
    public var contactEmail: String
    /// Sender address for outgoing mail.
    public var mailFrom: String
    /// Mark cookies `Secure`; on whenever the base URL is https.
    public var secureCookies: Bool
    /// bcrypt cost; lowered only in tests so the suite stays fast.
    public var bcryptCost: Int
    /// Whether `serve` runs the outbox dispatcher in the background.
    public var runBackgroundJobs: Bool
    /// PostgreSQL connections per event loop (`BMET_DB_POOL`).
    public var databasePoolSize: Int
    /// Behind a reverse proxy (nginx), take the client's address from `X-Forwarded-For` (`BMET_TRUST_PROXY=1`).
    public var trustProxy: Bool
    /// Local hour (0–23) from which the daily notice digest goes out (`BMET_DIGEST_HOUR`).
    public var digestHour: Int
    /// The program's time zone for the digest's day and hour (`BMET_TIME_ZONE`, an IANA name).
    public var timeZone: String

    public init(
        database: DatabaseChoice,
        dataDirectory: String = "data",
        baseURL: String = "http://localhost:8080",
        contactEmail: String = "htm@example.org",
        mailFrom: String = "BMET Apprenticeship <no-reply@example.org>",
        secureCookies: Bool = false,
        bcryptCost: Int = 12,
        runBackgroundJobs: Bool = true,
        databasePoolSize: Int = 4,
        trustProxy: Bool = false,
        digestHour: Int = 7,
        timeZone: String = "America/New_York"
    ) {
        self.database = database
        self.dataDirectory = dataDirectory
        self.baseURL = baseURL
        self.contactEmail = contactEmail
        self.mailFrom = mailFrom
        self.secureCookies = secureCookies
        self.bcryptCost = bcryptCost
        self.runBackgroundJobs = runBackgroundJobs
        self.databasePoolSize = databasePoolSize
        self.trustProxy = trustProxy
        self.digestHour = digestHour
        self.timeZone = timeZone
    }

    /// Reads the documented environment variables (see README "Configuration").
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> AppSettings {
        let dataDirectory = env["BMET_DATA_DIR"].nonEmpty ?? "data"
        let database: DatabaseChoice
        if let url = env["DATABASE_URL"].nonEmpty, url.hasPrefix("postgres") {
            database = .postgres(url: url)
        } else if let url = env["DATABASE_URL"].nonEmpty, url.hasPrefix("sqlite://") {
            database = .sqliteFile(path: String(url.dropFirst("sqlite://".count)))
        } else {
            database = .sqliteFile(path: dataDirectory + "/bmet.sqlite")
        }
        let baseURL = (env["BMET_BASE_URL"].nonEmpty ?? "http://localhost:8080").trimmingSuffix("/")
        return AppSettings(
            database: database,
            dataDirectory: dataDirectory,
            baseURL: baseURL,
            contactEmail: env["BMET_CONTACT_EMAIL"].nonEmpty ?? "htm@example.org",
            mailFrom: env["BMET_MAIL_FROM"].nonEmpty ?? "BMET Apprenticeship <no-reply@example.org>",
            secureCookies: env["BMET_SECURE_COOKIES"].map { $0 == "1" || $0 == "true" } ?? baseURL.hasPrefix("https://"),
            bcryptCost: Int(env["BMET_BCRYPT_COST"] ?? "") ?? 12,
            runBackgroundJobs: env["BMET_BACKGROUND_JOBS"] != "0",
            databasePoolSize: max(1, Int(env["BMET_DB_POOL"] ?? "") ?? 4),
            trustProxy: env["BMET_TRUST_PROXY"] == "1",
            digestHour: Int(env["BMET_DIGEST_HOUR"] ?? "").flatMap { (0...23).contains($0) ? $0 : nil } ?? 7,
            timeZone: env["BMET_TIME_ZONE"].nonEmpty.flatMap { TimeZone(identifier: $0) != nil ? $0 : nil } ?? "America/New_York"
        )
    }
}

extension Optional where Wrapped == String {
    var nonEmpty: String? {
        guard let value = self?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
