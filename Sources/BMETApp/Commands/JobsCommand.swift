import Fluent
import Vapor

/// `bmet jobs run [--job NAME]` — run the scheduled jobs that are due (for cron, or with background jobs off);
/// `bmet jobs list` — the jobs, their schedules and latest runs.
struct JobsCommand: AsyncCommandGroup {
    var help: String { "Run or list the scheduled jobs." }
    var commands: [String: any AnyAsyncCommand] { ["run": JobsRunCommand(), "list": JobsListCommand()] }
}

struct JobsRunCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "job", help: "Only this job (see `bmet jobs list`).") var job: String?
    }
    var help: String { "Run every job that is due now, each period once across all instances." }

    func run(using context: CommandContext, signature: Signature) async throws {
        if let name = signature.job, ScheduledJob.named(name) == nil {
            context.console.error("No job named \(name). Jobs: \(ScheduledJob.all.map(\.name).joined(separator: ", ")).")
            throw Abort(.badRequest, reason: "Unknown job")
        }
        let results = try await Scheduler.runDue(app: context.application, only: signature.job)
        if results.isEmpty { context.console.print("Nothing is due now.") }
        for (job, period, outcome) in results {
            switch outcome {
            case .ran(let count): context.console.print("\(job) \(period): done (\(count)).")
            case .failed: context.console.error("\(job) \(period): failed; see the log.")
            case .taken: context.console.print("\(job) \(period): already run.")
            }
        }
        // Immediate notices go out now rather than at the next dispatch.
        try await Outbox.dispatchDue(app: context.application)
    }
}

struct JobsListCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "List the jobs with their schedules and latest runs." }

    func run(using context: CommandContext, signature: Signature) async throws {
        for job in ScheduledJob.all {
            let last = try await JobRun.query(on: context.application.db).filter(\.$job == job.name).sort(\.$startedAt, .descending).first()
            let lastText = last.map { "last \($0.period) \($0.status.rawValue)\($0.count.map { " (\($0))" } ?? "")" } ?? "never run"
            context.console.print("\(job.name) — \(job.schedule) — \(lastText)")
        }
    }
}
