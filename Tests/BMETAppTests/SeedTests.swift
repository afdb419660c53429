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
            #expect(statuses == [.pendingAgreement, .active, .probation]) // Aaliyah, Jordan, Priya (incomplete for RAPIDS)
            #expect(!(try await DemoData.seed(app: app, password: "demo-password-2026", standardsPath: path)))
            #expect(try await Apprentice.query(on: app.db).count() == 3)

            // The demo apprentice signs in and sees their program, mentor and start date.
            let browser = Browser(app)
            #expect(try await browser.signIn(DemoData.accounts[3].email, password: "demo-password-2026").status == .seeOther)
            let dashboard = try await browser.get("/dashboard").text
            #expect(dashboard.contains("Your apprenticeship"))
            #expect(dashboard.contains("Linda Okafor"))
            #expect(dashboard.contains("Active"))
            // Jordan's seven months show as progress; the seeded totals match the records.
            #expect(dashboard.contains("Projected completion"))
            #expect(dashboard.contains("1 hour entry was rejected"))
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)
            #expect(try await SkillAssessment.query(on: app.db).count() == 6)
            // Linda has last week's hours to approve; Marcus has a raise due and an overdue review.
            let mentor = Browser(app)
            _ = try await mentor.signIn(DemoData.accounts[2].email, password: "demo-password-2026")
            #expect(try await mentor.get("/dashboard").text.contains("4 hour entries wait for your approval"))
            let gulf = Browser(app)
            _ = try await gulf.signIn(DemoData.accounts[1].email, password: "demo-password-2026")
            let cohort = try await gulf.get("/dashboard").text
            #expect(cohort.contains("A raise is due for"))
            #expect(cohort.contains("Review overdue"))
            // The Buckeye admin's next step is to sign Aaliyah's agreement.
            let employer = Browser(app)
            _ = try await employer.signIn(DemoData.accounts[5].email, password: "demo-password-2026")
            #expect(try await employer.get("/dashboard").text.contains("waits for your signature"))
        }
    }

    @Test("bmet seed demo shows the end of the life cycle: one apprentice ready for the completion request, one completed with a certificate")
    func completionStage() async throws {
        try await withTestApp { app in
            let path = packageRoot + "standards/aami-bmet.json"
            #expect(try await DemoData.seed(app: app, password: "demo-password-2026", standardsPath: path, completionStage: true))
            let morgan = try #require(try await Apprentice.query(on: app.db).filter(\.$email == DemoData.accounts[9].email).first())
            let riley = try #require(try await Apprentice.query(on: app.db).filter(\.$email == DemoData.accounts[10].email).first())

            // Morgan: every requirement met, no request yet; Buckeye's administrator is offered the request.
            #expect(morgan.status == .active)
            let progress = try await ProgressReader.progress(of: morgan, on: app.db)
            #expect(progress.eligibility.isEligible, "\(progress.eligibility.missing)")
            #expect(progress.requirements.allSatisfy { $0.met })
            #expect(progress.totalHours >= Double(progress.minimumHours))
            #expect(try await CompletionRequest.query(on: app.db).filter(\.$apprentice.$id == morgan.id!).count() == 0)
            let buckeye = Browser(app)
            _ = try await buckeye.signIn(DemoData.accounts[5].email, password: "demo-password-2026")
            let completion = try await buckeye.get("/apprentices/\(morgan.id!)/completion").text
            #expect(completion.contains("action=\"/apprentices/\(morgan.id!)/completion\""))

            // Riley: completed by the sponsor's approval, the certificate issued, each requirement shown met.
            #expect(riley.status == .completed)
            let certificate = try #require(try await IssuedCredential.query(on: app.db).filter(\.$apprentice.$id == riley.id!).filter(\.$kind == .certificate).first())
            let facts = try await DocumentFacts.certificate(certificate, apprentice: riley, settings: app.settings, on: app.db)
            #expect(facts.signedBy.first??.hasPrefix("Approved by \(DemoData.accounts[0].name), ") == true)
            #expect(facts.statement.contains("occupation named below"))
            let transcript = try await DocumentFacts.transcript(riley, certificate: certificate, settings: app.settings, on: app.db)
            #expect(!transcript.requirements.isEmpty && transcript.requirements.allSatisfy { $0.met })
            #expect(transcript.maximumHours == 6000)
            let gulf = Browser(app)
            _ = try await gulf.signIn(DemoData.accounts[1].email, password: "demo-password-2026")
            let pdf = try await gulf.get("/apprentices/\(riley.id!)/certificate.pdf")
            #expect(pdf.status == .ok)
            #expect(pdf.headers.contentType?.subType == "pdf")
            #expect(try await Browser(app).get("/verify/\(certificate.number)").text.contains("Riley Chen"))
            // The probation of both ended on its date, by the platform.
            #expect(try await ApprenticeEvent.query(on: app.db).filter(\.$kind == "end_probation").filter(\.$actor.$id == nil).count() == 2)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)

            // Revoking Riley's certificate takes the completion out of the outcomes, said on the page.
            let before = try await Outcomes.report(OutcomeFilter(), on: app.db)
            #expect(before.total.completions == 1 && before.revokedCompletions == 0)
            let admin = try #require(try await User.query(on: app.db).filter(\.$email == DemoData.accounts[0].email).first())
            try await CredentialIssuance.revoke(certificate, reason: "Issued in error", by: admin, on: app.db)
            let after = try await Outcomes.report(OutcomeFilter(), on: app.db)
            #expect(after.total.completions == 0)
            #expect(after.revokedCompletions == 1)
            let sponsor = Browser(app)
            _ = try await sponsor.signIn(DemoData.accounts[0].email, password: "demo-password-2026")
            #expect(try await sponsor.get("/reports/outcomes").text.contains("1 more left out: their certificate was revoked"))
            // Both sides are told.
            let told = try await NoticeDetector.milestones(now: Date(), on: app.db).filter { $0.dedupeKey == "milestone.revoked:\(certificate.id!)" }
            #expect(Set(told.map(\.kind)) == [.milestone, .apprenticeMilestone])
        }
    }
}
