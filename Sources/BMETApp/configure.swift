import BMETMail
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import SQLKit
import Vapor

/// Sets up the whole application. Tests pass their own settings (an in-memory database, a fast bcrypt cost)
/// and may replace `app.mailSender` afterwards.
public func configure(_ app: Application, settings: AppSettings) async throws {
    DateText.use(timeZone: settings.timeZone)
    app.settings = settings

    PrivateFiles.restrictNewFiles()
    try await DatabaseSetup.configure(app, settings: settings)
    if case .sqliteFile(let path) = settings.database { PrivateFiles.restrict(PrivateFiles.sqliteFiles(path)) }
    app.migrations.add(AppMigrations.all)
    app.databases.middleware.use(ProgressSummaryRowMiddleware())
    if app.databases.ids().contains(.sqliteWriter) { app.databases.middleware.use(ProgressSummaryRowMiddleware(), on: .sqliteWriter) }

    app.dataCipher = try DataCipher.load(settings: settings)
    app.views.use(.leaf)
    app.leaf.tags["progressBar"] = ProgressBarTag()
    app.passwords.use(.bcrypt(cost: settings.bcryptCost))
    app.routes.defaultMaxBodySize = "1mb"
    try InputCheckingDecoder.install()
    PasswordPool.install(on: app)

    let environment = ProcessInfo.processInfo.environment
    if let smtp = try SMTPConfiguration.fromEnvironment(environment), app.environment != .testing {
        app.mailSender = SMTPMailSender(configuration: smtp, eventLoopGroup: app.eventLoopGroup)
    } else if let directory = environment["BMET_MAIL_DIR"], !directory.isEmpty, app.environment != .testing {
        app.mailSender = FileMailSender(directory: directory)
    } else {
        app.mailSender = LoggingMailSender(logger: app.logger)
    }

    // Error handling first, so every later failure (even in middleware) becomes a proper page or problem; the
    // security headers outside it, so error pages and problem documents get them too.
    app.middleware = .init()
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(AppErrorMiddleware())
    app.middleware.use(InputTextMiddleware())
    app.middleware.use(SessionAuthenticator())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))

    // Made here, before any request, so concurrent requests never race to create them.
    _ = app.verificationThrottle
    _ = app.statusListCache
    try routes(app)

    // Our own, with a summary instead of a log line per migration (replaces Fluent's `migrate`).
    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(BMETServeCommand(), as: "serve", isDefault: true)
    app.asyncCommands.use(SeedCommand(), as: "seed")
    app.asyncCommands.use(AdminCommand(), as: "admin")
    app.asyncCommands.use(StandardsCommand(), as: "standards")
    app.asyncCommands.use(OutboxCommand(), as: "outbox")
    app.asyncCommands.use(JobsCommand(), as: "jobs")
    app.asyncCommands.use(VerifyCommand(), as: "verify")
    app.asyncCommands.use(KeysCommand(), as: "keys")
    app.asyncCommands.use(AuditCommand(), as: "audit")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
    app.asyncCommands.use(ImportCommand(), as: "import")

    if settings.runBackgroundJobs {
        app.lifecycle.use(BackgroundJobs())
    }
    // Only the server holds the data folder; one-off commands (restore itself among them) do not.
    let command = app.environment.arguments.dropFirst().first
    if app.environment != .testing, command == nil || command == "serve" {
        app.lifecycle.use(ServerDataFolderLock())
    }
}

func routes(_ app: Application) throws {
    // Every API operation that takes a body takes JSON: anything else is a 415 before the handler runs.
    let api = app.grouped(JSONBodyMiddleware())
    try api.register(collection: SystemController())
    try api.register(collection: APIController())
    try api.register(collection: TrainingAPIController())
    try api.register(collection: NotificationsAPIController())

    let web = app.grouped(CSRFMiddleware())
    try web.register(collection: PublicController())
    try web.register(collection: AuthController())
    try web.register(collection: DashboardController())
    try web.register(collection: ProgramsController())
    try web.register(collection: EmployersController())
    try web.register(collection: PeopleController())
    try web.register(collection: OutboxController())
    try web.register(collection: ApplicantsController())
    try web.register(collection: InquiriesController())
    try web.register(collection: ApprenticesController())
    try web.register(collection: AccountController())
    try web.register(collection: HoursController())
    try web.register(collection: ApprovalsController())
    try web.register(collection: SkillsController())
    try web.register(collection: InstructionController())
    try web.register(collection: CredentialsController())
    try web.register(collection: WagesController())
    try web.register(collection: ReviewsController())
    try web.register(collection: CompletionController())
    try web.register(collection: CertificatesController())
    try web.register(collection: VerificationController())
    try web.register(collection: AuditController())
    try web.register(collection: OutcomesController())
    try web.register(collection: RapidsController())
    try web.register(collection: RegistrationDataController())
    try web.register(collection: ExportsController())
    try web.register(collection: EEOController())
    try web.register(collection: SelfIdentificationController())
    try web.register(collection: ProvidersController())
    try web.register(collection: ProviderStaffController())
    try web.register(collection: ImportsController())

    app.routeMethods = RouteMethods(app.routes)
}

