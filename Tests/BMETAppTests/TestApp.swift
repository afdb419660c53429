@testable import BMETApp
import BMETMail
import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// The repository root, so Leaf finds `Resources/Views` and the seed finds `standards/` wherever tests run from.
let packageRoot: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/"

/// Every test gets its own database: in-memory SQLite by default; a SQLite file in the test's data folder (WAL, the
/// dedicated writer connection, as `bmet serve` runs) when `sqliteFile` is set or `BMET_TEST_SQLITE=file`; or a fresh
/// PostgreSQL database created for the test when `DATABASE_URL` names a PostgreSQL server (and dropped afterwards).
func withTestApp<T>(sqliteFile: Bool = false, _ test: (Application) async throws -> T) async throws -> T {
    // Each PostgreSQL test holds its own database and pool; cap how many run at once so the server's
    // connection limit is never the thing a test fails on.
    let onPostgres = ProcessInfo.processInfo.environment["DATABASE_URL"]?.hasPrefix("postgres") == true
    if onPostgres { await TestSlots.shared.acquire() }
    defer { if onPostgres { Task { await TestSlots.shared.release() } } }
    let app = try await Application.make(.testing)
    app.directory = DirectoryConfiguration(workingDirectory: packageRoot)
    app.logger.logLevel = .warning
    let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("bmet-test-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
    var settings = AppSettings(database: .sqliteMemory, dataDirectory: dataDirectory, baseURL: "http://bmet.test", bcryptCost: 4, runBackgroundJobs: false, databasePoolSize: 1)
    if sqliteFile || ProcessInfo.processInfo.environment["BMET_TEST_SQLITE"] == "file" {
        settings.database = .sqliteFile(path: dataDirectory + "/bmet.sqlite")
    }
    var dropDatabase: String?
    let adminID = DatabaseID(string: "pg-admin")

    do {
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], url.hasPrefix("postgres") {
            let name = "bmet_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            app.databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 1), as: adminID, isDefault: false)
            try await (app.db(adminID) as! any SQLDatabase).raw("CREATE DATABASE \(ident: String(name))").run()
            dropDatabase = String(name)
            settings.database = .postgres(url: try replacingDatabase(in: url, with: String(name)))
        }
        try await configure(app, settings: settings)
        app.mailSender = RecordingMailSender()
        try await app.autoMigrate()
        let result = try await test(app)
        try await cleanUp(app, dropDatabase: dropDatabase, adminID: adminID)
        return result
    } catch {
        try? await cleanUp(app, dropDatabase: dropDatabase, adminID: adminID)
        throw error
    }
}

private func cleanUp(_ app: Application, dropDatabase: String?, adminID: DatabaseID) async throws {
    if let dropDatabase {
        try? await (app.db(adminID) as! any SQLDatabase).raw("DROP DATABASE IF EXISTS \(ident: dropDatabase) WITH (FORCE)").run()
    }
    try await app.asyncShutdown()
}

private func replacingDatabase(in url: String, with name: String) throws -> String {
    guard var components = URLComponents(string: url) else { throw Abort(.internalServerError, reason: "Bad DATABASE_URL") }
    components.path = "/" + name
    return components.string ?? url
}

/// Keeps every message "sent", for tests to read; can be told to fail.
final class RecordingMailSender: MailSender, @unchecked Sendable {
    private let lock = NSLock()
    private var sent: [MailMessage] = []
    private var failuresLeft = 0

    var messages: [MailMessage] { lock.withLock { sent } }
    func fail(times: Int) { lock.withLock { failuresLeft = times } }

    func send(_ message: MailMessage) async throws {
        try lock.withLock {
            if failuresLeft > 0 {
                failuresLeft -= 1
                throw SMTPError(kind: .unexpectedReply, step: "RCPT TO", replyCode: 550, replyText: "mailbox unavailable")
            }
            sent.append(message)
        }
    }
}

/// The recipient's inbox: sends what is due, then finds the token of a link in the newest delivered message.
enum Inbox {
    static func token(_ app: Application, to recipient: String, path: String) async throws -> String {
        try await Outbox.dispatchDue(app: app)
        let sender = try #require(app.mailSender as? RecordingMailSender)
        for message in sender.messages.reversed() where message.to == recipient {
            if let range = message.textBody.range(of: "/\(path)/[A-Za-z0-9_-]+", options: .regularExpression) {
                return String(message.textBody[range].split(separator: "/").last ?? "")
            }
        }
        Issue.record("No /\(path)/ link was mailed to \(recipient)")
        throw Abort(.notFound)
    }
}

/// A counting semaphore for tests that need a scarce resource (PostgreSQL connections).
actor TestSlots {
    static let shared = TestSlots(limit: 24)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { free = limit }

    func acquire() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
