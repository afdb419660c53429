@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// The RAPIDS export: validation, first and incremental exports, concurrent exports, batches downloaded again.
@Suite("RAPIDS export")
struct RapidsExportTests {
    static func demo(_ app: Application) async throws -> (admin: User, jordan: Apprentice, priya: Apprentice) {
        try await ReportsTests.seedDemo(app)
        let admin = try #require(try await User.query(on: app.db).filter(\.$email == DemoData.accounts[0].email).first())
        let jordan = try #require(try await Apprentice.query(on: app.db).filter(\.$email == DemoData.accounts[3].email).first())
        let priya = try #require(try await Apprentice.query(on: app.db).filter(\.$email == DemoData.accounts[4].email).first())
        return (admin, jordan, priya)
    }

    @Test("the demo validates except the deliberately incomplete apprentice, who is listed with links to fix each field")
    func validation() async throws {
        try await withTestApp { app in
            let (_, jordan, priya) = try await Self.demo(app)
            let preview = try await RapidsExport.preview(app: app, on: app.db)
            #expect(preview.invalid.map(\.apprentice.id) == [priya.id])
            #expect(Set(preview.invalid.first?.issues.map(\.field) ?? []) == ["addressLine1", "zip"])
            #expect(preview.due.map(\.apprentice.id) == [jordan.id])
            #expect(preview.awaitingAgreement.map(\.fullName) == ["Aaliyah Carter"])

            let browser = try await ReportsTests.signIn(app, 0)
            let page = try await browser.get("/reports/rapids")
            #expect(page.status == .ok)
            #expect(page.text.contains("href=\"/apprentices/\(priya.id!)/registration#addressLine1\""))
            #expect(page.text.contains("href=\"/apprentices/\(priya.id!)/registration#zip\""))
            // The fix page re-renders with a message by the field when the input is still wrong, then saves.
            let bad = try await browser.post("/apprentices/\(priya.id!)/registration", ["fullName": "Priya Natarajan", "addressLine1": "1200 Binz St", "city": "Houston",
                                                                                          "state": "TX", "zip": "43210", "birthDate": "1998-11-20"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("id=\"zip-error\""))
            let good = try await browser.post("/apprentices/\(priya.id!)/registration", ["fullName": "Priya Natarajan", "addressLine1": "1200 Binz St", "city": "Houston",
                                                                                           "state": "TX", "zip": "77004", "birthDate": "1998-11-20"])
            #expect(good.status == .seeOther)
            #expect(try await RapidsExport.preview(app: app, on: app.db).invalid.isEmpty)
            // The correction is in the history, without the values.
            let note = try await ApprenticeEvent.query(on: app.db).filter(\.$apprentice.$id == priya.requireID()).filter(\.$kind == "registration_corrected").first()?.note
            #expect(note == "Registration data corrected: street address, ZIP code.")
        }
    }

    /// A CSV file of a batch, as rows of column name → value (the header row gives the names).
    static func table(_ browser: Browser, _ batch: RapidsExportBatch, _ file: String) async throws -> (header: [String], rows: [[String: String]]) {
        let response = try await browser.get("/reports/rapids/exports/\(batch.id!)/\(file)")
        #expect(response.status == .ok, "\(file)")
        let rows = ReportsTests.parseCSV(response.text)
        let header = rows.first ?? []
        return (header, rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
    }

    static func batch(_ number: Int, _ app: Application) async throws -> RapidsExportBatch {
        try #require(try await RapidsExportBatch.query(on: app.db).filter(\.$number == number).first())
    }

    @Test("the first export holds every valid record in the upload layout with its reference tabs; changes go apart; batches download again unchanged")
    func incremental() async throws {
        try await withTestApp { app in
            let (admin, jordan, priya) = try await Self.demo(app)
            let browser = try await ReportsTests.signIn(app, 0)
            let first = try await browser.post("/reports/rapids/exports")
            #expect(first.status == .seeOther)
            #expect(first.location == "/reports/rapids?done=1")
            let batch1 = try await Self.batch(1, app)
            #expect(batch1.registrationCount == 1)
            #expect(batch1.heldBackCount == 1)
            #expect(batch1.layout == RapidsExport.uploadLayout)
            #expect(try await RapidsExport.fileList(batch1, on: app.db).map(\.name) == RapidsExport.uploadFiles)
            let file1 = try await browser.get("/reports/rapids/exports/\(batch1.id!)/apprentices.csv")
            #expect(file1.headers.first(name: .contentType) == "text/csv; charset=utf-8")
            #expect(RapidsExport.sha256(Data(file1.body.readableBytesView)) == batch1.registrationsSHA256)

            // The layout's 42 columns in order, and Jordan's answers as its codes.
            let uploads = try await Self.table(browser, batch1, "apprentices.csv")
            #expect(uploads.header == RapidsUploadLayout.columns)
            #expect(uploads.header.count == 42)
            #expect(uploads.rows.map { $0["Email"] } == [jordan.email])
            let row = try #require(uploads.rows.first)
            let start = try #require(ProgramCalendar.day(jordan.startDate))
            let parts = ProgramCalendar.calendar.dateComponents([.year, .month, .day], from: start)
            #expect(row["Date Apprenticeship Begins"] == String(format: "%02d/%02d/%04d", parts.month!, parts.day!, parts.year!))
            #expect(row["Date of Birth"] == "06/01/2000")
            #expect(row["Apprentice First Name"] == "Jordan")
            #expect(row["Apprentice Last Name"] == "Alvarez")
            #expect(row["Gender"] == "9")
            #expect(row["Employment Status"] == "NE")
            #expect(row["Ethnicity Hispanic / Latino"] == "9")
            #expect(["Race-American Indian / Alaskan Native", "Asian", "Black / African American", "Native Hawaiian / Other Pacific Islander", "White"].map { row[$0] } == Array(repeating: "9", count: 5))
            #expect(row["Veteran Status"] == "2")
            #expect(row["Apprentice Disability Status"] == "9")
            #expect(row["Apprentice Education Level"] == "3")
            #expect(row["Occupation"] == "0888HY")
            #expect(row["Prior Wages"] == "15")
            #expect(row["Prior Wage Units"] == "H")
            #expect(row["Entry Wages"] == "18")
            #expect(row["Entry Wage Units"] == "H")
            #expect(row["Career Connection"] == "N")
            #expect(row["Student Status"] == "NA")
            #expect(row["Social Security Number"] == "")
            #expect(row["Credit for Previous Related Training In Hours"] == "0")
            #expect(row["Employer"] == jordan.$employer.id.uuidString)

            // Every id points to a row of its tab.
            let employers = try await Self.table(browser, batch1, "employers.csv")
            #expect(employers.header == RapidsExport.employerColumns)
            #expect(employers.rows.map { $0["Employer ID"] } == [row["Employer"]])
            #expect(employers.rows.first?["Employer Name"] == DemoData.employers[0].name)
            let occupations = try await Self.table(browser, batch1, "occupations.csv")
            #expect(occupations.rows.map { $0["Occupation ID"] } == ["0888HY"])
            #expect(occupations.rows.first?["O*NET-SOC Code"] == "49-9062.00")
            let providers = try await Self.table(browser, batch1, "rti-providers.csv")
            #expect(providers.rows.map { $0["RTI Provider ID"] } == [row["Related Technical Instruction Provider"]])
            #expect(providers.rows.first?["RTI Provider Name"] == DemoData.rtiProvider)
            let schedules = try await Self.table(browser, batch1, "wage-schedules.csv")
            #expect(Set(schedules.rows.map { $0["Wage Schedule ID"] }) == [row["Wage Schedule"]])
            #expect(schedules.rows.map { $0["Wage"] } == ["18.00", "19.00", "20.50", "21.25", "23.00"])
            #expect(try await Self.table(browser, batch1, "apprentice-updates.csv").rows.isEmpty)

            // Nothing changed: nothing to export.
            #expect(try await browser.post("/reports/rapids/exports").location == "/reports/rapids?done=none")

            // One registration changes and one status event happens; Priya is still incomplete.
            try await RegistrationCorrections.correct(jordan, RegistrationCorrectionInput(fullName: "Jordan Alvarez", addressLine1: "401 Demo Ave", city: "Houston",
                                                                                          state: "TX", zip: "77030", birthDate: "2000-06-01"), by: admin, app: app, on: app.db)
            try await ApprenticeRecords.transition(jordan, .init(action: "suspend", note: "Medical leave."), by: admin, on: app.db)
            #expect(try await browser.post("/reports/rapids/exports").location == "/reports/rapids?done=2")
            let batch2 = try await Self.batch(2, app)
            #expect(batch2.registrationCount == 1)
            #expect(batch2.eventCount == 1)
            // Already in RAPIDS: the change is an update, in the same layout, not a second upload.
            #expect(try await Self.table(browser, batch2, "apprentices.csv").rows.isEmpty)
            let updates2 = try await Self.table(browser, batch2, "apprentice-updates.csv")
            #expect(updates2.header == RapidsUploadLayout.columns)
            #expect(updates2.rows.map { $0["Apprentice Street Address"] } == ["401 Demo Ave"])
            #expect(try await Self.table(browser, batch2, "employers.csv").rows.count == 1)
            let events2 = try await Self.table(browser, batch2, "events.csv")
            #expect(events2.header == RapidsExport.eventColumns)
            #expect(events2.rows.map { $0["event_type"] } == ["suspension"])

            // Priya fixed: she goes out next, and only she, with her answers as codes.
            try await RegistrationCorrections.correct(priya, RegistrationCorrectionInput(fullName: "Priya Natarajan", addressLine1: "1200 Binz St", city: "Houston",
                                                                                         state: "TX", zip: "77004", birthDate: "1998-11-20"), by: admin, app: app, on: app.db)
            #expect(try await browser.post("/reports/rapids/exports").location == "/reports/rapids?done=3")
            let rows3 = try await Self.table(browser, try await Self.batch(3, app), "apprentices.csv").rows
            #expect(rows3.map { $0["Email"] } == [priya.email])
            let priyaRow = try #require(rows3.first)
            #expect(priyaRow["Apprentice Middle Name"] == "Lakshmi")
            #expect(priyaRow["Gender"] == "F")
            #expect(priyaRow["Ethnicity Hispanic / Latino"] == "2")
            #expect(["Race-American Indian / Alaskan Native", "Asian", "Black / African American", "Native Hawaiian / Other Pacific Islander", "White"].map { priyaRow[$0] } == ["0", "1", "0", "0", "0"])
            #expect(priyaRow["Apprentice Education Level"] == "6")
            #expect(priyaRow["Employment Status"] == "EE")
            #expect(priyaRow["Career Connection"] == "T")
            #expect(priyaRow["Prior Wages"] == "36500")
            #expect(priyaRow["Prior Wage Units"] == "A")
            #expect(priyaRow["Entry Wages"] == "19")
            #expect(priyaRow["WIOA Participant"] == "0")
            #expect(priyaRow["TAA Participant"] == "0")
            #expect(priyaRow["Credit for Previous Related Training In Hours"] == "24")
            #expect(priyaRow["Apprentice 5-Digit Zip Code"] == "77004")

            // Batch 1 downloads again byte for byte.
            let again = try await browser.get("/reports/rapids/exports/\(batch1.id!)/apprentices.csv")
            #expect(again.body == file1.body)
            let marks = try await RapidsExportMark.query(on: app.db).filter(\.$recordKind == .registration).filter(\.$recordID == jordan.requireID()).sort(\.$sequence).all()
            #expect(marks.map(\.sequence) == [1, 2])
            #expect(try await browser.get("/reports/rapids/exports/\(batch1.id!)/other.csv").status == .notFound)
            #expect(try await browser.get("/reports/rapids/exports/\(batch1.id!)/registrations.csv").status == .notFound)

            // The page lists each batch's files with their SHA-256.
            let page = try await browser.get("/reports/rapids")
            for name in RapidsExport.uploadFiles { #expect(page.text.contains("/reports/rapids/exports/\(batch1.id!)/\(name)")) }
            #expect(page.text.contains(batch1.registrationsSHA256))
        }
    }

    @Test("a batch exported before the upload layout still downloads as it was, under its old names")
    func oldLayoutBatch() async throws {
        try await withTestApp { app in
            let (admin, _, _) = try await Self.demo(app)
            let old = RapidsExportBatch()
            old.number = 1
            old.$createdBy.id = try admin.requireID()
            old.createdAt = Date()
            old.registrationCount = 0
            old.eventCount = 0
            old.heldBackCount = 0
            let registrations = "\u{FEFF}record_id,first_name\r\n", events = "\u{FEFF}event_id\r\n"
            old.registrationsSealed = try app.dataCipher.seal(registrations)
            old.eventsSealed = try app.dataCipher.seal(events)
            old.registrationsSHA256 = RapidsExport.sha256(Data(registrations.utf8))
            old.eventsSHA256 = RapidsExport.sha256(Data(events.utf8))
            try await old.create(on: app.db)
            let browser = try await ReportsTests.signIn(app, 0)
            #expect(try await browser.get("/reports/rapids/exports/\(old.id!)/registrations.csv").text == registrations)
            #expect(try await browser.get("/reports/rapids/exports/\(old.id!)/apprentices.csv").status == .notFound)
            #expect(try await browser.post("/reports/rapids/exports").location == "/reports/rapids?done=2")
        }
    }

    @Test("only the sponsor downloads a batch; mentors, apprentices and employer admins are refused")
    func downloadsAreTheSponsors() async throws {
        try await withTestApp { app in
            let (admin, _, _) = try await Self.demo(app)
            guard case .exported(let batch) = try await RapidsExport.export(by: admin, app: app, on: app.db) else { Issue.record("nothing exported"); return }
            for account in [1, 2, 3] {
                let browser = try await ReportsTests.signIn(app, account)
                for file in RapidsExport.uploadFiles {
                    #expect(try await browser.get("/reports/rapids/exports/\(batch.id!)/\(file)").status == .forbidden, "\(account) \(file)")
                }
            }
            #expect(try await Browser(app).get("/reports/rapids/exports/\(batch.id!)/apprentices.csv").status != .ok)
        }
    }

    @Test("old answers without a RAPIDS code, and missing upload fields, are flagged with links and fixed on the registration page")
    func missingUploadFields() async throws {
        try await withTestApp { app in
            let (_, jordan, _) = try await Self.demo(app)
            // As a record made before the upload layout would be.
            try await RegistrationData.query(on: app.db).filter(\.$apprentice.$id == jordan.requireID())
                .set(\.$education, to: .graduate).set(\.$careerConnection, to: .other)
                .set(\.$priorWageCents, to: nil).set(\.$priorWageUnit, to: nil).set(\.$studentStatus, to: nil).set(\.$rtiProvider, to: nil).update()
            let issues = try #require(try await RapidsExport.preview(app: app, on: app.db).invalid.first { $0.apprentice.id == jordan.id }?.issues)
            #expect(Set(issues.map(\.field)) == ["education", "careerConnection", "priorWage", "priorWageUnit", "studentStatus", "rtiProvider"])
            let browser = try await ReportsTests.signIn(app, 0)
            let page = try await browser.get("/reports/rapids")
            for field in ["education", "careerConnection", "priorWage", "studentStatus", "rtiProvider"] {
                #expect(page.text.contains("href=\"/apprentices/\(jordan.id!)/registration#\(field)\""), "\(field)")
            }
            let form = try await browser.get("/apprentices/\(jordan.id!)/registration")
            for field in ["firstName", "middleName", "lastName", "suffix", "priorWage", "priorWageUnit", "wioaParticipant", "wioaType", "taaParticipant",
                          "studentStatus", "ojtFundingSources", "relatedTrainingCreditHours", "rtiProvider", "education", "careerConnection"] {
                #expect(form.text.contains("id=\"\(field)\""), "\(field)")
            }
            #expect(!form.text.contains("value=\"graduate\""))
            #expect(!form.text.contains("value=\"other\""))

            var fields = ["fullName": "Jordan Alvarez", "addressLine1": "400 Demo Ave", "city": "Houston", "state": "TX", "zip": "77030", "birthDate": "2000-06-01",
                          "education": "graduate", "careerConnection": "other", "suffix": "Esq.", "priorWage": "fifteen", "priorWageUnit": "",
                          "wioaParticipant": "no", "wioaType": "AD", "studentStatus": "", "rtiProvider": "", "relatedTrainingCreditHours": "-3",
                          "middleName": String(repeating: "m", count: 50), "ojtFundingSources": "State apprenticeship grant"]
            let bad = try await browser.post("/apprentices/\(jordan.id!)/registration", fields)
            #expect(bad.status == .unprocessableEntity)
            for field in ["education", "careerConnection", "suffix", "priorWage", "priorWageUnit", "wioaType", "studentStatus", "rtiProvider", "relatedTrainingCreditHours"] {
                #expect(bad.text.contains("id=\"\(field)-error\""), "\(field)")
            }
            #expect(bad.text.contains("value=\"State apprenticeship grant\"")) // the input comes back
            #expect(bad.text.contains("value=\"fifteen\""))

            fields.merge(["education": "master", "careerConnection": "school_to_apprenticeship", "suffix": "Jr.", "priorWage": "4,200.00", "priorWageUnit": "M",
                          "wioaParticipant": "yes", "wioaType": "AD", "taaParticipant": "", "studentStatus": "YRA", "rtiProvider": "Lone Star College",
                          "relatedTrainingCreditHours": "40", "middleName": "Luis", "firstName": "Jordan", "lastName": "Alvarez Ruiz"]) { _, new in new }
            let good = try await browser.post("/apprentices/\(jordan.id!)/registration", fields)
            #expect(good.status == .seeOther)
            let data = try #require(try await RegistrationData.query(on: app.db).filter(\.$apprentice.$id == jordan.requireID()).first())
            #expect(data.education == .master)
            #expect(data.careerConnection == .schoolToApprenticeship)
            #expect(data.priorWageCents == 420_000)
            #expect(data.priorWageUnit == "M")
            #expect(data.wioaParticipant == true)
            #expect(data.wioaType == "AD")
            #expect(data.taaParticipant == nil)
            #expect(data.studentStatus == "YRA")
            #expect(data.suffix == "Jr.")
            #expect(data.lastName == "Alvarez Ruiz")
            #expect(try await RapidsExport.preview(app: app, on: app.db).invalid.allSatisfy { $0.apprentice.id != jordan.id })
            // The history names the fields, never their values.
            let note = try #require(try await ApprenticeEvent.query(on: app.db).filter(\.$apprentice.$id == jordan.requireID())
                .filter(\.$kind == "registration_corrected").sort(\.$createdAt, .descending).first()?.note)
            #expect(note.contains("prior wage"))
            #expect(note.contains("WIOA participation"))
            #expect(!note.contains("4200") && !note.contains("Lone Star"))

            guard case .exported(let batch) = try await RapidsExport.export(by: try #require(try await User.query(on: app.db).filter(\.$email == DemoData.accounts[0].email).first()),
                                                                            app: app, on: app.db) else { Issue.record("nothing exported"); return }
            let row = try #require(try await Self.table(browser, batch, "apprentices.csv").rows.first { $0["Email"] == jordan.email })
            #expect(row["Apprentice Last Name"] == "Alvarez Ruiz")
            #expect(row["Apprentice Suffix"] == "Jr.")
            #expect(row["Apprentice Education Level"] == "8")
            #expect(row["Career Connection"] == "S")
            #expect(row["Career Linkage or Direct Entry"] == "SR")
            #expect(row["Prior Wages"] == "4200")
            #expect(row["Prior Wage Units"] == "M")
            #expect(row["WIOA Participant"] == "1")
            #expect(row["Type"] == "AD")
            #expect(row["TAA Participant"] == "")
            #expect(row["Student Status"] == "YRA")
            #expect(row["On-the-Job Training Funding Sources"] == "State apprenticeship grant")
            #expect(row["Credit for Previous Related Training In Hours"] == "40")
        }
    }

    @Test("mentors and apprentices cannot open or post the registration data page")
    func correctionPageAccess() async throws {
        try await withTestApp { app in
            let (_, jordan, _) = try await Self.demo(app)
            for account in [2, 3] {
                let browser = try await ReportsTests.signIn(app, account)
                #expect(try await browser.get("/apprentices/\(jordan.id!)/registration").status == .forbidden, "\(account)")
                #expect(try await browser.post("/apprentices/\(jordan.id!)/registration", ["fullName": "X Y", "priorWage": "1"]).status == .forbidden, "\(account)")
            }
        }
    }

    @Test("two records due together with one SSN are held back for a person to look at")
    func duplicateSSN() async throws {
        try await withTestApp { app in
            let (admin, jordan, priya) = try await Self.demo(app)
            for apprentice in [jordan, priya] {
                try await RegistrationData.query(on: app.db).filter(\.$apprentice.$id == apprentice.requireID())
                    .set(\.$ssnCiphertext, to: try app.dataCipher.seal("123456789")).set(\.$ssnLast4, to: "6789").update()
            }
            try await RegistrationCorrections.correct(priya, RegistrationCorrectionInput(fullName: "Priya Natarajan", addressLine1: "1200 Binz St", city: "Houston",
                                                                                         state: "TX", zip: "77004", birthDate: "1998-11-20"), by: admin, app: app, on: app.db)
            let preview = try await RapidsExport.preview(app: app, on: app.db)
            #expect(Set(preview.invalid.map(\.apprentice.id)) == [jordan.id, priya.id])
            #expect(preview.invalid.allSatisfy { $0.issues.map(\.field) == ["ssn"] })
        }
    }

    @Test("two exports at the same moment never send the same record twice")
    func concurrent() async throws {
        try await withTestApp { app in
            let (admin, _, _) = try await Self.demo(app)
            async let a = RapidsExport.export(by: admin, app: app, on: app.db)
            async let b = RapidsExport.export(by: admin, app: app, on: app.db)
            let outcomes = try await [a, b]
            let exported = outcomes.filter { if case .exported = $0 { true } else { false } }.count
            #expect(exported == 1)
            let marks = try await RapidsExportMark.query(on: app.db).all()
            #expect(Set(marks.map(\.recordID)).count == marks.count)
            #expect(try await RapidsExportBatch.query(on: app.db).count() == 1)
        }
    }
}