/// Chooses the database from the settings: a SQLite file (WAL, foreign keys) or PostgreSQL.
enum DatabaseSetup {
    static func configure(_ app: Application, settings: AppSettings) async throws {
        switch settings.database {
        case .sqliteMemory:
            // One in-memory database shared by the driver's connections; writes still queue in one writer.
            let writer = SQLiteWriter(writerDatabase: { nil })
            app.databases.use(SQLiteWriterConfiguration(base: DatabaseConfigurationFactory.sqlite(.memory).make(), writer: writer), as: .sqlite)
            try await configureSQLiteConnections(app)
        case .sqliteFile(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            // Readers use the driver's connection per event loop; writes go through one dedicated connection on one
            // loop (`SQLiteWriter`), so a write transaction never holds a connection a reader waits for.
            let writerLoop = app.eventLoopGroup.next()
            let databases = WeakDatabases(app.databases)
            let logger = app.logger
            let writer = SQLiteWriter(writerDatabase: { databases.value?.database(.sqliteWriter, logger: logger, on: writerLoop) })
            app.databases.use(SQLiteWriterConfiguration(base: DatabaseConfigurationFactory.sqlite(.file(path)).make(), writer: writer), as: .sqlite)
            app.databases.use(SQLiteWriterConfiguration(base: DatabaseConfigurationFactory.sqlite(.file(path)).make(), writer: writer),
                              as: .sqliteWriter, isDefault: false)
            // WAL lets readers run beside the writer; the setting is stored in the file itself.
            try await app.db(.sqlite).sql().raw("PRAGMA journal_mode=WAL").run()
            try await configureSQLiteConnections(app)
        case .postgres(let url):
            app.databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: settings.databasePoolSize), as: .psql)
        }
    }
}

extension DatabaseSetup {
    /// SQLite settings that live on each connection, not in the file. The driver keeps one connection per event loop
    /// for the life of the pool and offers no hook for new ones, so each loop's connection is set up here, at start.
    /// - `busy_timeout` replaces sqlite-nio's busy handler, which retries in a tight loop forever, with SQLite's own
    ///   sleeping wait (5 s, then "database is locked"): another process's writer (cron, the CLI) no longer costs a core.
    ///   Writers of this process queue in `SQLiteWriter` and never reach it.
    /// - `cache_size`: 16 MiB of page cache per connection (the default is 2 MiB), measured in docs/PERFORMANCE.md.
    static func configureSQLiteConnections(_ app: Application) async throws {
        let ids = app.databases.ids().filter { $0 == .sqlite || $0 == .sqliteWriter }
        for id in ids {
            for loop in app.eventLoopGroup.makeIterator() {
                guard let sql = try app.databases.database(id, logger: app.logger, on: loop)?.sql() else { continue }
                try await sql.raw("PRAGMA busy_timeout = 5000").run()
                try await sql.raw("PRAGMA cache_size = -16384").run()
            }
        }
    }
}

/// The app's databases without keeping them alive: the writer's configuration is stored inside them.
final class WeakDatabases: @unchecked Sendable {
    weak var value: Databases?
    init(_ value: Databases) { self.value = value }
}

/// Conservative browser security headers on every response.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        // Pages with personal data (and API answers) must not linger in shared or browser caches.
        // Error answers too: a 404 or 401 page must not be cached as if it were the page at that address.
        if req.auth.has(User.self) || response.status.code >= 400 || req.url.path.hasPrefix("/api/") || req.url.path.hasPrefix("/invitations/") || req.url.path.hasPrefix("/reset-password/")
            || req.url.path.hasPrefix("/self-identify/") {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        if req.application.settings.secureCookies {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
        return response
    }
}
