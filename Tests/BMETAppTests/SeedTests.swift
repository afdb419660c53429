@testable import BMETApp
import BMETDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@Suite("Demo data")
struct SeedTests {
    @Test("seed demo builds a believable program once, and a second run changes nothing")
    func seed() async throws {
        try await withTestApp { app in
            let path = packageRoot + "standards/aami-bmet.json"
            #expect(try await DemoData.seed(app: app, password: "demo-password-2026", standardsPath: path))
            #expect(try await User.query(on: app.db).count() == DemoData.accounts.count)
            #expect(try await Employer.query(on: app.db).count() == 2)
            #expect(try await Applicant.query(on: app.db).all().map(\.status).sorted { $0.rawValue < $1.rawValue } == [.new, .referred, .screening])
            #expect(try await EmployerInquiry.query(on: app.db).count() == 1)
            let statuses = try await Apprentice.query(on: app.db).sort(\.$fullName).all().map(\.status)
            #expect(statuses == [.pendingAgreement, .probation]) // Aaliyah, Jordan
            #expect(!(try await DemoData.seed(app: app, password: "demo-password-2026", standardsPath: path)))
            #expect(try await Apprentice.query(on: app.db).count() == 2)

            // The demo apprentice signs in and sees their program, mentor and start date.
            let browser = Browser(app)
            #expect(try await browser.signIn(DemoData.accounts[3].email, password: "demo-password-2026").status == .seeOther)
            let dashboard = try await browser.get("/dashboard").text
            #expect(dashboard.contains("Your apprenticeship"))
            #expect(dashboard.contains("Linda Okafor"))
            #expect(dashboard.contains("Probation"))
            // The Buckeye admin's next step is to sign Aaliyah's agreement.
            let employer = Browser(app)
            _ = try await employer.signIn(DemoData.accounts[5].email, password: "demo-password-2026")
            #expect(try await employer.get("/dashboard").text.contains("waits for your signature"))
        }
    }
}
