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

    @Test("the first export holds every valid record; the second only what changed; batches download again unchanged")
    func incremental() async throws {
        try await withTestApp { app in
            let (admin, jordan, priya) = try await Self.demo(app)
            let browser = try await ReportsTests.signIn(app, 0)
            let first = try await browser.post("/reports/rapids/exports")
            #expect(first.status == .seeOther)
            #expect(first.location == "/reports/rapids?done=1")
            let batch1 = try #require(try await RapidsExportBatch.query(on: app.db).filter(\.$number == 1).first())
            #expect(batch1.registrationCount == 1)
            #expect(batch1.heldBackCount == 1)
            let file1 = try await browser.get("/reports/rapids/exports/\(batch1.id!)/registrations.csv")
            #expect(file1.headers.first(name: .contentType) == "text/csv; charset=utf-8")
            let rows1 = ReportsTests.parseCSV(file1.text)
            #expect(rows1.first == RapidsExport.registrationColumns)
            #expect(rows1.dropFirst().map { $0[0] } == [jordan.id!.uuidString])
            #expect(rows1[1][RapidsExport.registrationColumns.firstIndex(of: "rapids_occupation_code")!] == "0888HY")
            #expect(RapidsExport.sha256(Data(file1.body.readableBytesView)) == batch1.registrationsSHA256)

            // Nothing changed: nothing to export.
            #expect(try await browser.post("/reports/rapids/exports").location == "/reports/rapids?done=none")

            // One registration changes and one status event happens; Priya is still incomplete.
            try await RegistrationCorrections.correct(jordan, RegistrationCorrectionInput(fullName: "Jordan Alvarez", addressLine1: "401 Demo Ave", city: "Houston",
                                                                                          state: "TX", zip: "77030", birthDate: "2000-06-01"), by: admin, app: app, on: app.db)
            try await ApprenticeRecords.transition(jordan, .init(action: "suspend", note: "Medical leave."), by: admin, on: app.db)
            #expect(try await browser.post("/reports/rapids/exports").location == "/reports/rapids?done=2")
            let batch2 = try #require(try await RapidsExportBatch.query(on: app.db).filter(\.$number == 2).first())
            #expect(batch2.registrationCount == 1)
            #expect(batch2.eventCount == 1)
            let rows2 = ReportsTests.parseCSV(try await browser.get("/reports/rapids/exports/\(batch2.id!)/registrations.csv").text)
            #expect(rows2[1][RapidsExport.registrationColumns.firstIndex(of: "address_line1")!] == "401 Demo Ave")
            #expect(rows2[1][RapidsExport.registrationColumns.firstIndex(of: "status")!] == "suspended")
            let events2 = ReportsTests.parseCSV(try await browser.get("/reports/rapids/exports/\(batch2.id!)/events.csv").text)
            #expect(events2.first == RapidsExport.eventColumns)
            #expect(events2.dropFirst().map { $0[3] } == ["suspension"])

            // Priya fixed: she goes out next, and only she.
            try await RegistrationCorrections.correct(priya, RegistrationCorrectionInput(fullName: "Priya Natarajan", addressLine1: "1200 Binz St", city: "Houston",
                                                                                         state: "TX", zip: "77004", birthDate: "1998-11-20"), by: admin, app: app, on: app.db)
            #expect(try await browser.post("/reports/rapids/exports").location == "/reports/rapids?done=3")
            let rows3 = ReportsTests.parseCSV(try await browser.get("/reports/rapids/exports/\(try #require(try await RapidsExportBatch.query(on: app.db).filter(\.$number == 3).first()?.id))/registrations.csv").text)
            #expect(rows3.dropFirst().map { $0[0] } == [priya.id!.uuidString])

            // Batch 1 downloads again byte for byte.
            let again = try await browser.get("/reports/rapids/exports/\(batch1.id!)/registrations.csv")
            #expect(again.body == file1.body)
            let marks = try await RapidsExportMark.query(on: app.db).filter(\.$recordKind == .registration).filter(\.$recordID == jordan.requireID()).sort(\.$sequence).all()
            #expect(marks.map(\.sequence) == [1, 2])
            #expect(try await browser.get("/reports/rapids/exports/\(batch1.id!)/other.csv").status == .notFound)
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
