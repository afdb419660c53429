@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// 29 CFR 30: disability self-identification invitations and answers, the EEO officer permission, the utilization
/// analysis with goals and the 7% disability goal, outreach and the annual review.
@Suite("Equal opportunity (29 CFR 30)")
struct EqualOpportunityTests {
    /// The registration setup (applied, hired) with the applicant registered at employer A and the sponsor's admin
    /// named EEO officer.
    struct Setup {
        let s: RegistrationTests.Setup
        let apprentice: Apprentice
        var w: Make.World { s.world }
    }

    static func setup(_ app: Application) async throws -> Setup {
        let s = try await RegistrationTests.setup(app)
        let employer = Browser(app)
        _ = try await employer.signIn(s.world.adminA.email)
        let response = try await employer.post("/apprentices", RegistrationTests.form(s))
        #expect(response.status == .seeOther, "\(response.text)")
        let apprentice = try #require(try await Apprentice.query(on: app.db).first())
        try await EEOOfficers.set(s.world.admin, officer: true, by: nil, on: app.db)
        return Setup(s: s, apprentice: apprentice)
    }

    /// The secret link's token in the newest self-identification e-mail to `email` (the outbox keeps the body sealed).
    static func token(_ app: Application, to email: String) async throws -> String {
        let message = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipient == email)
            .filter(\.$subject == "Voluntary self-identification of disability (BMET Apprenticeship)").sort(\.$createdAt, .descending).first())
        #expect(message.body.contains("/self-identify/[hidden"))
        let body = try app.dataCipher.open(try #require(message.sealedBody))
        let range = try #require(body.range(of: #"/self-identify/[A-Za-z0-9_-]+"#, options: .regularExpression))
        return String(body[range].dropFirst("/self-identify/".count))
    }

    @Test("invitations go out at each stage: on applying, after the offer, to each apprentice once, then yearly")
    func invitationsAtEachStage() async throws {
        try await withTestApp { app in
            let t = try await Self.setup(app)
            let applicantStages = try await DisabilityInvitation.query(on: app.db).filter(\.$applicant.$id == t.s.applicant.id!).sort(\.$sentAt).all().map(\.stage)
            #expect(applicantStages == [.applicant, .postOffer])
            // Separately from the application: its own e-mail, besides the application's confirmation.
            let mails = try await OutboxMessage.query(on: app.db).filter(\.$recipient == "jamie.rivera@example.org").all().map(\.subject)
            #expect(mails.contains("We received your BMET apprenticeship application"))
            #expect(mails.filter { $0.hasPrefix("Voluntary self-identification") }.count == 2)
            // Applying again updates the application and sends no second applicant invitation.
            _ = try await Browser(app).post("/apply", RecruitmentTests.application(["email": "other.person@example.org", "fullName": "Other Person"]))
            #expect(try await DisabilityInvitation.query(on: app.db).filter(\.$stage == .applicant).count() == 2)

            let now = Date()
            #expect(try await SelfIdentification.sendDue(app: app, now: now) == 1)
            #expect(try await SelfIdentification.sendDue(app: app, now: now.addingTimeInterval(86_400)) == 0)
            let later = now.addingTimeInterval(366 * 86_400)
            #expect(try await SelfIdentification.sendDue(app: app, now: later) == 1)
            #expect(try await SelfIdentification.sendDue(app: app, now: later.addingTimeInterval(3_600)) == 0)
            let apprenticeStages = try await DisabilityInvitation.query(on: app.db).filter(\.$apprentice.$id == t.apprentice.id!).sort(\.$sentAt).all().map(\.stage)
            #expect(apprenticeStages == [.current, .reminder])
            // The scheduler runs the job by its name.
            #expect(ScheduledJob.named("eeo.self-identification") != nil)

            // Staff never type a disability into the registration.
            let employer = Browser(app)
            _ = try await employer.signIn(t.w.adminA.email)
            let form = try await employer.get("/apprentices/new?applicant=\(t.s.applicant.id!)").text
            #expect(!form.contains("name=\"disability\""))
            #expect(form.contains("invited to self-identify a"))
        }
    }

    @Test("the link's form: declining is an answer, answers are appended and sealed, the latest counts, RAPIDS uses it")
    func answerByLink() async throws {
        try await withTestApp { app in
            let t = try await Self.setup(app)
            let token = try await Self.token(app, to: "jamie.rivera@example.org")
            let person = Browser(app)
            let page = try await person.get("/self-identify/\(token)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Answering is voluntary"))
            #expect(page.text.contains("I do not want to answer"))
            // The page's address is the person's own link: never cached, never sent to another site.
            #expect(page.headers.first(name: .cacheControl) == "no-store")
            #expect(page.headers.first(name: "Referrer-Policy") == "same-origin")
            #expect(try await person.get("/self-identify/not-a-real-token").status == .notFound)

            let none = try await person.post("/self-identify/\(token)", [:])
            #expect(none.status == .unprocessableEntity)
            #expect(none.text.contains("id=\"answer-error\""))
            #expect(try await DisabilitySelfIdentification.query(on: app.db).count() == 0)
            #expect(try await person.post("/self-identify/\(token)", ["answer": "declined"]).text.contains("Your answer was recorded"))
            #expect(try await person.post("/self-identify/\(token)", ["answer": "yes"]).status == .ok)
            let rows = try await DisabilitySelfIdentification.query(on: app.db).all()
            #expect(rows.count == 2)
            #expect(rows.allSatisfy { !["yes", "no", "declined"].contains($0.answerSealed) && $0.$applicant.id == t.s.applicant.id })

            // The apprentice's answer is the one they gave as the applicant they were, until they answer again.
            let current = try await SelfIdentification.currentAnswers(for: [(t.apprentice.id!, t.apprentice.$applicant.id)], cipher: app.dataCipher, on: app.db)
            #expect(current[t.apprentice.id!] == .yes)
            let index = try #require(RapidsUploadLayout.fields.firstIndex { $0.name == "Apprentice Disability Status" })
            try await ApprenticeRecords.transitionForTest(t.apprentice, to: .active, on: app.db)
            let preview = try await RapidsExport.preview(app: app, on: app.db)
            let row = try #require(preview.registrations.first { $0.apprentice.id == t.apprentice.id })
            #expect(CSVWriter.field(row.cells[index]) == "1")

            _ = try await SelfIdentification.sendDue(app: app)
            let own = try await Self.token(app, to: t.apprentice.email)
            #expect(try await person.post("/self-identify/\(own)", ["answer": "no"]).status == .ok)
            let updated = try await SelfIdentification.currentAnswers(for: [(t.apprentice.id!, t.apprentice.$applicant.id)], cipher: app.dataCipher, on: app.db)
            #expect(updated[t.apprentice.id!] == .no)

            // The apprentice's record export leaves it out.
            let staff = Browser(app)
            _ = try await staff.signIn(t.w.adminA.email)
            let record = try await staff.get("/apprentices/\(t.apprentice.id!)/record.csv")
            #expect(record.status == .ok)
            #expect(!record.text.contains("Disability"))
        }
    }

    @Test("only EEO officers reach the equal-opportunity pages and individual answers; each other role is refused")
    func access() async throws {
        try await withTestApp { app in
            let t = try await Self.setup(app)
            let otherAdmin = try await Make.user(app, role: .programAdmin, name: "Pat Second-Admin")
            let paths = ["/eeo", "/eeo/utilization", "/eeo/utilization.csv", "/eeo/self-identification", "/eeo/outreach", "/eeo/reviews"]
            let officer = Browser(app)
            _ = try await officer.signIn(t.w.admin.email)
            for path in paths { #expect(try await officer.get(path).status == .ok, "\(path)") }
            #expect(try await officer.get("/dashboard").text.contains("href=\"/eeo\""))
            for user in [otherAdmin, t.w.adminA, t.w.mentorA, t.w.apprenticeA] {
                let browser = Browser(app)
                _ = try await browser.signIn(user.email)
                for path in paths { #expect(try await browser.get(path).status == .forbidden, "\(user.role) \(path)") }
                #expect(try await browser.post("/eeo/outreach", ["kind": "career_fair"]).status == .forbidden)
                #expect(!(try await browser.get("/dashboard").text.contains("href=\"/eeo\"")))
            }
            #expect(try await Browser(app).get("/eeo/self-identification").status == .seeOther)

            // A program administrator who is not an officer cannot name themself or anyone else.
            let second = Browser(app)
            _ = try await second.signIn(otherAdmin.email)
            #expect(try await second.post("/people/\(otherAdmin.id!)/eeo-officer", ["officer": "1"]).status == .forbidden)
            // The officer names them; the last officer cannot be removed; nobody but a program administrator can be one.
            #expect(try await officer.post("/people/\(otherAdmin.id!)/eeo-officer", ["officer": "1"]).status == .seeOther)
            #expect(try await User.find(otherAdmin.id, on: app.db)?.isEEOOfficer == true)
            #expect(try await second.get("/eeo/self-identification").status == .ok)
            #expect(try await second.post("/people/\(t.w.admin.id!)/eeo-officer", ["officer": "0"]).status == .seeOther)
            let last = try await officer.post("/people/\(otherAdmin.id!)/eeo-officer", ["officer": "0"])
            #expect(last.status == .forbidden)
            let refused = try await second.post("/people/\(t.w.mentorA.id!)/eeo-officer", ["officer": "1"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Only program administrators can be EEO officers"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.eeoOfficerChanged.rawValue).count() == 3)

            // Reading individual answers is audited.
            let token = try await Self.token(app, to: "jamie.rivera@example.org")
            _ = try await Browser(app).post("/self-identify/\(token)", ["answer": "no"])
            let answers = try await second.get("/eeo/self-identification")
            #expect(answers.text.contains("Jamie Rivera"))
            #expect(answers.text.contains("No disability"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.selfIdentificationsRead.rawValue).count() == 1)
        }
    }

    static func availability(_ overrides: [String: String] = [:]) -> [String: String] {
        var fields = ["occupation": "0888HY", "state": "TX", "source": "U.S. Census Bureau, ACS 5-year EEO tabulation", "year": "2024",
                      "availability[women]": "40", "availability[hispanic_or_latino]": "38.5",
                      "availability[american_indian_or_alaska_native]": "0", "availability[asian]": "0",
                      "availability[black_or_african_american]": "100", "availability[native_hawaiian_or_pacific_islander]": "0",
                      "availability[white]": "0"]
        for (key, value) in overrides { fields[key] = value }
        return fields
    }

    @Test("availability is checked by field; the analysis flags an under-utilized group, records its goal, and checks the 7% goal")
    func utilization() async throws {
        try await withTestApp { app in
            let t = try await Self.setup(app)
            let officer = Browser(app)
            _ = try await officer.signIn(t.w.admin.email)
            let empty = try await officer.get("/eeo/utilization?occupation=0888HY&state=TX")
            #expect(empty.text.contains("No availability figures are entered"))
            #expect(try await officer.get("/eeo").text.contains("Enter availability"))
            #expect(try await officer.get("/eeo/utilization?occupation=NOPE&state=TX").status == .notFound)

            let bad = try await officer.post("/eeo/utilization/availability", Self.availability([
                "availability[women]": "150", "availability[asian]": "abc", "availability[white]": "20", "source": "", "year": "1800"]))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("id=\"availability-women-error\""))
            #expect(bad.text.contains("id=\"availability-asian-error\""))
            #expect(bad.text.contains("together they cannot be more than 100%"))
            #expect(bad.text.contains("id=\"source-error\""))
            #expect(bad.text.contains("id=\"year-error\""))
            #expect(bad.text.contains("value=\"150\""))
            #expect(try await AvailabilityFigure.query(on: app.db).count() == 0)

            #expect(try await officer.post("/eeo/utilization/availability", Self.availability()).status == .seeOther)
            #expect(try await AvailabilityFigure.query(on: app.db).count() == EEOGroup.allCases.count)
            let page = try await officer.get("/eeo/utilization?occupation=0888HY&state=TX")
            // One Hispanic white woman: Black or African American (100% available, none in the program) is one whole person short.
            #expect(page.text.contains("Under-utilized: <strong>Black or African American</strong>"))
            #expect(!page.text.contains("<strong>Women</strong>"))
            #expect(page.text.contains("fewer than 5"))
            #expect(page.text.contains("<svg class=\"chart\""))
            // The disability goal: nobody has answered yet, so 0% is below 7%.
            #expect(page.text.contains("Below the goal"))

            let notFlagged = try await officer.post("/eeo/utilization/goals", ["occupation": "0888HY", "state": "TX", "group": "women"])
            #expect(notFlagged.status == .unprocessableEntity)
            #expect(try await officer.post("/eeo/utilization/goals", ["occupation": "0888HY", "state": "TX", "group": "black_or_african_american"]).status == .seeOther)
            let goal = try #require(try await UtilizationGoal.query(on: app.db).first())
            #expect(goal.goalTenths == 1000)
            #expect(try await officer.get("/eeo/utilization?occupation=0888HY&state=TX").text.contains("100%"))

            let csv = try await officer.get("/eeo/utilization.csv?occupation=0888HY&state=TX")
            #expect(csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(csv.text.contains("Black or African American,100.0,0,1,0.0,1.0,yes,100.0"))
            #expect(csv.text.contains("Women,40.0,fewer than 5,1,,0.4,no,"))

            let token = try await Self.token(app, to: "jamie.rivera@example.org")
            _ = try await Browser(app).post("/self-identify/\(token)", ["answer": "yes"])
            let goals = try await Utilization.disabilityGoal(cipher: app.dataCipher, on: app.db)
            #expect(goals.count == 1)
            #expect(goals.first?.withDisability == 1 && goals.first?.belowGoal == false)
        }
    }

    @Test("the annual review is due, reminded, signed with every item answered, then final; outreach is logged")
    func reviewAndOutreach() async throws {
        try await withTestApp { app in
            let t = try await Self.setup(app)
            let officer = Browser(app)
            _ = try await officer.signIn(t.w.admin.email)
            #expect(try await officer.get("/eeo/reviews").text.contains("Due: no review has been signed yet."))
            #expect(try await AnnualReviews.remindIfDue(app: app) == 1)

            let today = ProgramCalendar.dayString(ProgramCalendar.today())
            var form = ["periodStart": "2025-12-01", "periodEnd": today, "findings": "", "signedName": "Someone Else"]
            let bad = try await officer.post("/eeo/reviews", form)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("id=\"note-qualifications-error\""))
            #expect(bad.text.contains("id=\"findings-error\""))
            #expect(bad.text.contains("id=\"signedName-error\""))
            #expect(bad.text.contains("id=\"confirm-error\""))
            #expect(try await AnnualReview.query(on: app.db).count() == 0)

            for item in AnnualReviewChecklist.items { form["items[\(item.code)][done]"] = "yes" }
            form["items[harassment][done]"] = nil
            form["items[harassment][note]"] = "Training postponed to January."
            form["findings"] = "Selection procedures are applied alike; outreach reached two workforce boards."
            form["signedName"] = t.w.admin.fullName
            form["confirm"] = "yes"
            let noActions = try await officer.post("/eeo/reviews", form)
            #expect(noActions.status == .unprocessableEntity)
            #expect(noActions.text.contains("id=\"actions-error\""))
            form["actions"] = "Anti-harassment training for every mentor by January 31."
            #expect(try await officer.post("/eeo/reviews", form).status == .seeOther)
            let review = try #require(try await AnnualReview.query(on: app.db).first())
            #expect(review.answers.count == AnnualReviewChecklist.items.count)
            #expect(review.answers.first { $0.code == "harassment" }?.done == false)
            #expect(try await officer.get("/eeo/reviews").text.contains("Up to date"))
            #expect(try await officer.get("/eeo/reviews/\(review.id!)").text.contains("Training postponed to January."))
            #expect(try await AnnualReviews.remindIfDue(app: app) == 0)

            let badOutreach = try await officer.post("/eeo/outreach", ["activityDate": "2999-01-01", "kind": "nope", "organization": "", "description": ""])
            #expect(badOutreach.status == .unprocessableEntity)
            for field in ["activityDate", "kind", "organization", "description"] { #expect(badOutreach.text.contains("id=\"\(field)-error\"")) }
            #expect(try await officer.post("/eeo/outreach", pairs: [
                ("activityDate", today), ("kind", "workforce_agency"), ("organization", "Workforce Solutions Gulf Coast"),
                ("description", "Information session on BMET apprenticeships"), ("groups[]", "women"), ("groups[]", "veterans"),
            ]).status == .seeOther)
            let list = try await officer.get("/eeo/outreach").text
            #expect(list.contains("Workforce Solutions Gulf Coast"))
            #expect(list.contains("Women, Veterans"))
        }
    }
}
