import Fluent
import Vapor

/// One run of a scheduled job for one period. The unique (job, period) pair is the claim: whichever instance
/// inserts the row runs the period; every other instance (or cron) finds it taken and skips it.
final class JobRun: Model, @unchecked Sendable {
    static let schema = "job_runs"

    enum Status: String, Codable, Sendable {
        case running, finished, failed
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "job") var job: String
    /// The period's name, e.g. `2026-11-25T14:05` for a five-minute job or `2026-11-25` for a daily one.
    @Field(key: "period") var period: String
    @Enum(key: "status") var status: Status
    /// How many times the period was started: a failed period is retried a few times.
    @Field(key: "attempts") var attempts: Int
    /// What the run did (e-mails queued, rows removed).
    @OptionalField(key: "count") var count: Int?
    @OptionalField(key: "error") var error: String?
    /// Host and process of the instance that ran it.
    @Field(key: "runner") var runner: String
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}
}
