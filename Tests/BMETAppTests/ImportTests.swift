@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// A program of the demo's shape as CSV files, dated from today: two employers, their administrators and mentors,
/// three apprentices and their weekday hours.
enum ImportSamples {
    static func day(_ offset: Int) -> String {
        ProgramCalendar.dayString(ProgramCalendar.calendar.date(byAdding: .day, value: offset, to: ProgramCalendar.today())!)
    }

    static let employers = """
        employer_ref,name,address_line1,address_line2,city,state,zip,phone\r
        EMP-LAKE,Lakeshore Regional Hospital,2500 Lakeshore Dr,"Clinical Engineering, Bldg C",Cleveland,OH,44114,(216) 555-0142\r
        EMP-RIVER,Riverbend Health System,410 River Rd,,Columbus,OH,43215,(614) 555-0188\r

        """
    static let people = """
        person_ref,employer_ref,role,full_name,email
        P-LAKE-HR,EMP-LAKE,employer_admin,Alicia Moreno,alicia.moreno@lakeshore.example
        P-LAKE-M1,EMP-LAKE,mentor,Victor Osei,victor.osei@lakeshore.example
        P-RIVER-M1,EMP-RIVER,mentor,Samuel Park,samuel.park@riverbend.example

        """
    static var apprentices: String {
        """
        apprentice_ref,employer_ref,mentor_ref,full_name,email,start_date,status,address_line1,city,state,zip,birth_date,guardian_name,sex,ethnicity,races,veteran_status,education,employment_status,career_connection,wage_rates
        A-1,EMP-LAKE,P-LAKE-M1,Jordan Reyes,jordan.reyes@mail.example,\(day(-200)),active,1200 Euclid Ave,Cleveland,OH,44115,2001-04-17,,female,hispanic_or_latino,white;asian,not_veteran,high_school,new_employee,none,18.00;19.00;20.00;21.00;22.00
        A-2,EMP-LAKE,P-LAKE-M1,Marcus Bell,marcus.bell@mail.example,\(day(-120)),active,88 Detroit Ave,Cleveland,OH,44113,1998-11-03,,male,not_hispanic_or_latino,black_or_african_american,veteran,some_college,existing_employee,military_veterans,19.00;20.00;21.00;22.00;23.50
        A-3,EMP-RIVER,P-RIVER-M1,Priya Natarajan,priya.natarajan@mail.example,\(day(-40)),probation,15 High St,Columbus,OH,43215,2003-02-21,,female,not_hispanic_or_latino,asian,not_veteran,associate,new_employee,cte,18.50;19.50;20.50;21.50;22.50

        """
    }
    /// Weekday hours for each apprentice from their start to yesterday (8 a day, or 4 + 4 in two skill sets).
    static func hours(days: [String: Int] = ["A-1": 200, "A-2": 120, "A-3": 40]) -> (csv: String, minutes: Int) {
        var lines = ["hours_ref,apprentice_ref,date,skill_set,hours,description"]
        var n = 0, minutes = 0
        for (ref, back) in days.sorted(by: { $0.key < $1.key }) {
            for offset in stride(from: -back, through: -1, by: 1) {
                let date = ProgramCalendar.calendar.date(byAdding: .day, value: offset, to: ProgramCalendar.today())!
                guard !ProgramCalendar.calendar.isDateInWeekend(date) else { continue }
                n += 1
                if n % 3 == 0 {
                    lines.append("H-\(ref)-\(n)a,\(ref),\(day(offset)),OS,4,Safety rounds")
                    lines.append("H-\(ref)-\(n)b,\(ref),\(day(offset)),mf,4,\"Meters, tools\"")
                } else {
                    lines.append("H-\(ref)-\(n),\(ref),\(day(offset)),OS,8,Shop work")
                }
                minutes += 480
            }
        }
        return (lines.joined(separator: "\n") + "\n", minutes)
    }
}

