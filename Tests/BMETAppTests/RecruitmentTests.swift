@testable import BMETApp
import BMETDomain
import Fluent
import Testing
import Vapor
import VaporTesting

/// The public interest form, the partner inquiry and the sponsor's pipelines.
@Suite("Recruitment")
struct RecruitmentTests {
    static func application(_ overrides: [String: String] = [:]) -> [String: String] {
        var fields = [
            "fullName": "Jamie Rivera", "email": "jamie.rivera@example.org", "phone": "(713) 555-0142",
            "city": "Houston", "state": "TX", "zip": "77030", "birthDate": "2001-04-12", "education": "high_school",
            "workAuthorized": "yes", "veteranStatus": "veteran", "heardFrom": "Workforce agency",
            "statement": "I fixed radios in the Army and want to keep hospital equipment running.", "consent": "yes",
        ]
        for (key, value) in overrides { fields[key] = value }
        return fields
    }

    @Test("a prospective apprentice applies, sees the confirmation, and gets a confirmation e-mail")
    func apply() async throws {
        try await withTestApp { app in
            let browser = Browser(app)
            #expect(try await browser.get("/apply").status == .ok)
            let response = try await browser.post("/apply", Self.application())
            #expect(response.status == .seeOther)
            #expect(response.location == "/apply/thanks")
            #expect(try await browser.get("/apply/thanks").text.contains("we received your application"))
            let applicant = try #require(try await Applicant.query(on: app.db).first())
            #expect(applicant.status == .new)
            #expect(applicant.veteranStatus == .veteran)
            #expect(try await ApplicantEvent.query(on: app.db).count() == 1)
            let mail = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(mail.recipient == "jamie.rivera@example.org")
        }
    }

    @Test("applying again with the same e-mail updates the open application")
    func reapply() async throws {
        try await withTestApp { app in
            let browser = Browser(app)
            _ = try await browser.post("/apply", Self.application())
            _ = try await browser.post("/apply", Self.application(["email": "Jamie.Rivera@Example.org", "city": "Pasadena", "zip": "77506"]))
            let applicants = try await Applicant.query(on: app.db).all()
            #expect(applicants.count == 1)
            #expect(applicants.first?.city == "Pasadena")
            #expect(applicants.first?.submissions == 2)
            #expect(try await ApplicantEvent.query(on: app.db).count() == 2)
            // The answers before the update stay in the history.
            let update = try #require(try await ApplicantEvent.query(on: app.db).filter(\.$previousAnswers != nil).first())
            #expect(update.previousAnswers?.contains("\"city\":\"Houston\"") == true)
            let admin = Browser(app)
            _ = try await admin.signIn(try await Make.user(app, role: .programAdmin).email)
            let page = try await admin.get("/applicants/\(applicants.first!.id!)").text
            #expect(page.contains("Answers before this update"))
            #expect(page.contains("city: Houston"))
        }
    }

