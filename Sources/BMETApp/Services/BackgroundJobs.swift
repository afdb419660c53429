import Fluent
import SQLKit
import Vapor

/// Work that `bmet serve` does on its own: sending due e-mail every few seconds, and the scheduled jobs
/// (notices, the daily digest, housekeeping) once per period. Both are safe to run from several instances at once.
struct BackgroundJobs: LifecycleHandler {
    final class Box: @unchecked Sendable { var task: Task<Void, Never>? }
    let box = Box()

    func didBootAsync(_ app: Application) async throws {
        box.task = Task {
            // The period each job was last tried for by this instance: the database is asked once per period.
            var tried: [String: String] = [:]
            while !Task.isCancelled {
                do {
                    try await Outbox.dispatchDue(app: app)
                    let now = Date()
                    for (job, period) in Scheduler.due(now: now, settings: app.settings) where tried[job.name] != period {
                        tried[job.name] = period
                        _ = try await Scheduler.run(job, period: period, app: app, now: now)
                    }
                } catch {
                    app.logger.warning("Background job failed: \(String(reflecting: type(of: error)))")
                }
                try? await Task.sleep(for: .seconds(5))
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        box.task?.cancel()
        _ = await box.task?.value
    }
}

/// Removes expired sessions, used-up links, old sign-in attempts and old job runs, which only matter for a while.
enum Housekeeping {
    /// Job runs are kept this long for the admin page; their periods never come back, so the claim is not needed after.
    static let jobRunDays = 90

    /// Returns how many rows it removed.
    @discardableResult
    static func run(on db: any Database, now: Date = Date()) async throws -> Int {
        let sessions = UserSession.query(on: db).filter(\.$expiresAt < now)
        let resets = PasswordResetToken.query(on: db).filter(\.$expiresAt < now.addingTimeInterval(-86_400))
        let attempts = LoginAttempt.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-7 * 86_400))
        let runs = JobRun.query(on: db).filter(\.$startedAt < now.addingTimeInterval(-Double(jobRunDays) * 86_400)).filter(\.$status != .running)
        let removed = try await sessions.count() + resets.count() + attempts.count() + runs.count()
        try await sessions.delete()
        try await resets.delete()
        try await attempts.delete()
        try await runs.delete()
        // Throttle lock rows hold no data (one per address or e-mail ever seen): all go, the next check makes its own.
        try await db.sql().raw("DELETE FROM \(ident: ThrottleLock.schema)").run()
        return removed
    }
}
