@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// What registration now collects for the RAPIDS upload layout, and the export files for the frictionless check.
@Suite("RAPIDS upload fields at registration")
struct RapidsUploadFieldsTests {
    @Test("registration asks for the upload layout's fields; wrong answers come back with the input and a message by each field")
    func registrationForm() async throws {
        try await withTestApp { app in
            let s = try await RegistrationTests.setup(app)
            let employer = Browser(app)
            _ = try await employer.signIn(s.world.adminA.email)
            let form = try await employer.get("/apprentices/new?applicant=\(s.applicant.id!)")
            for field in ["firstName", "middleName", "lastName", "suffix", "priorWage", "priorWageUnit", "wioaParticipant", "wioaType", "taaParticipant",
                          "studentStatus", "ojtFundingSources", "relatedTrainingCreditHours", "rtiProvider"] {
                #expect(form.text.contains("name=\"\(field)\""), "\(field)")
            }
            #expect(!form.text.contains("value=\"graduate\""))

            let bad = try await employer.post("/apprentices", RegistrationTests.form(s, [
                "priorWage": "", "priorWageUnit": "hourly", "studentStatus": "", "rtiProvider": "", "suffix": "Esq.", "wioaParticipant": "maybe",
                "taaParticipant": "no", "wioaType": "XX", "relatedTrainingCreditHours": "lots",
                "ojtFundingSources": "Workforce board OJT contract", "education": "graduate", "careerConnection": "other",
            ]))
            #expect(bad.status == .unprocessableEntity)
            for field in ["priorWage", "priorWageUnit", "studentStatus", "rtiProvider", "suffix", "wioaParticipant", "wioaType", "relatedTrainingCreditHours",
                          "education", "careerConnection"] {
                #expect(bad.text.contains("id=\"\(field)-error\""), "\(field)")
            }
            #expect(bad.text.contains("value=\"Workforce board OJT contract\""))
            #expect(bad.text.contains("<option value=\"no\" selected>"))
            // Past the layout's 55 characters a name part is refused by the field too.
            let long = try await employer.post("/apprentices", RegistrationTests.form(s, ["lastName": String(repeating: "L", count: 56)]))
            #expect(long.status == .unprocessableEntity)
            #expect(long.text.contains("id=\"lastName-error\""))
            #expect(try await Apprentice.query(on: app.db).count() == 0)

            // The voluntary answers may stay unanswered; the required ones are stored.
            let good = try await employer.post("/apprentices", RegistrationTests.form(s, [
                "middleName": "Ann", "suffix": "III", "priorWage": "52,000", "priorWageUnit": "A", "wioaParticipant": "yes", "wioaType": "DI",
                "relatedTrainingCreditHours": "12", "ojtFundingSources": "Workforce board OJT contract", "education": "doctorate",
                "careerConnection": "military_veterans",
            ]))
            #expect(good.status == .seeOther)
            let apprentice = try #require(try await Apprentice.query(on: app.db).first())
            let data = try #require(try await RegistrationData.query(on: app.db).filter(\.$apprentice.$id == apprentice.requireID()).first())
            #expect(data.middleName == "Ann")
            #expect(data.suffix == "III")
            #expect(data.firstName == nil) // empty: the full name's first word is used
            #expect(data.priorWageCents == 5_200_000)
            #expect(data.priorWageUnit == "A")
            #expect(data.wioaParticipant == true)
            #expect(data.wioaType == "DI")
            #expect(data.taaParticipant == nil)
            #expect(data.studentStatus == "NA")
            #expect(data.relatedTrainingCreditHours == 12)
            #expect(data.ojtFundingSources == "Workforce board OJT contract")
            #expect(data.rtiProvider == "Houston Community College")
            #expect(data.education == .doctorate)
            #expect(data.careerConnection == .militaryVeterans)
            // Shown with the registration data, and in the apprentice's complete record.
            let page = try await employer.get("/apprentices/\(apprentice.id!)")
            #expect(page.text.contains("<dt>Related instruction provider</dt><dd>Houston Community College</dd>"))
            #expect(page.text.contains("<dt>Prior wage</dt><dd>$52000.00 per year</dd>"))
            #expect(page.text.contains("<dt>WIOA participant</dt><dd>Yes (dislocated worker)</dd>"))
            let record = ReportsTests.parseCSV(try await employer.get("/apprentices/\(apprentice.id!)/record.csv").text)
            #expect(record.contains { $0.count > 4 && $0[2] == "Name for RAPIDS" && $0[4] == "Jamie Ann Rivera III" })
            #expect(record.contains { $0.count > 4 && $0[2] == "Student status" && $0[4] == StudentStatus.notApplicable.label })
        }
    }

