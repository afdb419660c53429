@testable import BMETApp
import BMETDomain
import Fluent
import Testing
import Vapor
import VaporTesting

/// Registration, the agreement, signatures and the apprentice's status lifecycle.
@Suite("Registration and lifecycle")
struct RegistrationTests {
    struct Setup {
        let world: Make.World
        let version: ProgramVersion
        let applicant: Applicant
    }

    /// A world with the standards loaded and a hired applicant referred to employer A.
    static func setup(_ app: Application) async throws -> Setup {
        let w = try await Make.world(app)
        let version = try await StandardsLibrary.load(try Make.standardsFile, loadedBy: nil, on: app.db)
        _ = try await Browser(app).post("/apply", RecruitmentTests.application())
        let applicant = try #require(try await Applicant.query(on: app.db).first())
        try await Applications.move(applicant, to: .screening, note: nil, referTo: nil, by: w.admin, settings: app.settings, cipher: app.dataCipher, on: app.db)
        try await Applications.move(applicant, to: .referred, note: nil, referTo: w.employerA.id, by: w.admin, settings: app.settings, cipher: app.dataCipher, on: app.db)
        try await Applications.move(applicant, to: .interviewing, note: nil, referTo: nil, by: w.adminA, settings: app.settings, cipher: app.dataCipher, on: app.db)
        try await Applications.move(applicant, to: .hired, note: nil, referTo: nil, by: w.adminA, settings: app.settings, cipher: app.dataCipher, on: app.db)
        return Setup(world: w, version: version, applicant: applicant)
    }

    static func form(_ s: Setup, _ overrides: [String: String] = [:]) -> [String: String] {
        var fields = [
            "applicantID": s.applicant.id!.uuidString, "fullName": "Jamie Rivera", "email": "jamie.rivera@example.org",
            "programVersionID": s.version.id!.uuidString, "mentorID": s.world.mentorA.id!.uuidString, "startDate": "2026-12-01",
            "addressLine1": "12 Elm St", "city": "Houston", "state": "TX", "zip": "77030", "birthDate": "2001-04-12",
            "sex": "female", "ethnicity": "hispanic_or_latino", "races[]": "white", "veteranStatus": "veteran", "education": "high_school",
            "employmentStatus": "new_employee", "careerConnection": "none", "disability": "undisclosed", "ssn": "123-45-6789",
            "wageRates[1]": "18.00", "wageRates[2]": "19.00", "wageRates[3]": "20.50", "wageRates[4]": "21.25", "wageRates[5]": "23.00",
            "creditHours[OS]": "40", "creditSkills[OS]": "OS-01, OS-02", "creditReasons[OS]": "Completed hospital safety orientation as a transporter",
            "priorWage": "16.25", "priorWageUnit": "H", "studentStatus": "NA", "rtiProvider": "Houston Community College",
        ]
        for (key, value) in overrides { fields[key] = value.isEmpty ? nil : value }
        return fields
    }