@Suite("CSV import")
struct ImportTests {
    private func program(_ app: Application) async throws -> User {
        _ = try await StandardsLibrary.load(try Make.standardsFile, loadedBy: nil, on: app.db)
        return try await Make.user(app, role: .programAdmin, name: "Dana Admin")
    }

    private func count(_ table: String, on db: any Database) async throws -> Int {
        struct N: Decodable { var n: Int }
        return try await (db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM \(ident: table)").first(decoding: N.self)?.n ?? -1
    }

    @discardableResult
    private func importAll(_ app: Application, _ admin: User, hoursAs mode: ImportBatch.Mode = .approved) async throws -> [Importer.Outcome] {
        var batches: [Importer.Outcome] = []
        batches.append(try await Importer.run(.employers, data: Data(ImportSamples.employers.utf8), fileName: "employers.csv", mode: .approved, by: admin, on: app.db))
        batches.append(try await Importer.run(.people, data: Data(ImportSamples.people.utf8), fileName: "people.csv", mode: .approved, by: admin, on: app.db))
        batches.append(try await Importer.run(.apprentices, data: Data(ImportSamples.apprentices.utf8), fileName: "apprentices.csv", mode: .approved, by: admin, on: app.db))
        batches.append(try await Importer.run(.hours, data: Data(ImportSamples.hours().csv.utf8), fileName: "hours.csv", mode: mode, by: admin, on: app.db))
        return batches
    }

    @Test("every kind imports: employers, people, apprentices with registration data, approved hours; verify aggregates is clean")
    func everyKind() async throws {
        try await withTestApp { app in
            let admin = try await program(app)
            let batches = try await importAll(app, admin)
            #expect(batches.map(\.created) == [2, 3, 3, ImportSamples.hours().csv.split(separator: "\n").count - 1])
            let lake = try #require(try await Employer.query(on: app.db).filter(\.$name == "Lakeshore Regional Hospital").first())
            #expect(lake.addressLine2 == "Clinical Engineering, Bldg C")
            let mentor = try #require(try await User.query(on: app.db).filter(\.$email == "victor.osei@lakeshore.example").first())
            #expect(mentor.role == .mentor && mentor.employerID == lake.id)
            let jordan = try #require(try await Apprentice.query(on: app.db).filter(\.$email == "jordan.reyes@mail.example").first())
            #expect(jordan.status == .active && jordan.$mentor.id == mentor.id && jordan.startDate == ImportSamples.day(-200))
            let data = try #require(try await RegistrationData.query(on: app.db).filter(\.$apprentice.$id == jordan.requireID()).first())
            #expect(data.races == "white,asian" && data.ethnicity == .hispanicOrLatino && data.education == .highSchool)
            #expect(try await ApprenticeWageStep.query(on: app.db).filter(\.$apprentice.$id == jordan.requireID()).count() == 5)
            let entries = try await HourEntry.query(on: app.db).filter(\.$apprentice.$id == jordan.requireID()).all()
            #expect(!entries.isEmpty && entries.allSatisfy { $0.status == .approved && $0.clientKey.hasPrefix("import:") })
            #expect(Set(entries.map(\.skillSetCode)) == ["OS", "MF"])
            let decisions = try await HourDecision.query(on: app.db).filter(\.$entry.$id ~~ entries.map { $0.id! }).all()
            #expect(decisions.count == entries.count && decisions.allSatisfy { $0.comment.contains("Imported") })
            let total = try await SkillSetTotal.query(on: app.db).filter(\.$apprentice.$id == jordan.requireID()).all().reduce(0) { $0 + $1.approvedMinutes }
            #expect(total == entries.reduce(0) { $0 + $1.minutes })
            let report = try await AggregateVerification.run(repair: false, on: app.db)
            #expect(report.apprentices == 3)
            #expect(report.drifts.isEmpty, "\(report.drifts)")
            let audited = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.importCompleted.rawValue).count()
            #expect(audited == 4)
        }
    }

