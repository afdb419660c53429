@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Program outcomes: the figures recomputed from the raw rows, empty programs, bad ranges, and who may see what.
@Suite("Reports")
struct ReportsTests {
    static let demoPassword = "demo-password-2026"

    static func seedDemo(_ app: Application) async throws {
        _ = try await DemoData.seed(app: app, password: demoPassword, standardsPath: packageRoot + "standards/aami-bmet.json")
    }

    static func signIn(_ app: Application, _ account: Int) async throws -> Browser {
        let browser = Browser(app)
        _ = try await browser.signIn(DemoData.accounts[account].email, password: demoPassword)
        return browser
    }

    /// A minimal RFC 4180 reader, to read back what the site wrote.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        chars.append("\r\n")
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" { if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false } }
                else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\r\n" || c == "\n" {
                row.append(field); field = ""
                if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
                row = []
            } else { field.append(c) }
            i += 1
        }
        return rows
    }

    /// The figures as a person would count them from the raw rows, with none of the report's code.
    struct Recount {
        var active = 0, registrations = 0, completions = 0, cancelledInProbation = 0, cancelledAfter = 0
        var byEmployerActive: [String: Int] = [:]
        var byQuarterRegistrations: [String: Int] = [:]
    }

    static func recount(on db: any Database, from: String? = nil) async throws -> Recount {
        var r = Recount()
        for apprentice in try await Apprentice.query(on: db).with(\.$employer).all() {
            if apprentice.status == .active || apprentice.status == .probation {
                r.active += 1
                r.byEmployerActive[apprentice.employer.name, default: 0] += 1
            }
            if from == nil || apprentice.startDate >= from! {
                r.registrations += 1
                let month = Int(apprentice.startDate.dropFirst(5).prefix(2))!
                r.byQuarterRegistrations["\(apprentice.startDate.prefix(4)) Q\((month - 1) / 3 + 1)", default: 0] += 1
            }
        }
        let start = from.flatMap(ProgramCalendar.day)
        for event in try await ApprenticeEvent.query(on: db).all() where start == nil || event.createdAt >= start! {
            if event.kind == "completed" { r.completions += 1 }
            if event.kind == "cancel" { if event.duringProbation { r.cancelledInProbation += 1 } else { r.cancelledAfter += 1 } }
        }
        return r
    }

    @Test("the demo's outcomes page and CSV files show the numbers the raw records give")
    func demoOutcomesMatchRecords() async throws {
        try await withTestApp { app in
            try await Self.seedDemo(app)
            // A cancellation during probation, so the exits are not all zero.
            let priya = try #require(try await Apprentice.query(on: app.db).filter(\.$email == DemoData.accounts[4].email).first())
            let admin = try #require(try await User.query(on: app.db).filter(\.$email == DemoData.accounts[0].email).first())
            try await ApprenticeRecords.transition(priya, .init(action: "cancel", reason: CancellationReason.relocated.rawValue, note: "Moved to Denver."), by: admin, on: app.db)
            // And a completion, written as raw rows: Jordan completes today.
            let jordan = try #require(try await Apprentice.query(on: app.db).filter(\.$email == DemoData.accounts[3].email).first())
            jordan.status = .completed
            try await jordan.update(on: app.db)
            let completedAt = Date()
            try await ApprenticeEvent(apprenticeID: try jordan.requireID(), kind: "completed", from: .active, to: .completed, note: "Completed.", actorID: admin.id, at: completedAt)
                .create(on: app.db)
            let r = try await Self.recount(on: app.db)
            #expect(r.active == 0)
            #expect(r.completions == 1)
            #expect(r.registrations == 3)
            #expect(r.cancelledInProbation == 1)

            let browser = try await Self.signIn(app, 0)
            let page = try await browser.get("/reports/outcomes")
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("role=\"img\""))
            #expect(html.contains("<title id=\"chart-quarters-title\">"))
            #expect(html.contains("<desc id=\"chart-quarters-desc\">"))
            #expect(html.contains("Download “By quarter” as CSV"))
            #expect(html.contains("<span class=\"figure-value\">\(r.active)</span>"))
            #expect(html.contains("<span class=\"figure-value\">\(r.registrations)</span>"))

            let summaryResponse = try await browser.get("/reports/outcomes/summary.csv")
            #expect(summaryResponse.headers.first(name: .contentType) == "text/csv; charset=utf-8")
            let summary = Dictionary(Self.parseCSV(summaryResponse.text).dropFirst().map { ($0[0], $0[1]) }, uniquingKeysWith: { a, _ in a })
            #expect(summary["Active apprentices (probation or active, now)"] == String(r.active))
            #expect(summary["Registrations (started in the range)"] == String(r.registrations))
            #expect(summary["Completions"] == String(r.completions))
            #expect(summary["Cancellations during probation"] == String(r.cancelledInProbation))
            #expect(summary["Cancellations after probation"] == String(r.cancelledAfter))
            // One completion, no exit after probation: 100 %; the probation cancellation does not count.
            #expect(summary["Completion rate, DOL (%)"] == "100.0")
            let days = ProgramCalendar.calendar.dateComponents([.day], from: ProgramCalendar.day(jordan.startDate)!, to: ProgramCalendar.today(completedAt)).day!
            #expect(summary["Average days from start to completion"] == String(format: "%.1f", Double(days)))
            // Retention: 3 starters, 1 cancelled in probation and left out, nobody cancelled after: 100 %.
            #expect(summary["Retention of the range's starters (%)"] == "100.0")

            let employers = Self.parseCSV(try await browser.get("/reports/outcomes/employers.csv").text)
            #expect(employers.first?.first == "Employer")
            for row in employers.dropFirst() { #expect(Int(row[1]) == r.byEmployerActive[row[0], default: 0], "\(row[0])") }
            #expect(employers.count == 3) // header + two employers

            let quarters = Self.parseCSV(try await browser.get("/reports/outcomes/quarters.csv").text)
            let byQuarter = Dictionary(quarters.dropFirst().map { ($0[0], Int($0[1]) ?? -1) }, uniquingKeysWith: { a, _ in a })
            for (quarter, count) in r.byQuarterRegistrations { #expect(byQuarter[quarter] == count, "\(quarter)") }
            let total = byQuarter.values.reduce(0, +)
            #expect(total == r.registrations)

            let mentors = Self.parseCSV(try await browser.get("/reports/outcomes/mentors.csv").text)
            // Only mentors with someone still in the program: Jordan completed and Priya left, so Linda has none.
            #expect(mentors.dropFirst().map { $0[0] } == ["Tom Brennan"])

            // A range from two months ago keeps only the later starters and exits.
            let from = ProgramCalendar.dayString(ProgramCalendar.calendar.date(byAdding: .month, value: -2, to: ProgramCalendar.today())!)
            let ranged = try await Self.recount(on: app.db, from: from)
            let rangedSummary = Dictionary(Self.parseCSV(try await browser.get("/reports/outcomes/summary.csv?from=\(from)").text).dropFirst().map { ($0[0], $0[1]) },
                                           uniquingKeysWith: { a, _ in a })
            #expect(rangedSummary["Registrations (started in the range)"] == String(ranged.registrations))
            #expect(rangedSummary["Cancellations during probation"] == String(ranged.cancelledInProbation))
        }
    }

    @Test("the page's busiest mentors, ranked and cut by the database, are the head of the CSV's full list, and all are counted")
    func busiestMentorsAreTheHeadOfTheList() async throws {
        try await withTestApp { app in
            try await Self.seedDemo(app)
            for filter in [OutcomeFilter(), OutcomeFilter(state: "TX")] {
                let full = try await Outcomes.report(filter, on: app.db)
                if filter == OutcomeFilter() { #expect(full.mentors.count >= 2, "the demo has mentors with apprentices in the program") }
                for limit in [1, 25] {
                    let page = try await Outcomes.report(filter, on: app.db, mentorLimit: limit)
                    #expect(page.mentors == Array(full.mentors.prefix(limit)))
                    #expect(page.mentorCount == full.mentors.count)
                }
            }
        }
    }

    @Test("an empty program reports zeros, not errors")
    func emptyProgram() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let browser = Browser(app)
            _ = try await browser.signIn(w.admin.email)
            let page = try await browser.get("/reports/outcomes")
            #expect(page.status == .ok)
            #expect(page.text.contains("<span class=\"figure-value\">0</span>"))
            for view in OutcomeTables.views {
                let response = try await browser.get("/reports/outcomes/\(view).csv")
                #expect(response.status == .ok, "\(view)")
            }
            let summary = Self.parseCSV(try await browser.get("/reports/outcomes/summary.csv").text)
            #expect(summary.dropFirst().first?[1] == "0")
            let report = try await Outcomes.report(OutcomeFilter(), on: app.db)
            #expect(report.total == OutcomeReport.Figures())
        }
    }

    @Test("a date range ending before it starts is refused with a message by the field")
    func reversedRange() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let browser = Browser(app)
            _ = try await browser.signIn(w.admin.email)
            let page = try await browser.get("/reports/outcomes?from=2026-05-01&to=2026-04-01")
            #expect(page.status == .unprocessableEntity)
            #expect(page.text.contains("id=\"to-error\""))
            #expect(page.text.contains("The date range ends before it starts"))
            #expect(page.text.contains("value=\"2026-05-01\""))
            let csv = try await browser.get("/reports/outcomes/summary.csv?from=2026-05-01&to=2026-04-01")
            #expect(csv.status == .unprocessableEntity)
            #expect(try await browser.get("/apprentices/export.csv?from=2026-05-01&to=2026-04-01").status == .unprocessableEntity)
            #expect(try await browser.get("/applicants/export.csv?from=2026-05-01&to=2026-04-01").status == .unprocessableEntity)
        }
    }

    @Test("mentors and apprentices cannot reach reports; employer admins see only their own people")
    func access() async throws {
        try await withTestApp { app in
            try await Self.seedDemo(app)
            let gulfID = try #require(try await Employer.query(on: app.db).filter(\.$name == DemoData.employers[0].name ?? "").first()?.id)
            let buckeyeID = try #require(try await Employer.query(on: app.db).filter(\.$name == DemoData.employers[1].name ?? "").first()?.id)
            for account in [2, 3, 6, 7] { // mentors and apprentices
                let browser = try await Self.signIn(app, account)
                for path in ["/reports/outcomes", "/reports/outcomes/summary.csv", "/reports/rapids", "/applicants/export.csv"] {
                    #expect(try await browser.get(path).status == .forbidden, "\(DemoData.accounts[account].email) \(path)")
                }
                #expect(try await browser.post("/reports/rapids/exports").status == .forbidden)
            }
            // Gulf Coast's admin: their own figures only, another employer's filter refused, no RAPIDS.
            let gulf = try await Self.signIn(app, 1)
            let page = try await gulf.get("/reports/outcomes")
            #expect(page.status == .ok)
            #expect(!page.text.contains(DemoData.employers[1].name ?? ""))
            #expect(!page.text.contains("id=\"employer\"")) // no employer filter offered
            #expect(try await gulf.get("/reports/outcomes?employer=\(buckeyeID)").status == .notFound)
            #expect(try await gulf.get("/reports/outcomes/employers.csv?employer=\(buckeyeID)").status == .notFound)
            #expect(try await gulf.get("/reports/outcomes?employer=\(gulfID)").status == .ok)
            let mentors = Self.parseCSV(try await gulf.get("/reports/outcomes/mentors.csv").text)
            #expect(mentors.dropFirst().map { $0[0] }.sorted() == ["Carlos Mendoza", "Linda Okafor"])
            #expect(try await gulf.get("/reports/rapids").status == .forbidden)

            // Lists and records: another employer's apprentice is a 404, in every export.
            let aaliyah = try #require(try await Apprentice.query(on: app.db).filter(\.$email == DemoData.accounts[7].email).first()?.id)
            for path in ["hours.csv", "assessments.csv", "record.csv", "registration"] {
                #expect(try await gulf.get("/apprentices/\(aaliyah)/\(path)").status == .notFound, "\(path)")
            }
            let list = Self.parseCSV(try await gulf.get("/apprentices/export.csv").text)
            #expect(list.dropFirst().map { $0[0] }.sorted() == ["Jordan Alvarez", "Priya Natarajan"])
            let applicants = Self.parseCSV(try await gulf.get("/applicants/export.csv").text)
            #expect(applicants.dropFirst().map { $0[0] } == ["Sam Patel"]) // only the one referred to them
        }
    }

    @Test("an apprentice exports their complete record, and no one else's; lists export with their filters")
    func recordExport() async throws {
        try await withTestApp { app in
            try await Self.seedDemo(app)
            let jordan = try #require(try await Apprentice.query(on: app.db).filter(\.$email == DemoData.accounts[3].email).first()?.id)
            let aaliyah = try #require(try await Apprentice.query(on: app.db).filter(\.$email == DemoData.accounts[7].email).first()?.id)
            let me = try await Self.signIn(app, 3)
            let response = try await me.get("/apprentices/\(jordan)/record.csv")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentDisposition)?.contains("apprenticeship-record-Jordan-Alvarez-") == true)
            let rows = Self.parseCSV(response.text)
            let sections = Set(rows.dropFirst().map { $0[0] })
            #expect(sections.isSuperset(of: ["Apprenticeship", "Registration", "History", "Hours", "Assessments", "Instruction", "Credentials", "Reviews", "Wages"]))
            let hourRows = rows.filter { $0[0] == "Hours" }.count
            let stored = try await HourEntry.query(on: app.db).filter(\.$apprentice.$id == jordan).count()
            #expect(hourRows == stored)
            #expect(rows.contains { $0[2] == "Social Security number" && $0[4] == "not given" })
            #expect(try await me.get("/apprentices/\(aaliyah)/record.csv").status == .notFound)

            // Hours and assessments, as their tabs list them.
            let hours = Self.parseCSV(try await me.get("/apprentices/\(jordan)/hours.csv").text)
            #expect(hours.count - 1 == stored)
            // Each approved or rejected entry names who decided and when.
            let header = try #require(hours.first)
            let decidedBy = try #require(header.firstIndex(of: "Decided by")), decidedAt = try #require(header.firstIndex(of: "Decided at"))
            let status = try #require(header.firstIndex(of: "Status"))
            let approvedRows = hours.dropFirst().filter { $0[status] == "Approved" }
            #expect(!approvedRows.isEmpty)
            #expect(approvedRows.allSatisfy { !$0[decidedBy].isEmpty && !$0[decidedAt].isEmpty })
            #expect(hours.dropFirst().filter { $0[status] == "Waiting for approval" }.allSatisfy { $0[decidedBy].isEmpty })
            let assessments = Self.parseCSV(try await me.get("/apprentices/\(jordan)/assessments.csv").text)
            #expect(assessments.count - 1 == 6)
            // The mentor of the same employer may export the list of their employer's apprentices; not the registration page.
            let mentor = try await Self.signIn(app, 2)
            #expect(try await mentor.get("/apprentices/export.csv").status == .ok)
            #expect(try await mentor.get("/apprentices/\(jordan)/registration").status == .forbidden)

            // The sponsor filters the applicant list by status and state.
            let admin = try await Self.signIn(app, 0)
            let screening = Self.parseCSV(try await admin.get("/applicants/export.csv?status=screening").text)
            #expect(screening.dropFirst().map { $0[0] } == ["Taylor Nguyen"])
            let texas = Self.parseCSV(try await admin.get("/applicants/export.csv?state=TX").text)
            #expect(texas.dropFirst().map { $0[0] }.sorted() == ["Chris Morgan", "Sam Patel"])
        }
    }

    @Test("the outcomes page shows the 25 largest employers and busiest mentors with a note; the CSV keeps every row")
    func outcomesPageStaysOneSize() {
        var report = OutcomeReport()
        report.employers = (1...40).map { n in
            var figures = OutcomeReport.Figures()
            figures.active = n % 10
            return OutcomeReport.Group(key: "e\(n)", label: String(format: "Employer %02d", n), figures: figures)
        }
        report.mentors = (1...30).map { OutcomeReport.MentorLoad(name: "Mentor \($0)", employer: "E", apprentices: 31 - $0) }
        let (shown, notes) = OutcomesController.pageSized(report)
        #expect(shown.employers.count == 25)
        // Largest first: the four employers with 9 active apprentices lead, alphabetically among themselves.
        #expect(shown.employers.prefix(4).map(\.label) == ["Employer 09", "Employer 19", "Employer 29", "Employer 39"])
        #expect(shown.employers.map(\.figures.active) == [9, 9, 9, 9, 8, 8, 8, 8, 7, 7, 7, 7, 6, 6, 6, 6, 5, 5, 5, 5, 4, 4, 4, 4, 3])
        #expect(shown.mentors.map(\.name) == (1...25).map { "Mentor \($0)" })
        #expect(notes["employers"]?.contains("of 40") == true)
        #expect(notes["mentors"]?.contains("of 30") == true)
        // The CSV tables are built from the whole report.
        #expect(OutcomeTables.table("employers", report)?.rows.count == 40)
        // A small program is shown whole, without notes.
        var small = report
        small.employers = Array(report.employers.prefix(3))
        small.mentors = Array(report.mentors.prefix(3))
        let (same, none) = OutcomesController.pageSized(small)
        #expect(same == small)
        #expect(none.isEmpty)
    }
}
