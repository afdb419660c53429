@testable import BMETApp
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Scheduled jobs run once per period, however many instances claim it at once, and every run is recorded.
@Suite("Scheduler")
struct SchedulerTests {
    static func instant(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test("eight claimers of one period at once: exactly one wins")
    func concurrentClaim() async throws {
        try await withTestApp { app in
            let now = Date()
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 { group.addTask { try await Scheduler.claim("test.job", period: "P1", now: now, on: app.db) != nil } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
            #expect(try await JobRun.query(on: app.db).count() == 1)
            // Another period is a new claim.
            #expect(try await Scheduler.claim("test.job", period: "P2", now: now, on: app.db) != nil)
        }
    }

    @Test("four instances running the digest at once send one digest")
    func concurrentRuns() async throws {
        try await withTestApp { app in
            let s = try await TrainingRecordTests.setup(app)
            _ = try await TrainingRecordTests.logWeek(app, s, hours: ["8", "8"])
            let now = Date()
            let outcomes = try await withThrowingTaskGroup(of: Scheduler.Outcome.self) { group in
                for _ in 0..<4 { group.addTask { try await Scheduler.run(.dailyDigest, period: "2026-11-25", app: app, now: now) } }
                return try await group.reduce(into: [Scheduler.Outcome]()) { $0.append($1) }
            }
            let ran = outcomes.filter { if case .ran = $0 { true } else { false } }
            #expect(ran.count == 1)
            #expect(outcomes.filter { $0 == .taken }.count == 3)
            try await Outbox.dispatchDue(app: app)
            let sender = try #require(app.mailSender as? RecordingMailSender)
            #expect(sender.messages.filter { $0.to == s.world.mentorA.email }.count == 1)
            let run = try #require(try await JobRun.query(on: app.db).filter(\.$job == "notices.daily-digest").first())
            #expect(run.status == .finished)
            #expect(run.finishedAt != nil)
            if let first = ran.first, case .ran(let count) = first { #expect(run.count == count) }
        }
    }

    @Test("a failing job is recorded and retried up to three starts, then left failed")
    func failures() async throws {
        try await withTestApp { app in
            let failing = ScheduledJob(name: "test.failing", schedule: "never", period: { _, _ in "P" },
                                       work: { _, _, _ in throw Abort(.serviceUnavailable) })
            for _ in 1...Scheduler.maxAttempts { #expect(try await Scheduler.run(failing, period: "P", app: app) == .failed) }
            #expect(try await Scheduler.run(failing, period: "P", app: app) == .taken)
            let run = try #require(try await JobRun.query(on: app.db).filter(\.$job == "test.failing").first())
            #expect(run.status == .failed)
            #expect(run.attempts == Scheduler.maxAttempts)
            #expect(run.error?.contains("Abort") == true)
        }
    }

    @Test("a run left running by an instance that died is taken over after 30 minutes, not before")
    func staleRun() async throws {
        try await withTestApp { app in
            let now = Date()
            let dead = try #require(try await Scheduler.claim("housekeeping", period: "H", now: now.addingTimeInterval(-600), on: app.db))
            #expect(try await Scheduler.claim("housekeeping", period: "H", now: now, on: app.db) == nil)
            dead.startedAt = now.addingTimeInterval(-Scheduler.staleAfter - 60)
            try await dead.update(on: app.db)
            let taken = try #require(try await Scheduler.claim("housekeeping", period: "H", now: now, on: app.db))
            #expect(taken.attempts == 2)
            #expect(taken.runner != dead.runner)
        }
    }

    @Test("periods: five-minute and hourly slots in UTC; the digest's local day from its hour")
    func periods() {
        let at = Self.instant("2026-11-25T14:07:30Z")
        #expect(Periods.minutes(5, of: at) == "2026-11-25T14:05Z")
        #expect(Periods.hour(of: at) == "2026-11-25T14Z")
        // 03:00 UTC is 22:00 the day before in New York; 11:30 UTC is 06:30 there, before a 7 o'clock digest.
        #expect(Periods.localDay(of: Self.instant("2026-11-25T03:00:00Z"), fromHour: 23, timeZone: "America/New_York") == nil)
        #expect(Periods.localDay(of: Self.instant("2026-11-25T03:00:00Z"), fromHour: 20, timeZone: "America/New_York") == "2026-11-24")
        #expect(Periods.localDay(of: Self.instant("2026-11-25T11:30:00Z"), fromHour: 7, timeZone: "America/New_York") == nil)
        #expect(Periods.localDay(of: Self.instant("2026-11-25T12:30:00Z"), fromHour: 7, timeZone: "America/New_York") == "2026-11-25")
        var settings = AppSettings(database: .sqliteMemory, digestHour: 7, timeZone: "America/New_York")
        #expect(Scheduler.due(now: Self.instant("2026-11-25T11:30:00Z"), settings: settings).map { $0.job.name } == ["notices.immediate", "housekeeping", "progress.refresh", "apprentices.probation-end", "eeo.self-identification", "eeo.annual-review"])
        settings.digestHour = 6
        #expect(Scheduler.due(now: Self.instant("2026-11-25T11:30:00Z"), settings: settings).map { $0.period } == ["2026-11-25T11:30Z", "2026-11-25", "2026-11-25T11Z", "2026-11-25T11:30Z", "2026-11-25", "2026-11-25", "2026-11"])
        #expect(Periods.day(of: at) == "2026-11-25")
        #expect(Periods.month(of: at) == "2026-11")
    }

    @Test("runDue runs what is due once per period; --job limits it to one job")
    func runDue() async throws {
        try await withTestApp { app in
            let now = Self.instant("2026-11-25T11:30:00Z")
            let only = try await Scheduler.runDue(app: app, now: now, only: "housekeeping")
            #expect(only.map { $0.job } == ["housekeeping"])
            #expect(only.first?.outcome == .ran(count: 0))
            let all = try await Scheduler.runDue(app: app, now: now)
            #expect(all.first { $0.job == "housekeeping" }?.outcome == .taken)
            #expect(all.first { $0.job == "notices.immediate" }?.outcome == .ran(count: 0))
        }
    }

    @Test("program admins see the job runs on the Outbox page; mentors cannot open it")
    func runsPage() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            _ = try await Scheduler.run(.housekeeping, period: "2026-11-25T14Z", app: app)
            let admin = Browser(app)
            _ = try await admin.signIn(w.admin.email)
            let page = try await admin.get("/outbox")
            #expect(page.status == .ok)
            #expect(page.text.contains("Scheduled jobs"))
            #expect(page.text.contains("2026-11-25T14Z"))
            #expect(page.text.contains("tag-finished"))
            let mentor = Browser(app)
            _ = try await mentor.signIn(w.mentorA.email)
            #expect(try await mentor.get("/outbox").status == .forbidden)
        }
    }
}