    @Test("hours as credit for prior learning: summed per apprentice and skill set, no hour entries")
    func priorLearning() async throws {
        try await withTestApp { app in
            let admin = try await program(app)
            try await importAll(app, admin)
            let hours = """
                hours_ref,apprentice_ref,date,skill_set,hours,description
                C-1,A-3,\(ImportSamples.day(-10)),OS,6,
                C-2,A-3,\(ImportSamples.day(-11)),OS,6,
                C-3,A-3,\(ImportSamples.day(-12)),MF,3,
                """
            // A-3 already has approved hours on these days: 8 + 6 is fine, the day limit is not.
            let batch = try #require(try await Importer.run(.hours, data: Data(hours.utf8), fileName: "credit.csv", mode: .priorLearning, by: admin, on: app.db).batch)
            #expect(batch.mode == "prior-learning" && batch.createdCount == 3)
            let apprentice = try #require(try await Apprentice.query(on: app.db).filter(\.$email == "priya.natarajan@mail.example").first())
            let credits = try await PriorLearningCredit.query(on: app.db).filter(\.$apprentice.$id == apprentice.requireID()).sort(\.$skillSetCode).all()
            #expect(credits.map(\.skillSetCode) == ["MF", "OS"])
            #expect(credits.map(\.hours) == [3, 12])
            #expect(try await HourEntry.query(on: app.db).filter(\.$clientKey ~~ ["import:C-1", "import:C-2"]).count() == 0)
            // Undone: the credits go.
            _ = try await Importer.undo(batch.requireID(), by: admin, on: app.db)
            #expect(try await PriorLearningCredit.query(on: app.db).filter(\.$apprentice.$id == apprentice.requireID()).count() == 0)
        }
    }

    @Test("credentials: checked against the program's codes and dates, imported, undone")
    func credentials() async throws {
        try await withTestApp { app in
            let admin = try await program(app)
            try await importAll(app, admin)
            let bad = """
                credential_ref,apprentice_ref,credential,status,date,expires_on,note
                CR-1,A-1,cabt,passed,\(ImportSamples.day(3)),,
                CR-2,A-1,cbet,planned,,,
                CR-3,A-9,cabt,planned,,,
                CR-4,A-2,it-fundamentals,scheduled,,,
                """
            let plan = try await Importer.plan(.credentials, data: Data(bad.utf8), mode: .approved, by: admin, on: app.db)
            #expect(plan.issues.map { "\($0.row) \($0.column)" } == ["2 date", "3 credential", "4 apprentice_ref", "5 date"])
            let good = """
                credential_ref,apprentice_ref,credential,status,date,expires_on,note
                CR-1,A-1,cabt,passed,\(ImportSamples.day(-30)),\(ImportSamples.day(1000)),
                CR-2,A-2,it-fundamentals,scheduled,\(ImportSamples.day(20)),,Booked at the college
                """
            let batch = try #require(try await Importer.run(.credentials, data: Data(good.utf8), fileName: "c.csv", mode: .approved, by: admin, on: app.db).batch)
            let records = try await CredentialRecord.query(on: app.db).sort(\.$credentialCode).all()
            #expect(records.map(\.credentialCode) == ["cabt", "it-fundamentals"])
            #expect(records.map(\.status) == [.passed, .scheduled])
            // Apprentices cannot be undone while their hours and credentials are there; the credentials can.
            await #expect(throws: Importer.UndoRefused.self) { _ = try await Importer.undo(try #require(try await ImportBatch.query(on: app.db).filter(\.$kind == "apprentices").first()).requireID(), by: admin, on: app.db) }
            _ = try await Importer.undo(batch.requireID(), by: admin, on: app.db)
            #expect(try await CredentialRecord.query(on: app.db).count() == 0)
        }
    }

    @Test("a dry run stores nothing and reports the counts")
    func dryRun() async throws {
        try await withTestApp { app in
            let admin = try await program(app)
            let plan = try await Importer.plan(.employers, data: Data(ImportSamples.employers.utf8), mode: .approved, by: admin, on: app.db)
            #expect(plan.issues.isEmpty && plan.created == 2)
            #expect(plan.counts.first { $0.table == Employer.schema }?.rows == 2)
            #expect(try await Employer.query(on: app.db).count() == 0)
            #expect(try await ImportBatch.query(on: app.db).count() == 0)
        }
    }