    @Test("the employer registers a hired applicant: dates from the standards, wages, credit, encrypted SSN, invitation")
    func register() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let employer = Browser(app)
            _ = try await employer.signIn(s.world.adminA.email)
            let form = try await employer.get("/apprentices/new?applicant=\(s.applicant.id!)")
            #expect(form.status == .ok)
            #expect(form.text.contains("value=\"Jamie Rivera\""))
            let response = try await employer.post("/apprentices", Self.form(s))
            #expect(response.status == .seeOther, "\(response.text.prefix(0))")
            let apprentice = try #require(try await Apprentice.query(on: app.db).first())
            #expect(apprentice.status == .pendingAgreement)
            #expect(apprentice.probationEnd == "2027-05-31")
            #expect(apprentice.termEnd == "2028-11-30")
            #expect(apprentice.$employer.id == s.world.employerA.id)
            #expect(try await ApprenticeWageStep.query(on: app.db).count() == 5)
            let credit = try #require(try await PriorLearningCredit.query(on: app.db).first())
            #expect(credit.hours == 40)
            #expect(credit.skillCodes == "OS-01,OS-02")
            let data = try #require(try await RegistrationData.query(on: app.db).first())
            #expect(data.ssnLast4 == "6789")
            #expect(data.ssnCiphertext?.contains("123456789") == false)
            #expect(try app.dataCipher.open(data.ssnCiphertext ?? "") == "123456789")
            let page = try await employer.get(response.location ?? "").text
            #expect(page.contains("***-**-6789"))
            #expect(!page.contains("123-45-6789"))
            #expect(page.contains("$20.50"))
            let invitation = try #require(try await Invitation.query(on: app.db).filter(\.$email == "jamie.rivera@example.org").first())
            #expect(invitation.apprenticeID == apprentice.id)
        }
    }

    @Test("bad registrations are refused with a message by each field and nothing is saved", arguments: [
        (["startDate": "2026-13-01"], "startDate"),
        (["wageRates[3]": "17.00"], "cannot pay less"),
        (["wageRates[2]": ""], "hourly rate for step 2"),
        (["ssn": "000-12-3456"], "9-digit Social Security number as"),
        (["creditHours[OS]": "500"], "between 0 and 200"),
        (["creditSkills[OS]": "PM-01"], "Not skills of OS"),
        (["creditReasons[OS]": ""], "Say why"),
        (["birthDate": "2010-01-01"], "guardian"),
        (["races[]": ""], "at least one"),
        (["mentorID": "00000000-0000-0000-0000-000000000000"], "Choose the mentor"),
        (["mentorID": "-"], "Choose the mentor"),
    ])
    func badRegistration(overrides: [String: String], expected: String) async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let employer = Browser(app)
            _ = try await employer.signIn(s.world.adminA.email)
            let response = try await employer.post("/apprentices", Self.form(s, overrides))
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains(expected), "\(overrides)")
            #expect(!response.text.contains("123-45-6789")) // the SSN is never echoed back
            #expect(try await Apprentice.query(on: app.db).count() == 0)
            #expect(try await RegistrationData.query(on: app.db).count() == 0)
        }
    }

    @Test("the mentor ratio of the standards is enforced")
    func mentorRatio() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let admin = Browser(app)
            _ = try await admin.signIn(s.world.admin.email)
            // The shipped standards allow 2 apprentices per mentor.
            for index in 1...2 {
                let trainee = Self.form(s, ["applicantID": "", "fullName": "Trainee \(index)", "email": "trainee\(index)@example.org", "employerID": s.world.employerA.id!.uuidString, "employmentStatus": "existing_employee"])
                #expect(try await admin.post("/apprentices", trainee).status == .seeOther)
            }
            let third = try await admin.post("/apprentices", Self.form(s, ["employerID": s.world.employerA.id!.uuidString]))
            #expect(third.status == .unprocessableEntity)
            #expect(third.text.contains("already mentors 2 apprentices"))
            #expect(try await Apprentice.query(on: app.db).count() == 2)
        }
    }

    @Test("all three sign the agreement; the apprentice then sees program, mentor and start date")
    func agreementAndAccount() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let employer = Browser(app)
            _ = try await employer.signIn(s.world.adminA.email)
            _ = try await employer.post("/apprentices", Self.form(s))
            let apprentice = try #require(try await Apprentice.query(on: app.db).first())
            let agreementPath = "/apprentices/\(apprentice.id!)/agreement"

            // The apprentice creates their account from the invitation.
            let token = try await Inbox.token(app, to: "jamie.rivera@example.org", path: "invitations")
            let person = Browser(app)
            #expect(try await person.post("/invitations/\(token)", ["fullName": "Jamie Rivera", "password": "apprentice-pass-1", "passwordConfirm": "apprentice-pass-1"]).status == .seeOther)

            let wrongName = try await employer.post(agreementPath + "/sign", ["typedName": "Someone Else"])
            #expect(wrongName.status == .unprocessableEntity)
            #expect(wrongName.text.contains("Type your full name exactly"))
            #expect(try await employer.post(agreementPath + "/sign", ["typedName": s.world.adminA.fullName]).status == .seeOther)
            let twice = try await employer.post(agreementPath + "/sign", ["typedName": s.world.adminA.fullName])
            #expect(twice.status == .unprocessableEntity)
            #expect(twice.text.contains("already signed"))
            #expect(try await person.post(agreementPath + "/sign", ["typedName": "jamie  rivera"]).status == .seeOther)
            // The other employer cannot even see it.
            let other = Browser(app)
            _ = try await other.signIn(s.world.adminB.email)
            #expect(try await other.get(agreementPath).status == .notFound)
            #expect(try await other.post(agreementPath + "/sign", ["typedName": s.world.adminB.fullName]).status == .notFound)

            let sponsor = Browser(app)
            _ = try await sponsor.signIn(s.world.admin.email)
            #expect(try await sponsor.post(agreementPath + "/sign", ["typedName": s.world.admin.fullName]).status == .seeOther)

            let signed = try #require(try await Apprentice.find(apprentice.id, on: app.db))
            #expect(signed.status == .probation)
            #expect(try await AgreementSignature.query(on: app.db).count() == 3)
            let agreement = try await sponsor.get(agreementPath).text
            #expect(agreement.contains("signed “jamie  rivera”") || agreement.contains("signed “jamie rivera”"))
            // A milestone: the apprentice and the employer's administrators are told once, nobody at employer B.
            let milestones = try await NoticeDetector.milestones(now: Date(), on: app.db).filter { $0.dedupeKey.hasPrefix("milestone.agreement:") }
            #expect(milestones.contains { $0.kind == .milestone && $0.text.contains("signed by everyone") })
            #expect(milestones.contains { $0.kind == .apprenticeMilestone && $0.recipientID == s.world.adminA.id })
            #expect(!milestones.contains { $0.recipientID == s.world.adminB.id })

            let mine = try await person.get("/apprentices/mine")
            let record = try await person.get(mine.location ?? "").text
            #expect(record.contains("AAMI BMET Apprenticeship"))
            #expect(record.contains(s.world.mentorA.fullName))
            #expect(record.contains("2026-12-01"))
            #expect(record.contains("Probation"))
            // An apprentice sees only their own record.
            #expect(try await person.get("/apprentices").location == "/apprentices/mine")
        }
    }

    @Test("lifecycle: suspend and reinstate, cancel with reason, and no way back from cancelled")
    func lifecycle() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let employer = Browser(app)
            _ = try await employer.signIn(s.world.adminA.email)
            _ = try await employer.post("/apprentices", Self.form(s))
            let apprentice = try #require(try await Apprentice.query(on: app.db).first())
            try await ApprenticeRecords.transitionForTest(apprentice, to: .probation, on: app.db)
            let path = "/apprentices/\(apprentice.id!)/status"

            let noNote = try await employer.post(path, ["action": "suspend"])
            #expect(noNote.status == .unprocessableEntity)
            #expect(noNote.text.contains("Say why"))
            #expect(try await employer.post(path, ["action": "suspend", "note": "Medical leave"]).status == .seeOther)
            #expect(try await employer.post(path, ["action": "reinstate"]).status == .seeOther)
            #expect(try await Apprentice.find(apprentice.id, on: app.db)?.status == .probation)
            let mentor = Browser(app)
            _ = try await mentor.signIn(s.world.mentorA.email)
            #expect(try await mentor.post(path, ["action": "end_probation"]).status == .forbidden)

            // Selects left on their empty choice post "" (here the transfer fields of the same form).
            #expect(try await employer.post(path, ["action": "cancel", "reason": "voluntary_quit", "note": "Moved to another field", "toEmployerID": "", "toMentorID": ""]).status == .seeOther)
            let event = try #require(try await ApprenticeEvent.query(on: app.db).filter(\.$kind == "cancel").first())
            #expect(event.duringProbation)
            #expect(event.reason == .voluntaryQuit)
            #expect(event.$actor.id == s.world.adminA.id)

            let again = try await employer.post(path, ["action": "reinstate"])
            #expect(again.status == .unprocessableEntity)
            #expect(again.text.contains("cancelled"))
            let kinds = try await ApprenticeEvent.query(on: app.db).sort(\.$createdAt).all().map(\.kind)
            #expect(kinds == ["registered", "test", "suspend", "reinstate", "cancel"])
        }
    }

    @Test("a transfer moves the apprentice and their account to another employer, keeping the history")
    func transfer() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let sponsor = Browser(app)
            _ = try await sponsor.signIn(s.world.admin.email)
            _ = try await sponsor.post("/apprentices", Self.form(s, ["employerID": s.world.employerA.id!.uuidString]))
            let apprentice = try #require(try await Apprentice.query(on: app.db).first())
            try await ApprenticeRecords.transitionForTest(apprentice, to: .active, on: app.db)
            let path = "/apprentices/\(apprentice.id!)/status"
            let employerA = Browser(app)
            _ = try await employerA.signIn(s.world.adminA.email)
            #expect(try await employerA.post(path, ["action": "transfer", "toEmployerID": s.world.employerB.id!.uuidString, "toMentorID": s.world.mentorB.id!.uuidString]).status == .unprocessableEntity)
            let wrongMentor = try await sponsor.post(path, ["action": "transfer", "toEmployerID": s.world.employerB.id!.uuidString, "toMentorID": s.world.mentorA.id!.uuidString])
            #expect(wrongMentor.status == .unprocessableEntity)
            #expect(try await sponsor.post(path, ["action": "transfer", "toEmployerID": s.world.employerB.id!.uuidString, "toMentorID": s.world.mentorB.id!.uuidString, "note": "Relocated"]).status == .seeOther)
            let moved = try #require(try await Apprentice.find(apprentice.id, on: app.db))
            #expect(moved.$employer.id == s.world.employerB.id)
            #expect(moved.status == .active)
            #expect(try await PriorLearningCredit.query(on: app.db).filter(\.$apprentice.$id == apprentice.id!).count() == 1)
            // Employer A no longer sees the record; employer B does.
            #expect(try await employerA.get("/apprentices/\(apprentice.id!)").status == .notFound)
            let employerB = Browser(app)
            _ = try await employerB.signIn(s.world.adminB.email)
            #expect(try await employerB.get("/apprentices/\(apprentice.id!)").status == .ok)
        }
    }
}

