@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

/// The outcomes report on a big program. Off by default (it fills 20,000 apprentices);
/// run with `BMET_BENCH_REPORTS=1 swift test --skip-build --filter ReportsBenchmark`.
@Suite("Reports benchmark", .enabled(if: ProcessInfo.processInfo.environment["BMET_BENCH_REPORTS"] != nil))
struct ReportsBenchmarkTests {
    @Test("the outcomes report over 20,000 apprentices")
    func bigProgram() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let version = try await StandardsLibrary.load(try Make.standardsFile, loadedBy: w.admin, on: app.db)
            let sql = try #require(app.db as? any SQLDatabase)
            let statuses: [ApprenticeStatus] = [.active, .active, .active, .probation, .completed, .cancelled, .suspended, .pendingAgreement]
            let base = ProgramCalendar.day("2022-01-01")!
            var apprenticeRows: [[any SQLExpression]] = [], eventRows: [[any SQLExpression]] = []
            func flush() async throws {
                if !apprenticeRows.isEmpty {
                    try await sql.insert(into: Apprentice.schema)
                        .columns("id", "program_version_id", "employer_id", "mentor_id", "full_name", "email", "start_date", "probation_end", "term_end", "status", "registered_by_id", "registered_at")
                        .rows(apprenticeRows).run()
                }
                if !eventRows.isEmpty {
                    try await sql.insert(into: ApprenticeEvent.schema)
                        .columns("id", "apprentice_id", "kind", "to_status", "during_probation", "note", "created_at")
                        .rows(eventRows).run()
                }
                apprenticeRows = []; eventRows = []
            }
            for i in 0..<20_000 {
                let id = UUID()
                let status = statuses[i % statuses.count]
                let employer = i % 2 == 0 ? w.employerA : w.employerB
                let mentor = i % 2 == 0 ? w.mentorA : w.mentorB
                let start = ProgramCalendar.calendar.date(byAdding: .day, value: i % 1400, to: base)!
                apprenticeRows.append([SQLBind(id), SQLBind(try version.requireID()), SQLBind(try employer.requireID()), SQLBind(try mentor.requireID()),
                                       SQLBind("Apprentice \(i)"), SQLBind("a\(i)@example.org"), SQLBind(ProgramCalendar.dayString(start)),
                                       SQLBind(ProgramCalendar.dayString(start)), SQLBind(ProgramCalendar.dayString(start)), SQLBind(status.rawValue),
                                       SQLBind(try w.admin.requireID()), SQLBind(start)])
                eventRows.append([SQLBind(UUID()), SQLBind(id), SQLBind("registered"), SQLBind("pending_agreement"), SQLBind(false), SQLBind(""), SQLBind(start)])
                if status == .completed || status == .cancelled {
                    let end = ProgramCalendar.calendar.date(byAdding: .day, value: status == .completed ? 730 : 60 + i % 300, to: start)!
                    eventRows.append([SQLBind(UUID()), SQLBind(id), SQLBind(status == .completed ? "completed" : "cancel"), SQLBind(status.rawValue),
                                      SQLBind(status == .cancelled && i % 3 == 0), SQLBind(""), SQLBind(end)])
                }
                if apprenticeRows.count == 500 { try await flush() }
            }
            try await flush()
            _ = try await Outcomes.report(OutcomeFilter(), on: app.db) // warm up
            var timings: [Double] = []
            for _ in 0..<5 {
                let started = Date()
                let report = try await Outcomes.report(OutcomeFilter(), on: app.db)
                timings.append(Date().timeIntervalSince(started) * 1000)
                #expect(report.total.registrations == 20_000)
            }
            let ranged = Date()
            _ = try await Outcomes.report(OutcomeFilter(range: DayRange(from: "2023-01-01", to: "2024-12-31")), on: app.db)
            let rangedMS = Date().timeIntervalSince(ranged) * 1000
            let median = timings.sorted()[timings.count / 2]
            print("Outcomes report, 20,000 apprentices: median \(Int(median)) ms of \(timings.map { Int($0) }); with a date range \(Int(rangedMS)) ms")
            #if !DEBUG
            // The target holds for a release build; a debug build runs SQLite and the drivers unoptimized (-O0).
            #expect(median < 250)
            #endif
        }
    }
}
