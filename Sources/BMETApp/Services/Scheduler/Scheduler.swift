import Fluent
import Vapor

/// Runs each scheduled job once per period across every app instance and cron. The claim is a row in
/// `job_runs` with a unique (job, period): the insert succeeds for exactly one claimer.
enum Scheduler {
    /// A failed period is tried again, up to this many starts in all.
    static let maxAttempts = 3
    /// A run still marked running after this long belonged to an instance that died; it may be taken over.
    static let staleAfter: TimeInterval = 30 * 60

    enum Outcome: Equatable {
        case ran(count: Int)
        case failed
        /// Another instance (or an earlier run) has the period.
        case taken
    }

    /// The jobs due at `now` with their periods, optionally only one job.
    static func due(now: Date, settings: AppSettings, only name: String? = nil) -> [(job: ScheduledJob, period: String)] {
        ScheduledJob.all.filter { name == nil || $0.name == name }.compactMap { job in job.period(now, settings).map { (job, $0) } }
    }

    /// Claims and runs every due job. What `bmet jobs run` and the loop in `bmet serve` call.
    @discardableResult
    static func runDue(app: Application, now: Date = Date(), only name: String? = nil) async throws -> [(job: String, period: String, outcome: Outcome)] {
        var results: [(String, String, Outcome)] = []
        for (job, period) in due(now: now, settings: app.settings, only: name) {
            results.append((job.name, period, try await run(job, period: period, app: app, now: now)))
        }
        return results
    }

    /// Runs `job` for `period` if this caller wins the claim, and records how it went.
    static func run(_ job: ScheduledJob, period: String, app: Application, now: Date = Date()) async throws -> Outcome {
        guard let claim = try await claim(job.name, period: period, now: now, on: app.db) else { return .taken }
        do {
            let count = try await job.work(app, now, period)
            claim.status = .finished
            claim.count = count
            claim.finishedAt = Date()
            try await app.db.writeTransaction { try await claim.update(on: $0) }
            return .ran(count: count)
        } catch {
            claim.status = .failed
            claim.error = String(String(reflecting: type(of: error)).prefix(300))
            claim.finishedAt = Date()
            try await app.db.writeTransaction { try await claim.update(on: $0) }
            app.logger.warning("Job \(job.name) failed for \(period): \(String(reflecting: type(of: error)))")
            return .failed
        }
    }

    /// Inserts the period's row; if it exists, takes it over only when it failed (and may be retried) or went stale.
    /// Returns the row when this caller holds the claim, nil when someone else does.
    static func claim(_ job: String, period: String, now: Date, on db: any Database) async throws -> JobRun? {
        let runner = runnerName()
        let row = JobRun()
        row.job = job
        row.period = period
        row.status = .running
        row.attempts = 1
        row.runner = runner
        row.startedAt = now
        do {
            try await row.create(on: db)
            return row
        } catch let error as any DatabaseError where error.isConstraintFailure {}

        guard let existing = try await JobRun.query(on: db).filter(\.$job == job).filter(\.$period == period).first() else { return nil }
        let retryable = existing.status == .failed && existing.attempts < maxAttempts
        let stale = existing.status == .running && existing.startedAt < now.addingTimeInterval(-staleAfter)
        guard retryable || stale else { return nil }
        // Conditional on what we read: if another claimer got there first, the attempts or status no longer match.
        try await JobRun.query(on: db)
            .filter(\.$id == existing.requireID())
            .filter(\.$status == existing.status)
            .filter(\.$attempts == existing.attempts)
            .set(\.$status, to: .running)
            .set(\.$attempts, to: existing.attempts + 1)
            .set(\.$runner, to: runner)
            .set(\.$startedAt, to: now)
            .set(\.$finishedAt, to: nil)
            .set(\.$error, to: nil)
            .update()
        return try await JobRun.query(on: db).filter(\.$id == existing.requireID()).filter(\.$runner == runner).first()
    }

    /// Host and process id, plus a random part so two claims never look alike.
    static func runnerName() -> String {
        "\(ProcessInfo.processInfo.hostName.prefix(60)):\(ProcessInfo.processInfo.processIdentifier):\(SecureToken.generate().prefix(8))"
    }
}