    @Test("each bad answer gets a message by its field, the typed values stay, and nothing is saved", arguments: [
        (["fullName": ""], "fullName-error"),
        (["email": "not-an-email"], "email-error"),
        (["phone": "12"], "phone-error"),
        (["birthDate": "2001-02-30"], "Enter a real date"),
        (["birthDate": "2015-01-01"], "at least 16"),
        (["birthDate": "2009-12-31"], "parent"),
        (["zip": "10001"], "zip-error"),
        (["education": "no_diploma"], "expectedDiplomaDate-error"),
        (["education": "no_diploma", "expectedDiplomaDate": "2020-06-01"], "This date has passed"),
        (["workAuthorized": "no"], "eligible to work"),
        (["consent": ""], "consent-error"),
        (["heardFrom": "Carrier pigeon"], "heardFrom-error"),
    ])
    func badInput(overrides: [String: String], expected: String) async throws {
        try await withTestApp { app in
            var fields = Self.application(overrides)
            if overrides["consent"] == "" { fields["consent"] = nil }
            let response = try await Browser(app).post("/apply", fields)
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains(expected), "\(overrides)")
            #expect(response.text.contains("value=\"(713) 555-0142\"") || overrides["phone"] != nil)
            #expect(try await Applicant.query(on: app.db).count() == 0)
            #expect(try await OutboxMessage.query(on: app.db).count() == 0)
        }
    }

    @Test("a 16-year-old still in high school applies with the date they expect the diploma; registration waits for it")
    func youthApplicant() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let version = try await StandardsLibrary.load(try Make.standardsFile, loadedBy: nil, on: app.db)
            let calendar = ProgramCalendar.calendar
            let today = ProgramCalendar.today()
            let birth = ProgramCalendar.dayString(calendar.date(byAdding: .day, value: -30, to: calendar.date(byAdding: .year, value: -16, to: today)!)!)
            let expected = ProgramCalendar.dayString(calendar.date(byAdding: .month, value: 5, to: today)!)
            let youth = ["birthDate": birth, "education": "no_diploma", "guardianConsent": "yes"]
            let browser = Browser(app)
            #expect(try await browser.get("/apply").text.contains("You can apply from age 16 while still in school"))
            let missing = try await browser.post("/apply", Self.application(youth))
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.text.contains("Still in school? Enter the date you expect your diploma or GED"))
            #expect(try await Applicant.query(on: app.db).count() == 0)
            let response = try await browser.post("/apply", Self.application(youth.merging(["expectedDiplomaDate": expected]) { $1 }))
            #expect(response.status == .seeOther)
            let applicant = try #require(try await Applicant.query(on: app.db).first())
            #expect(applicant.education == .noDiploma)
            #expect(applicant.expectedDiplomaDate == expected)

            let admin = Browser(app)
            _ = try await admin.signIn(w.admin.email)
            let page = try await admin.get("/applicants/\(applicant.id!)").text
            #expect(page.contains("diploma or GED expected \(expected)"))
            #expect(page.contains("Eligible to work in the U.S."))

            for (next, by) in [(ApplicantStatus.screening, w.admin), (.referred, w.admin), (.interviewing, w.adminA), (.hired, w.adminA)] {
                try await Applications.move(applicant, to: next, note: nil, referTo: next == .referred ? w.employerA.id : nil, by: by,
                                            settings: app.settings, cipher: app.dataCipher, on: app.db)
            }
            let setup = RegistrationTests.Setup(world: w, version: version, applicant: applicant)
            let start = ProgramCalendar.dayString(calendar.date(byAdding: .month, value: 6, to: today)!)
            let employer = Browser(app)
            _ = try await employer.signIn(w.adminA.email)
            let student = ["education": "no_diploma", "birthDate": birth, "guardianName": "Pat Rivera", "startDate": start]
            let refused = try await employer.post("/apprentices", RegistrationTests.form(setup, student))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("The standards need a high-school diploma or GED by the start date (this applicant expected theirs on \(expected))"))
            #expect(try await Apprentice.query(on: app.db).count() == 0)
            let registered = try await employer.post("/apprentices", RegistrationTests.form(setup, student.merging(["education": "high_school"]) { $1 }))
            #expect(registered.status == .seeOther)
            #expect(try await Apprentice.query(on: app.db).count() == 1)
        }
    }

    @Test("a filled honeypot is answered like a success but stores nothing")
    func honeypot() async throws {
        try await withTestApp { app in
            let response = try await Browser(app).post("/apply", Self.application(["website": "http://spam.example"]))
            #expect(response.status == .seeOther)
            #expect(try await Applicant.query(on: app.db).count() == 0)
        }
    }

    @Test("more than five submissions an hour for one e-mail address are refused")
    func rateLimit() async throws {
        try await withTestApp { app in
            let browser = Browser(app)
            for _ in 0..<5 {
                #expect(try await browser.post("/apply", Self.application()).status == .seeOther)
            }
            let sixth = try await browser.post("/apply", Self.application(["statement": "Sixth time"]))
            #expect(sixth.status == .tooManyRequests)
            #expect(sixth.text.contains("try again later"))
            let applicant = try #require(try await Applicant.query(on: app.db).first())
            #expect(applicant.submissions == 5)
            #expect(applicant.statement != "Sixth time")
        }
    }

    @Test("a résumé must really be a PDF under 2 MB; a good one is stored and only staff can download it")
    func resume() async throws {
        try await withTestApp { app in
            let browser = Browser(app)
            let fake = try await browser.uploadForm("/apply", fields: Self.application(), file: ("resume", "cv.pdf", Data("MZ not a pdf".utf8)))
            #expect(fake.status == .unprocessableEntity)
            #expect(fake.text.contains("must be a PDF"))
            let big = Data("%PDF-1.4\n".utf8) + Data(repeating: 65, count: 2 * 1024 * 1024) + Data("\n%%EOF\n".utf8)
            let tooLarge = try await browser.uploadForm("/apply", fields: Self.application(), file: ("resume", "cv.pdf", big))
            #expect(tooLarge.status == .unprocessableEntity)
            #expect(tooLarge.text.contains("larger than 2 MB"))
            #expect(try await Applicant.query(on: app.db).count() == 0)

            let pdf = Make.pdf
            let ok = try await browser.uploadForm("/apply", fields: Self.application(), file: ("resume", "cv.pdf", pdf))
            #expect(ok.status == .seeOther)
            let applicant = try #require(try await Applicant.query(on: app.db).first())
            #expect(applicant.resumeFile != nil)

            let w = try await Make.world(app)
            let admin = Browser(app)
            _ = try await admin.signIn(w.admin.email)
            let download = try await admin.get("/applicants/\(applicant.id!)/resume")
            #expect(download.status == .ok)
            #expect(Data(buffer: download.body) == pdf)
            // Employer staff see only applicants referred to them.
            let employer = Browser(app)
            _ = try await employer.signIn(w.adminA.email)
            #expect(try await employer.get("/applicants/\(applicant.id!)/resume").status == .notFound)
        }
    }

    @Test("a non-U.S. partner inquiry is refused with the U.S.-only message; a U.S. one is stored")
    func partnerInquiry() async throws {
        try await withTestApp { app in
            let browser = Browser(app)
            var fields = ["organization": "Toronto General", "employerType": "hospital", "contactName": "Ann Lee", "contactEmail": "ann@tgh.example",
                          "country": "CA", "addressLine1": "200 Elizabeth St", "city": "Toronto", "state": "", "zip": "M5G 2C4", "apprenticesWanted": "2"]
            let refused = try await browser.post("/partner", fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("U.S.-based employers only"))
            #expect(refused.text.contains("value=\"Toronto General\""))
            #expect(try await EmployerInquiry.query(on: app.db).count() == 0)

            fields.merge(["organization": "Lone Star Imaging", "country": "US", "addressLine1": "100 Congress Ave", "city": "Austin", "state": "TX", "zip": "78701"]) { $1 }
            #expect(try await browser.post("/partner", fields).status == .seeOther)
            #expect(try await EmployerInquiry.query(on: app.db).count() == 1)
        }
    }

    @Test("activating an inquiry creates the employer and invites its administrator; steps cannot be skipped")
    func activateInquiry() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            _ = try await Browser(app).post("/partner", ["organization": "Lone Star Imaging", "employerType": "htm_service_company", "contactName": "Ann Lee",
                "contactEmail": "ann@lonestar.example", "country": "US", "addressLine1": "100 Congress Ave", "city": "Austin", "state": "TX", "zip": "78701", "apprenticesWanted": "3"])
            let inquiry = try #require(try await EmployerInquiry.query(on: app.db).first())
            let browser = Browser(app)
            _ = try await browser.signIn(admin.email)
            let skip = try await browser.post("/inquiries/\(inquiry.id!)/status", ["status": "active"])
            #expect(skip.status == .unprocessableEntity)
            #expect(try await Employer.query(on: app.db).count() == 0)
            for status in ["agreement_sent", "agreement_signed", "active"] {
                #expect(try await browser.post("/inquiries/\(inquiry.id!)/status", ["status": status, "note": "step"]).status == .seeOther)
            }
            let employer = try #require(try await Employer.query(on: app.db).first())
            #expect(employer.name == "Lone Star Imaging")
            let invitation = try #require(try await Invitation.query(on: app.db).first())
            #expect(invitation.email == "ann@lonestar.example")
            #expect(invitation.role == .employerAdmin)
            #expect(invitation.$employer.id == employer.id)
            #expect(try await InquiryEvent.query(on: app.db).count() == 4)
        }
    }

    @Test("the sponsor screens and refers; the employer records interview and hire; other employers see nothing")
    func pipeline() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            _ = try await Browser(app).post("/apply", Self.application())
            let applicant = try #require(try await Applicant.query(on: app.db).first())
            let admin = Browser(app)
            _ = try await admin.signIn(w.admin.email)
            let list = try await admin.get("/applicants?status=new&state=TX&q=rivera")
            #expect(list.text.contains("Jamie Rivera"))
            #expect(try await admin.get("/applicants?q=nobody-like-this").text.contains("No applicants match"))
            #expect(try await admin.get("/applicants?from=2026-05-01&to=2026-04-01").status == .unprocessableEntity)

            let jump = try await admin.post("/applicants/\(applicant.id!)/status", ["status": "hired"])
            #expect(jump.status == .unprocessableEntity)
            #expect(try await admin.post("/applicants/\(applicant.id!)/status", ["status": "screening", "note": "Phone screen booked"]).status == .seeOther)
            let noEmployer = try await admin.post("/applicants/\(applicant.id!)/status", ["status": "referred"])
            #expect(noEmployer.status == .unprocessableEntity)
            let detail = try await admin.get("/applicants/\(applicant.id!)").text
            // Partners in the applicant's state are offered first.
            let texas = try #require(detail.range(of: "(same state)"))
            let ohio = try #require(detail.range(of: w.employerB.name))
            #expect(texas.lowerBound < ohio.lowerBound)
            #expect(try await admin.post("/applicants/\(applicant.id!)/status", ["status": "referred", "employerID": w.employerA.id!.uuidString]).status == .seeOther)

            let other = Browser(app)
            _ = try await other.signIn(w.adminB.email)
            #expect(try await other.get("/applicants/\(applicant.id!)").status == .notFound)
            #expect(!(try await other.get("/applicants").text.contains("Jamie Rivera")))
            #expect(try await other.post("/applicants/\(applicant.id!)/status", ["status": "interviewing"]).status == .notFound)

            let employer = Browser(app)
            _ = try await employer.signIn(w.adminA.email)
            #expect(try await employer.get("/applicants").text.contains("Jamie Rivera"))
            #expect(try await employer.post("/applicants/\(applicant.id!)/status", ["status": "interviewing", "note": "Interview Tuesday"]).status == .seeOther)
            #expect(try await employer.post("/applicants/\(applicant.id!)/status", ["status": "hired"]).status == .seeOther)

            let events = try await ApplicantEvent.query(on: app.db).filter(\.$applicant.$id == applicant.id!).sort(\.$createdAt).all()
            #expect(events.map(\.toStatus) == [.new, .screening, .referred, .interviewing, .hired])
            #expect(events[1].note == "Phone screen booked")
            #expect(events[3].$actor.id == w.adminA.id)
            // Mentors and apprentices have no pipeline.
            let mentor = Browser(app)
            _ = try await mentor.signIn(w.mentorA.email)
            #expect(try await mentor.get("/applicants").status == .forbidden)
        }
    }

    @Test("an applicant handed back and referred on: the next employer does not read the first one's notes")
    func notesStayWithTheirEmployer() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            _ = try await Browser(app).post("/apply", Self.application())
            let applicant = try #require(try await Applicant.query(on: app.db).first())
            try await Applications.move(applicant, to: .screening, note: "Sponsor screen", referTo: nil, by: w.admin, settings: app.settings, cipher: app.dataCipher, on: app.db)
            try await Applications.move(applicant, to: .referred, note: nil, referTo: w.employerA.id, by: w.admin, settings: app.settings, cipher: app.dataCipher, on: app.db)
            try await Applications.move(applicant, to: .interviewing, note: "Private interview note from A", referTo: nil, by: w.adminA, settings: app.settings, cipher: app.dataCipher, on: app.db)
            try await Applications.move(applicant, to: .screening, note: "Not a fit for our night shift", referTo: nil, by: w.adminA, settings: app.settings, cipher: app.dataCipher, on: app.db)
            try await Applications.move(applicant, to: .referred, note: nil, referTo: w.employerB.id, by: w.admin, settings: app.settings, cipher: app.dataCipher, on: app.db)

            let b = Browser(app)
            _ = try await b.signIn(w.adminB.email)
            let page = try await b.get("/applicants/\(applicant.id!)").text
            #expect(page.contains("Sponsor screen"))
            #expect(!page.contains("Private interview note from A"))
            #expect(!page.contains("night shift"))
            let admin = Browser(app)
            _ = try await admin.signIn(w.admin.email)
            let adminPage = try await admin.get("/applicants/\(applicant.id!)").text
            #expect(adminPage.contains("night shift"))
            #expect(adminPage.contains("Private interview note from A"))
            // The hand-back is recorded against the employer that handed back.
            let handBack = try #require(try await ApplicantEvent.query(on: app.db).filter(\.$note == "Not a fit for our night shift").first())
            #expect(handBack.$employer.id == w.employerA.id)
        }
    }
}