    @Test("a WIOA type is dropped when the apprentice is not a WIOA participant")
    func wioaTypeNeedsParticipation() async throws {
        try await withTestApp { app in
            let s = try await RegistrationTests.setup(app)
            let employer = Browser(app)
            _ = try await employer.signIn(s.world.adminA.email)
            let refused = try await employer.post("/apprentices", RegistrationTests.form(s, ["wioaParticipant": "no", "wioaType": "AD"]))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("id=\"wioaType-error\""))
            #expect(try await employer.post("/apprentices", RegistrationTests.form(s, ["wioaParticipant": "no"])).status == .seeOther)
            let data = try #require(try await RegistrationData.query(on: app.db).first())
            #expect(data.wioaParticipant == false)
            #expect(data.wioaType == nil)
        }
    }

    @Test("the interest form tells a master's degree from a doctorate and no longer takes the undivided answer")
    func interestFormEducation() async throws {
        try await withTestApp { app in
            let form = try await Browser(app).get("/apply")
            #expect(form.text.contains("value=\"master\""))
            #expect(form.text.contains("value=\"doctorate\""))
            #expect(!form.text.contains("value=\"graduate\""))
            let refused = try await Browser(app).post("/apply", RecruitmentTests.application(["education": "graduate"]))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("id=\"education-error\""))
            #expect(try await Browser(app).post("/apply", RecruitmentTests.application(["education": "doctorate"])).status == .seeOther)
            #expect(try await Applicant.query(on: app.db).first()?.education == .doctorate)
        }
    }

    static let fixtures = ProcessInfo.processInfo.environment["BMET_RAPIDS_FIXTURES"]

    /// Writes the demo's export batches for checks/rapids/check_upload.py (frictionless, scripts/rapids-check.sh):
    /// batch-1 as `bmet seed demo` leaves it, batch-2 after Priya's registration is fixed and Jordan's changed.
    @Test(.enabled(if: fixtures != nil, "BMET_RAPIDS_FIXTURES is not set"))
    func writeFixturesForFrictionless() async throws {
        let folder = URL(fileURLWithPath: try #require(Self.fixtures))
        try await withTestApp { app in
            let (admin, jordan, priya) = try await RapidsExportTests.demo(app)
            func write(_ outcome: RapidsExport.Outcome, _ name: String) async throws {
                guard case .exported(let batch) = outcome else { Issue.record("nothing exported for \(name)"); return }
                let target = folder.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                for file in try await RapidsExport.fileList(batch, on: app.db) {
                    let data = try #require(try await RapidsExport.file(batch, file.name, app: app, on: app.db))
                    try data.write(to: target.appendingPathComponent(file.name))
                }
            }
            try await write(try await RapidsExport.export(by: admin, app: app, on: app.db), "batch-1")
            try await RegistrationCorrections.correct(priya, RegistrationCorrectionInput(fullName: "Priya Natarajan", addressLine1: "1200 Binz St", city: "Houston",
                                                                                         state: "TX", zip: "77004", birthDate: "1998-11-20"), by: admin, app: app, on: app.db)
            try await RegistrationCorrections.correct(jordan, RegistrationCorrectionInput(fullName: "Jordan Alvarez", addressLine1: "401 Demo Ave", city: "Houston",
                                                                                          state: "TX", zip: "77030", birthDate: "2000-06-01", ssn: "123-45-6789", suffix: "Jr.", wioaParticipant: "yes",
                                                                                          wioaType: "YT", taaParticipant: "no"), by: admin, app: app, on: app.db)
            try await write(try await RapidsExport.export(by: admin, app: app, on: app.db), "batch-2")
        }
    }
}
