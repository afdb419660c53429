@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// The progress read model: kept equal to recomputation by every change, served by the progress API, and the base of
/// the paginated cohort and sponsor pages.
@Suite("Progress read model and paginated dashboards")
struct ProgressSummaryTests {
    static func summary(_ app: Application, _ id: UUID) async throws -> ProgressSummaries.Row {
        try #require(try await ProgressSummaries.read([id], on: app.db as! any SQLDatabase)[id])
    }

    @Test("concurrent approvals, undos and corrections leave a current summary equal to recomputation; the API serves it")
    func summaryFollowsChanges() async throws {
        try await withTestApp { app in
            let s = try await TrainingRecordTests.setup(app)
            let id = try s.apprentice.requireID()
            let entries = try await TrainingRecordTests.logWeek(app, s)
            let mentor = try #require(try await User.find(s.world.mentorA.id, on: app.db))
            // Two mentors' worth of decisions at once: each entry approved by two racing requests.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for entry in entries {
                    for _ in 0..<2 { group.addTask { _ = try await HourLog.decide([entry.id!], .approve, comment: nil, by: mentor, on: app.db) } }
                }
                try await group.waitForAll()
            }
            var row = try await Self.summary(app, id)
            let today = ProgramCalendar.dayString(ProgramCalendar.today())
            #expect(row.isCurrent(on: today))
            // 37.5 approved hours plus the 40 credited at registration.
            #expect(row.totalMinutes == (2250 + 40 * 60))
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)

            // Undo two, in parallel, then approve a correction of a third: the summary follows each.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for entry in entries.prefix(2) { group.addTask { _ = try await HourLog.decide([entry.id!], .undo, comment: nil, by: mentor, on: app.db) } }
                try await group.waitForAll()
            }
            row = try await Self.summary(app, id)
            #expect(row.totalMinutes == 2250 - 16 * 60 + 40 * 60)
            let original = try #require(try await HourEntry.find(entries[2].id, on: app.db))
            let apprenticeUser = try #require(try await User.find(s.world.apprenticeA.id, on: app.db))
            let correction = try await HourLog.correct(original, HourEntryInput(date: original.entryDate, skillSetCode: "OS", hours: "4", description: "Shorter day than logged", clientKey: "fix-1"),
                                                       apprentice: s.apprentice, by: apprenticeUser, on: app.db)
            _ = try await HourLog.decide([correction.id!], .approve, comment: nil, by: mentor, on: app.db)
            row = try await Self.summary(app, id)
            #expect(row.totalMinutes == 2250 - 16 * 60 - 7 * 60 - 30 + 4 * 60 + 40 * 60)
            #expect(row.isCurrent(on: today))
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)

            // The API answers with the stored document, which equals a fresh computation.
            let token = try await Make.token(app, for: apprenticeUser)
            try await app.testing().test(.GET, "/api/v1/apprentices/\(id)/progress", headers: ["Authorization": "Bearer \(token)"]) { response in
                #expect(response.status == .ok)
                let fresh = String(decoding: try ProgressSummaries.documentEncoder.encode(ProgressDTO(try await ProgressReader.progress(of: s.apprentice, on: app.db))), as: UTF8.self)
                #expect(response.body.string == fresh)
            }

            // A row altered by hand is reported by verify and repaired.
            try await (app.db as! any SQLDatabase).raw("UPDATE progress_summaries SET document = '{}' WHERE apprentice_id = \(bind: id)").run()
            let drift = try await AggregateVerification.run(repair: false, on: app.db).drifts
            #expect(drift.map(\.what) == ["progress summary"])
            _ = try await AggregateVerification.run(repair: true, on: app.db)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)
        }
    }

    @Test("an approval's summary planned before its transaction equals recomputation, and is refused once the record moved")
    func plannedApprovalSummary() async throws {
        try await withTestApp { app in
            let s = try await TrainingRecordTests.setup(app)
            let id = try s.apprentice.requireID()
            let sql = app.db as! any SQLDatabase
            let entries = try await TrainingRecordTests.logWeek(app, s)
            let mentor = try #require(try await User.find(s.world.mentorA.id, on: app.db))
            let generation = try #require(try await ProgressSummaries.generations([id], on: sql)[id])
            let approving = entries.prefix(2).map {
                ProgressSummaries.PlannedApproval(entryID: $0.id!, skillSetCode: $0.skillSetCode, entryDate: $0.entryDate, minutes: $0.minutes)
            }
            let plan = try #require(try await ProgressSummaries.plan(s.apprentice, generation: generation, approving: approving, on: app.db))
            // A plan from records read at another generation is refused.
            #expect(try await ProgressSummaries.plan(s.apprentice, generation: generation - 1, approving: approving, on: app.db) == nil)

            _ = try await HourLog.decide(entries.prefix(2).map { $0.id! }, .approve, comment: nil, by: mentor, on: app.db)
            let row = try await Self.summary(app, id)
            #expect(row.isCurrent(on: ProgramCalendar.dayString(ProgramCalendar.today())))
            #expect(row.generation == generation + 1)
            // What was planned from the records before the approval is exactly what recomputation gives after it.
            let fresh = String(decoding: try ProgressSummaries.documentEncoder.encode(ProgressDTO(try await ProgressReader.progress(of: s.apprentice, on: app.db))), as: UTF8.self)
            #expect(plan.columns.document == fresh)
            #expect(try await ProgressSummaries.document(for: id, on: app.db) == fresh)
            #expect(row.totalMinutes == plan.columns.totalMinutes)

            // The plan is stale now (the approval moved the generation): writing it changes nothing.
            let wrote = try await app.db.writeTransaction { db in try await ProgressSummaries.writePlanned(plan, for: id, on: db as! any SQLDatabase) }
            #expect(!wrote)
            #expect(try await Self.summary(app, id).generation == generation + 1)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)

            // An approval that includes an entry rejected meanwhile is not planned but recomputed, and skips that entry.
            let third = entries[2], fourth = entries[3]
            _ = try await HourLog.decide([fourth.id!], .reject, comment: "Not this day", by: mentor, on: app.db)
            let result = try await HourLog.decide([third.id!, fourth.id!], .approve, comment: nil, by: mentor, on: app.db)
            #expect(result.decided.map(\.id) == [third.id!])
            #expect(result.skipped.map(\.reason) == ["already rejected"])
            let after = String(decoding: try ProgressSummaries.documentEncoder.encode(ProgressDTO(try await ProgressReader.progress(of: s.apprentice, on: app.db))), as: UTF8.self)
            #expect(try await ProgressSummaries.document(for: id, on: app.db) == after)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)
        }
    }

    @Test("a change made without the lock, and a new day, make the row stale; readers and the refresh job recompute it")
    func staleRowsAreRecomputed() async throws {
        try await withTestApp { app in
            let s = try await TrainingRecordTests.setup(app)
            let id = try s.apprentice.requireID()
            let sql = app.db as! any SQLDatabase
            // Yesterday's row: not current today.
            try await sql.raw("UPDATE progress_summaries SET computed_on = '2000-01-01', skills_signed = 99 WHERE apprentice_id = \(bind: id)").run()
            #expect(try await ProgressSummaries.document(for: id, on: app.db) == nil)
            #expect(try await ProgressSummaries.refreshStale(on: app.db) == 1)
            let row = try await Self.summary(app, id)
            #expect(row.isCurrent(on: ProgramCalendar.dayString(ProgramCalendar.today())))
            #expect(row.skillsSigned == 1) // the credited OS-01
            #expect(try await ProgressSummaries.refreshStale(on: app.db) == 0)
            // A status change written straight to the model still marks the row (model middleware).
            let apprentice = try #require(try await Apprentice.find(id, on: app.db))
            apprentice.status = .suspended
            try await apprentice.update(on: app.db)
            #expect(try await ProgressSummaries.document(for: id, on: app.db) == nil)
            let pages = try await ProgressSummaries.current([apprentice], on: app.db)
            #expect(pages[id]?.outlookCode == "at-risk")
        }
    }

    /// `count` running apprentices per employer, inserted in bulk, each with a current summary (every third at risk).
    static func bulkProgram(_ app: Application, employers: Int, perEmployer: Int) async throws -> (admin: User, employers: [Employer], mentor: User) {
        let admin = try await Make.user(app, role: .programAdmin, name: "Dana Admin")
        let version = try await StandardsLibrary.load(try Make.standardsFile, loadedBy: admin, on: app.db)
        let sql = app.db as! any SQLDatabase
        var made: [Employer] = []
        var firstMentor: User?
        let today = ProgramCalendar.dayString(ProgramCalendar.today())
        for e in 0..<employers {
            let employer = try await Make.employer(app, name: String(format: "Employer %03d", e))
            made.append(employer)
            let mentor = try await Make.user(app, role: .mentor, employer: employer, name: "Mentor \(e)")
            if firstMentor == nil { firstMentor = mentor }
            for a in 0..<perEmployer {
                let id = UUID()
                try await sql.raw("""
                    INSERT INTO apprentices (id, program_version_id, employer_id, mentor_id, full_name, email, start_date, probation_end, term_end, status,
                      registered_by_id, registered_at) VALUES (\(bind: id), \(bind: version.id!), \(bind: employer.id!), \(bind: mentor.id!),
                      \(bind: String(format: "Apprentice %03d-%03d", e, a)), \(bind: "a\(e)-\(a)@example.org"), '2026-01-05', '2026-07-05', '2028-01-05',
                      'active', \(bind: admin.id!), \(bind: Date()))
                    """).run()
                try await sql.raw("""
                    INSERT INTO progress_summaries (apprentice_id, generation, summarized_generation, computed_on, employer_id, total_minutes, minimum_hours,
                      hours_permille, skills_signed, skills_total, outlook_code, outlook_label, at_risk, eligible, review_overdue, review_can_start)
                    VALUES (\(bind: id), 1, 1, \(bind: today), \(bind: employer.id!), 60000, 4000, 250, 10, 196,
                      \(bind: a % 3 == 0 ? "at-risk" : "on-track"), \(bind: a % 3 == 0 ? "At risk" : "On track"), \(bind: a % 3 == 0), false, false, false)
                    """).run()
            }
        }
        return (admin, made, firstMentor!)
    }

    @Test("the sponsor's dashboard over 2,100 apprentices shows one page of employers and counts the whole program in SQL")
    func sponsorPage() async throws {
        try await withTestApp { app in
            let program = try await Self.bulkProgram(app, employers: 30, perEmployer: 70)
            let browser = Browser(app)
            _ = try await browser.signIn(program.admin.email)
            let first = try await browser.get("/dashboard")
            #expect(first.status == .ok)
            let page = first.text
            #expect(page.contains(">2100</span> <span class=\"figure-label\">Apprentices in the program"))
            #expect(page.contains(">720</span> <span class=\"figure-label\">Apprentices at risk")) // 24 of 70 per employer
            #expect(page.contains("Employer 000") && page.contains("Employer 024") && !page.contains(">Employer 025<"))
            // 70 apprentices, 24 at risk, a quarter of the hours each.
            #expect(page.contains("<td class=\"num\">70</td>"))
            #expect(page.contains("25%"))
            let next = try #require(page.range(of: #"/dashboard\?employersAfter=[0-9A-F-]+"#, options: .regularExpression).map { String(page[$0]) })
            #expect(next.hasSuffix(program.employers[24].id!.uuidString))
            let second = try await browser.get(next).text
            #expect(second.contains("Employer 025") && second.contains("Employer 029") && !second.contains(">Employer 024<"))
            #expect(!second.contains("Next page of employers"))
        }
    }

    @Test("the cohort pages by 50 at the boundaries; another employer's apprentices never appear")
    func cohortPages() async throws {
        try await withTestApp { app in
            let program = try await Self.bulkProgram(app, employers: 2, perEmployer: 101)
            let employerAdmin = try await Make.user(app, role: .employerAdmin, employer: program.employers[0], name: "Ann Admin")
            let browser = Browser(app)
            _ = try await browser.signIn(employerAdmin.email)
            var seen: [String] = []
            var path: String? = "/dashboard"
            var pages = 0
            while let current = path {
                let text = try await browser.get(current).text
                pages += 1
                let names = text.ranges(of: #"Apprentice \d{3}-\d{3}"#).map { String(text[$0]) }
                seen += names
                #expect(!names.contains { $0.hasPrefix("Apprentice 001-") })
                path = text.range(of: #"/dashboard\?after=[0-9A-F-]+"#, options: .regularExpression).map { String(text[$0]) }
            }
            #expect(pages == 3)
            #expect(seen.count == 101)
            #expect(Set(seen).count == 101)
            #expect(seen == seen.sorted())
            #expect(seen.last == "Apprentice 000-100")
            let query = CohortPageQuery(employerID: program.employers[0].id, limit: 50)
            let result = try await query.run(on: app.db)
            #expect(result.figures.running == 101)
            #expect(result.figures.atRisk == 34)
            #expect(result.rows.count == 50)
        }
    }
}

private extension String {
    func ranges(of pattern: String) -> [Range<String.Index>] {
        var found: [Range<String.Index>] = []
        var start = startIndex
        while let range = range(of: pattern, options: .regularExpression, range: start..<endIndex) {
            found.append(range)
            start = range.upperBound
        }
        return found
    }
}
