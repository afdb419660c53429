import Foundation
import Vapor

/// A job the scheduler runs once per period. The period is a name derived from the time, so every instance
/// (and cron) computes the same one and the database claim decides who runs it.
struct ScheduledJob: Sendable {
    let name: String
    /// How often, in words, for the admin page and `bmet jobs list`.
    let schedule: String
    /// The period `now` falls in, or nil while the job is not due (e.g. before the digest hour).
    let period: @Sendable (_ now: Date, _ settings: AppSettings) -> String?
    /// Does the work for `period`; returns a count worth recording (e-mails queued, rows removed).
    let work: @Sendable (_ app: Application, _ now: Date, _ period: String) async throws -> Int

    static let all: [ScheduledJob] = [immediateNotices, dailyDigest, housekeeping, progressRefresh, probationEnd, selfIdentificationInvitations, annualReviewReminder]

    static func named(_ name: String) -> ScheduledJob? { all.first { $0.name == name } }

    static let immediateNotices = ScheduledJob(
        name: "notices.immediate", schedule: "every 5 minutes",
        period: { now, _ in Periods.minutes(5, of: now) },
        work: { app, now, _ in try await NoticeMailer.sendImmediate(app: app, now: now) })

    static let dailyDigest = ScheduledJob(
        name: "notices.daily-digest", schedule: "daily from the digest hour (BMET_DIGEST_HOUR, local time BMET_TIME_ZONE)",
        period: { now, settings in Periods.localDay(of: now, fromHour: settings.digestHour, timeZone: settings.timeZone) },
        work: { app, now, period in try await NoticeMailer.sendDigests(app: app, day: period, now: now) })

    /// Progress moves with the calendar (pace, probation, reviews, wage steps by months): each new day every summary is
    /// recomputed once, and any a change left out of date is caught within minutes.
    static let progressRefresh = ScheduledJob(
        name: "progress.refresh", schedule: "every 5 minutes",
        period: { now, _ in Periods.minutes(5, of: now) },
        work: { app, _, _ in try await ProgressSummaries.refreshStale(on: app.db) })

    /// Probation ends by itself the day after its last day unless the employer suspended or cancelled first.
    static let probationEnd = ScheduledJob(
        name: "apprentices.probation-end", schedule: "daily",
        period: { now, _ in Periods.day(of: now) },
        work: { app, now, _ in try await ApprenticeRecords.endDueProbations(on: app.db, now: now) })

    /// 29 CFR 30.11: every apprentice in the program is invited once to self-identify a disability, then yearly.
    static let selfIdentificationInvitations = ScheduledJob(
        name: "eeo.self-identification", schedule: "daily",
        period: { now, _ in Periods.day(of: now) },
        work: { app, now, _ in try await SelfIdentification.sendDue(app: app, now: now) })

    /// 29 CFR 30.9: while the annual review of personnel practices is due, the EEO officers are reminded monthly.
    static let annualReviewReminder = ScheduledJob(
        name: "eeo.annual-review", schedule: "monthly, while the review is due",
        period: { now, _ in Periods.month(of: now) },
        work: { app, now, _ in try await AnnualReviews.remindIfDue(app: app, now: now) })

    static let housekeeping = ScheduledJob(
        name: "housekeeping", schedule: "hourly",
        period: { now, _ in Periods.hour(of: now) },
        work: { app, now, _ in try await Housekeeping.run(on: app.db, now: now) })
}

/// Period names. UTC for the short ones; the digest follows the program's local day.
enum Periods {
    private static func formatter(_ format: String, _ timeZone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = timeZone
        formatter.dateFormat = format
        return formatter
    }

    static func minutes(_ step: Int, of now: Date) -> String {
        let seconds = Double(step * 60)
        let start = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / seconds).rounded(.down) * seconds)
        return formatter("yyyy-MM-dd'T'HH:mm'Z'", TimeZone(identifier: "UTC")!).string(from: start)
    }

    static func day(of now: Date) -> String {
        formatter("yyyy-MM-dd", TimeZone(identifier: "UTC")!).string(from: now)
    }

    static func month(of now: Date) -> String {
        formatter("yyyy-MM", TimeZone(identifier: "UTC")!).string(from: now)
    }

    static func hour(of now: Date) -> String {
        formatter("yyyy-MM-dd'T'HH'Z'", TimeZone(identifier: "UTC")!).string(from: now)
    }

    /// The local date once the local clock has reached `fromHour`; nil before.
    static func localDay(of now: Date, fromHour: Int, timeZone: String) -> String? {
        let zone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard calendar.component(.hour, from: now) >= fromHour else { return nil }
        return formatter("yyyy-MM-dd", zone).string(from: now)
    }
}