    @Test("one bad row: every problem by row and column, and the whole file stores nothing")
    func badRow() async throws {
        try await withTestApp { app in
            let admin = try await program(app)
            try await Importer.run(.employers, data: Data(ImportSamples.employers.utf8), fileName: "e.csv", mode: .approved, by: admin, on: app.db)
            try await Importer.run(.people, data: Data(ImportSamples.people.utf8), fileName: "p.csv", mode: .approved, by: admin, on: app.db)
            var lines = ImportSamples.apprentices.split(separator: "\n").map(String.init)
            // Row 3: a ZIP of another state, a 14-year-old, no diploma, a rate going down, an unknown mentor.
            lines[2] = lines[2].replacingOccurrences(of: "44113", with: "77030").replacingOccurrences(of: "1998-11-03", with: ImportSamples.day(-14 * 366))
                .replacingOccurrences(of: "some_college", with: "no_diploma").replacingOccurrences(of: "19.00;20.00", with: "19.00;18.00")
                .replacingOccurrences(of: "P-LAKE-M1", with: "P-NOBODY")
            let bad = Data((lines.joined(separator: "\n") + "\n").utf8)
            do {
                _ = try await Importer.run(.apprentices, data: bad, fileName: "a.csv", mode: .approved, by: admin, on: app.db)
                Issue.record("the import went through")
            } catch let refused as ImportRefused {
                let columns = Set(refused.issues.filter { $0.row == 3 }.map(\.column))
                #expect(columns.isSuperset(of: ["zip", "birth_date", "education", "wage_rates", "mentor_ref"]), "\(refused.issues)")
                #expect(refused.issues.allSatisfy { $0.row == 3 })
            }
            #expect(try await Apprentice.query(on: app.db).count() == 0)
            #expect(try await RegistrationData.query(on: app.db).count() == 0)
            #expect(try await ImportBatch.query(on: app.db).filter(\.$kind == "apprentices").count() == 0)
            #expect(try await count(ImportRef.schema, on: app.db) == 5)
        }
    }

