import Fluent
import Vapor

/// The sponsor's staff can read every e-mail the platform has sent or will send, and see how the scheduled jobs
/// that produce the notices have run.
struct OutboxController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admins = routes.grouped(RoleGuard(.programAdmin))
        admins.get("outbox", use: list)
        admins.get("outbox", ":messageID", use: show)
    }

    @Sendable func list(req: Request) async throws -> Response {
        struct View: Encodable { let rows: [Row]; let jobs: [JobRow]; let runs: [RunRow] }
        let messages = try await OutboxMessage.query(on: req.db).sort(\.$createdAt, .descending).limit(200).all()
        let runs = try await JobRun.query(on: req.db).sort(\.$startedAt, .descending).limit(50).all()
        return try await req.render("outbox", title: "Outbox", View(
            rows: messages.map(Self.row),
            jobs: ScheduledJob.all.map { JobRow(name: $0.name, schedule: $0.schedule) },
            runs: runs.map { RunRow(job: $0.job, period: $0.period, status: $0.status.rawValue, attempts: $0.attempts,
                                    count: $0.count.map(String.init) ?? "", started: DateText.dateTime($0.startedAt),
                                    finished: DateText.dateTime($0.finishedAt), runner: String($0.runner.split(separator: ":").first ?? ""),
                                    error: $0.error) }))
    }

    @Sendable func show(req: Request) async throws -> Response {
        struct View: Encodable { let message: Row; let body: String }
        guard let id = req.parameters.get("messageID", as: UUID.self), let message = try await OutboxMessage.find(id, on: req.db) else {
            throw Abort(.notFound)
        }
        return try await req.render("outbox-message", title: message.subject, View(message: Self.row(message), body: message.body))
    }
}
