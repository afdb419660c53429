import Fluent
import Vapor

/// Work that `bmet serve` does on its own: sending due e-mail every few seconds and, hourly,
/// deleting what has expired. Both are safe to run from several instances at once.
struct BackgroundJobs: LifecycleHandler {
    final class Box: @unchecked Sendable { var task: Task<Void, Never>? }
    let box = Box()

    func didBootAsync(_ app: Application) async throws {
        box.task = Task {
            var lastHousekeeping = Date.distantPast
            while !Task.isCancelled {
                do {
                    try await Outbox.dispatchDue(app: app)
                    if Date().timeIntervalSince(lastHousekeeping) > 3600 {
                        try await Housekeeping.run(on: app.db)
                        lastHousekeeping = Date()
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

/// Removes expired sessions, used-up links and old sign-in attempts, which only matter for a while.
enum Housekeeping {
    static func run(on db: any Database, now: Date = Date()) async throws {
        try await UserSession.query(on: db).filter(\.$expiresAt < now).delete()
        try await PasswordResetToken.query(on: db).filter(\.$expiresAt < now.addingTimeInterval(-86_400)).delete()
        try await LoginAttempt.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-7 * 86_400)).delete()
    }
}