/// Consent on the interest form is an explicit yes, nothing else.
@Suite("Consent means yes")
struct ConsentTests {
    @Test("consent=no, false, 0 or empty is refused by the field; only the checkbox's yes is recorded", arguments: ["no", "false", "0", ""])
    func refusedValues(_ value: String) async throws {
        try await withTestApp { app in
            let response = try await Browser(app).post("/apply", RecruitmentTests.application(["consent": value]))
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("consent-error"))
            #expect(response.text.contains("value=\"Jamie Rivera\""))
            #expect(try await Applicant.query(on: app.db).count() == 0)
        }
    }

    @Test("a 17-year-old's guardian consent of \"no\" is not consent")
    func guardianNo() async throws {
        try await withTestApp { app in
            let birth = Calendar(identifier: .gregorian).date(byAdding: .year, value: -17, to: Date())!
            let day = ProgramCalendar.dayString(birth)
            let response = try await Browser(app).post("/apply", RecruitmentTests.application(["birthDate": day, "guardianConsent": "no"]))
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("guardianConsent-error"))
            let yes = try await Browser(app).post("/apply", RecruitmentTests.application(["birthDate": day, "guardianConsent": "yes"]))
            #expect(yes.status == .seeOther)
            #expect(try await Applicant.query(on: app.db).first()?.guardianConsent == true)
        }
    }
}