    @Test("control and text-direction characters in a cell are refused by row and column, like every form")
    func hostileCells() async throws {
        try await withTestApp { app in
            let admin = try await program(app)
            let hostile = ImportSamples.employers.replacingOccurrences(of: "Riverbend Health System", with: "Riverbend\u{202E}Health\u{0}")
            let plan = try await Importer.plan(.employers, data: Data(hostile.utf8), mode: .approved, by: admin, on: app.db)
            #expect(plan.issues.map(\.row) == [3])
            #expect(plan.issues.first?.column == "name" && plan.issues.first?.message.contains("control or text-direction") == true)
            await #expect(throws: ImportRefused.self) {
                try await Importer.run(.employers, data: Data(hostile.utf8), fileName: "e.csv", mode: .approved, by: admin, on: app.db)
            }
            #expect(try await Employer.query(on: app.db).count() == 0)
        }
    }

    @Test("re-importing the same files changes nothing")
    func reimport() async throws {
        try await withTestApp { app in
            let admin = try await program(app)
            try await importAll(app, admin)
            let tables = [Employer.schema, User.schema, Apprentice.schema, HourEntry.schema, HourDecision.schema, SkillSetTotal.schema, WeekTotal.schema, ImportRef.schema]
            var before: [Int] = []
            for table in tables { before.append(try await count(table, on: app.db)) }
            let again = try await importAll(app, admin)
            #expect(again.allSatisfy { $0.batch == nil && $0.created == 0 && $0.unchanged == $0.rowCount && $0.rowCount > 0 })
            #expect(try await ImportBatch.query(on: app.db).count() == 4)
            var after: [Int] = []
            for table in tables { after.append(try await count(table, on: app.db)) }
            #expect(before == after)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)
        }
    }

    @Test("undo removes exactly what the import made, in reverse order; refused while a later record touches it")
    func undo() async throws {
        try await withTestApp { app in
            let admin = try await program(app)
            let existing = try await Make.employer(app)
            let batches = try await importAll(app, admin).map { $0.batch! }
            // Apprentices cannot go while their hours are there.
            do {
                _ = try await Importer.undo(batches[2].requireID(), by: admin, on: app.db)
                Issue.record("undo went through")
            } catch let refusal as Importer.UndoRefused { #expect(refusal.reason.contains("hours are logged")) }

            // A mentor's later decision on an imported entry touches the hours import.
            let entry = try #require(try await HourEntry.query(on: app.db).filter(\.$clientKey == "import:H-A-1-1").first())
            let mentor = try #require(try await User.query(on: app.db).filter(\.$email == "victor.osei@lakeshore.example").first())
            let undoDecision = HourDecision()
            undoDecision.$entry.id = try entry.requireID()
            undoDecision.action = .undo
            undoDecision.comment = "wrong day"
            undoDecision.$actor.id = mentor.id
            undoDecision.createdAt = Date()
            try await undoDecision.create(on: app.db)
            do {
                _ = try await Importer.undo(batches[3].requireID(), by: admin, on: app.db)
                Issue.record("undo went through")
            } catch let refusal as Importer.UndoRefused { #expect(refusal.reason.contains("decision")) }
            try await undoDecision.delete(on: app.db)

            for batch in batches.reversed() { _ = try await Importer.undo(batch.requireID(), by: admin, on: app.db) }
            for table in [Apprentice.schema, HourEntry.schema, HourDecision.schema, RegistrationData.schema, ApprenticeEvent.schema, ImportRef.schema,
                          ProgressSummaries.schema, SkillSetTotal.schema, WageRaise.schema] {
                #expect(try await count(table, on: app.db) == 0, "\(table)")
            }
            #expect(try await Employer.query(on: app.db).all().map(\.id) == [existing.id])
            #expect(try await User.query(on: app.db).count() == 1)
            #expect(try await ImportBatch.query(on: app.db).filter(\.$undoneAt != nil).count() == 4)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.importUndone.rawValue).count() == 4)
            // Undone already: refused; and the same files import again.
            await #expect(throws: Importer.UndoRefused.self) { _ = try await Importer.undo(batches[0].requireID(), by: admin, on: app.db) }
            let again = try await Importer.run(.employers, data: Data(ImportSamples.employers.utf8), fileName: "e.csv", mode: .approved, by: admin, on: app.db)
            #expect(again.created == 2)
        }
    }

    @Test("a status change on an imported apprentice touches the import")
    func statusChangeTouches() async throws {
        try await withTestApp { app in
            let admin = try await program(app)
            let batches = try await importAll(app, admin).map { $0.batch! }
            _ = try await Importer.undo(batches[3].requireID(), by: admin, on: app.db)
            let apprentice = try #require(try await Apprentice.query(on: app.db).filter(\.$email == "marcus.bell@mail.example").first())
            try await ApprenticeEvent(apprenticeID: apprentice.requireID(), kind: "suspend", from: .active, to: .suspended, note: "leave",
                                      toEmployerID: nil, actorID: admin.id, at: Date()).create(on: app.db)
            await #expect(throws: Importer.UndoRefused.self) { _ = try await Importer.undo(batches[2].requireID(), by: admin, on: app.db) }
            #expect(try await Apprentice.query(on: app.db).count() == 3)
        }
    }

    @Test("the web path: template, dry run with a problem, fixed file, import, undo")
    func web() async throws {
        try await withTestApp { app in
            let admin = try await program(app)
            let browser = Browser(app)
            _ = try await browser.signIn(admin.email)
            let page = try await browser.get("/imports")
            #expect(page.status == .ok && page.body.string.contains("Download the employers template"))
            let template = try await browser.get("/imports/templates/apprentices")
            #expect(template.status == .ok && template.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(template.body.string.contains("apprentice_ref,employer_ref,mentor_ref"))

            let broken = ImportSamples.employers.replacingOccurrences(of: "43215", with: "9999")
            let checked = try await browser.uploadForm("/imports/check", fields: ["kind": "employers", "hoursAs": "approved"],
                                                       file: ("file", "employers.csv", Data(broken.utf8)))
            #expect(checked.status == .unprocessableEntity)
            #expect(checked.body.string.contains("Problems in the file") && checked.body.string.contains("<code>zip</code>"))
            #expect(try await Employer.query(on: app.db).count() == 0)

            let fixed = try await browser.uploadForm("/imports/check", fields: ["kind": "employers", "hoursAs": "approved"],
                                                     file: ("file", "employers.csv", Data(ImportSamples.employers.utf8)))
            #expect(fixed.status == .ok && fixed.body.string.contains("Import these 2 rows"))
            #expect(try await Employer.query(on: app.db).count() == 0)
            let token = try #require(fixed.body.string.firstMatch(of: /name="token" value="([0-9a-f-]{36})"/)?.1)
            let run = try await browser.post("/imports/run", ["kind": "employers", "hoursAs": "approved", "token": String(token), "fileName": "employers.csv"])
            #expect(run.status == .seeOther)
            #expect(try await Employer.query(on: app.db).count() == 2)
            // The kept upload is gone: posting again does nothing more.
            let twice = try await browser.post("/imports/run", ["kind": "employers", "hoursAs": "approved", "token": String(token), "fileName": "employers.csv"])
            #expect(twice.status == .unprocessableEntity)
            #expect(try await Employer.query(on: app.db).count() == 2)

            let listed = try await browser.get("/imports")
            #expect(listed.body.string.contains("employers.csv") && listed.body.string.contains("Undo this import"))
            let batch = try #require(try await ImportBatch.query(on: app.db).first())
            // Undo asks again first; only the confirmed post removes anything.
            let asked = try await browser.post("/imports/\(try batch.requireID())/undo")
            #expect(asked.status == .ok && asked.body.string.contains("Undo the import of employers.csv?") && asked.body.string.contains("Yes, undo this import"))
            #expect(try await Employer.query(on: app.db).count() == 2)
            let undone = try await browser.post("/imports/\(try batch.requireID())/undo", ["confirmed": "yes"])
            #expect(undone.status == .seeOther)
            #expect(try await Employer.query(on: app.db).count() == 0)

            // One row: the button says so.
            let one = ImportSamples.employers.split(separator: "\r\n").prefix(2).joined(separator: "\r\n") + "\r\n"
            let single = try await browser.uploadForm("/imports/check", fields: ["kind": "employers", "hoursAs": "approved"], file: ("file", "one.csv", Data(one.utf8)))
            #expect(single.status == .ok && single.body.string.contains("Import this row") && !single.body.string.contains("Import these"))
        }
    }

    @Test("a large hours file is written a chunk at a time in the one transaction: the same records; a bad last row stores nothing")
    func chunkedHours() async throws {
        try await withTestApp { app in
            let admin = try await program(app)
            for (kind, csv) in [(ImportKind.employers, ImportSamples.employers), (.people, ImportSamples.people), (.apprentices, ImportSamples.apprentices)] {
                try await Importer.run(kind, data: Data(csv.utf8), fileName: "\(kind.rawValue).csv", mode: .approved, by: admin, on: app.db)
            }
            let (csv, minutes) = ImportSamples.hours()
            let rows = csv.split(separator: "\n").count - 1
            #expect(rows > 150)
            // The last row is in the future: refused after earlier chunks were written, and the transaction takes them back.
            let bad = csv + "H-LATE,A-1,\(ImportSamples.day(2)),OS,8,Too early\n"
            await #expect(throws: ImportRefused.self) {
                try await Importer.run(.hours, data: Data(bad.utf8), fileName: "h.csv", mode: .approved, by: admin, on: app.db, flushEvery: 40)
            }
            #expect(try await count(HourEntry.schema, on: app.db) == 0)
            #expect(try await count(ImportRef.schema, on: app.db) == 8)
            #expect(try await ImportBatch.query(on: app.db).filter(\.$kind == "hours").count() == 0)
            // A dry run in chunks counts every row it dropped.
            let dry = try await Importer.plan(.hours, data: Data(csv.utf8), mode: .approved, by: admin, on: app.db, flush: { $0.dropRows() }, flushEvery: 40)
            // Only the rows since the last chunk are held.
            #expect(dry.counts.first { $0.table == HourEntry.schema }?.rows == rows && dry.tables.allSatisfy { $0.rows.count < 40 })
            let outcome = try await Importer.run(.hours, data: Data(csv.utf8), fileName: "h.csv", mode: .approved, by: admin, on: app.db, flushEvery: 40)
            #expect(outcome.created == rows && outcome.batch?.createdCount == rows)
            #expect(try await count(HourEntry.schema, on: app.db) == rows)
            #expect(try await count(HourDecision.schema, on: app.db) == rows)
            #expect(try await ImportRef.query(on: app.db).filter(\.$kind == "hours").count() == rows)
            let total = try await SkillSetTotal.query(on: app.db).all().reduce(0) { $0 + $1.approvedMinutes }
            #expect(total == minutes)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)
            _ = try await Importer.undo(try #require(outcome.batch).requireID(), by: admin, on: app.db)
            #expect(try await count(HourEntry.schema, on: app.db) == 0)
        }
    }

    @Test("uploads checked and never imported are removed after a day, at the next check")
    func abandonedUploads() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("imports-\(UUID().uuidString)").path
        let settings = AppSettings(database: .sqliteMemory, dataDirectory: directory, baseURL: "http://bmet.test")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let old = try PendingImports.save(Data("a\n".utf8), settings: settings)
        let oldPath = try #require(PendingImports.locate(old, settings: settings))
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-PendingImports.keptFor - 60)], ofItemAtPath: oldPath)
        let recent = try PendingImports.save(Data("b\n".utf8), settings: settings)
        let fresh = try PendingImports.save(Data("c\n".utf8), settings: settings)
        #expect(!FileManager.default.fileExists(atPath: oldPath))
        #expect(FileManager.default.fileExists(atPath: try #require(PendingImports.locate(recent, settings: settings))))
        #expect(FileManager.default.fileExists(atPath: try #require(PendingImports.locate(fresh, settings: settings))))
    }

    @Test("employer administrators, mentors and apprentices get 403 on every import route")
    func forbidden() async throws {
        try await withTestApp { app in
            let world = try await Make.world(app)
            let admin = world.admin
            try await Importer.run(.employers, data: Data(ImportSamples.employers.utf8), fileName: "e.csv", mode: .approved, by: admin, on: app.db)
            let batch = try #require(try await ImportBatch.query(on: app.db).first())
            for user in [world.adminA, world.mentorA, world.apprenticeA] {
                let browser = Browser(app)
                _ = try await browser.signIn(user.email)
                #expect(try await browser.get("/imports").status == .forbidden)
                #expect(try await browser.get("/imports/templates/employers").status == .forbidden)
                #expect(try await browser.uploadForm("/imports/check", fields: ["kind": "employers"], file: ("file", "e.csv", Data(ImportSamples.employers.utf8))).status == .forbidden)
                #expect(try await browser.post("/imports/run", ["kind": "employers", "token": UUID().uuidString.lowercased()]).status == .forbidden)
                #expect(try await browser.post("/imports/\(try batch.requireID())/undo").status == .forbidden)
                await #expect(throws: Abort.self) { _ = try await Importer.undo(batch.requireID(), by: user, on: app.db) }
            }
            #expect(try await ImportBatch.query(on: app.db).filter(\.$undoneAt == nil).count() == 1)
            // Signed out: to the sign-in page.
            #expect(try await Browser(app).get("/imports").status == .seeOther)
        }
    }
}