@Suite("Registration after a cancellation")
struct ReRegistrationTests {
    @Test("a cancelled apprentice can be registered again; the old record stays")
    func registerAgain() async throws {
        try await withTestApp { app in
            let s = try await RegistrationTests.setup(app)
            let employer = Browser(app)
            _ = try await employer.signIn(s.world.adminA.email)
            #expect(try await employer.post("/apprentices", RegistrationTests.form(s)).status == .seeOther)
            let first = try #require(try await Apprentice.query(on: app.db).first())
            #expect(try await employer.post("/apprentices/\(first.id!)/status", ["action": "cancel", "reason": "relocated", "note": "Moved"]).status == .seeOther)
            #expect(try await employer.post("/apprentices", RegistrationTests.form(s, ["startDate": "2027-01-04"])).status == .seeOther)
            let records = try await Apprentice.query(on: app.db).sort(\.$registeredAt).all()
            #expect(records.map(\.status) == [.cancelled, .pendingAgreement])
        }
    }
}

extension ApprenticeRecords {
    /// Puts an apprentice in a status directly, for tests of later steps (recorded as a "test" event).
    static func transitionForTest(_ apprentice: Apprentice, to status: ApprenticeStatus, on db: any Database) async throws {
        let previous = apprentice.status
        apprentice.status = status
        try await apprentice.update(on: db)
        try await ApprenticeEvent(apprenticeID: apprentice.id!, kind: "test", from: previous, to: status, actorID: nil).create(on: db)
    }
}
