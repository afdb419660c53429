@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Related-instruction providers: the sponsor adds them and enrols apprentices; their staff see only those students
/// and record their courses, which the apprentice's progress then counts.
@Suite("Instruction providers")
struct ProviderTests {
    struct Setup {
        let training: TrainingRecordTests.Setup
        let providerA: Provider, providerB: Provider
        let staffA: User, staffB: User
        var w: Make.World { training.world }
        var apprentice: Apprentice { training.apprentice }
    }

    static func provider(_ app: Application, _ name: String, by admin: User) async throws -> Provider {
        try await Providers.create(ProviderInput(name: name, kind: "college", contactName: "Pat Registrar", contactEmail: "registrar@\(name.prefix(4).lowercased()).edu"),
                                   by: admin, on: app.db)
    }

    static func staff(_ app: Application, of provider: Provider, name: String) async throws -> User {
        let user = try await Make.user(app, role: .instructionProvider, name: name)
        user.providerID = provider.id
        try await user.update(on: app.db)
        return user
    }

    /// Apprentice A (employer A) enrolled with provider B only, for Medical Terminology; provider A has no student.
    static func setup(_ app: Application) async throws -> Setup {
        let training = try await TrainingRecordTests.setup(app, monthsAgo: 7)
        let a = try await provider(app, "Alamo Colleges", by: training.world.admin)
        let b = try await provider(app, "Bayou Technical Institute", by: training.world.admin)
        _ = try await Providers.enrol(training.apprentice, with: b, EnrolmentInput(courseCode: "RTI-MT", date: ProgramCalendar.dayString(ProgramCalendar.today())),
                                      by: training.world.admin, on: app.db)
        return Setup(training: training, providerA: a, providerB: b,
                     staffA: try await staff(app, of: a, name: "Ada Alamo-Staff"), staffB: try await staff(app, of: b, name: "Bo Bayou-Staff"))
    }

    @Test("done when: the sponsor adds a provider, invites its staff and enrols an apprentice; the staff member records a completion that progress counts")
    func providerRecordsCompletionThatProgressCounts() async throws {
        try await withTestApp { app in
            let training = try await TrainingRecordTests.setup(app, monthsAgo: 7)
            let w = training.world, id = try #require(training.apprentice.id)
            let today = ProgramCalendar.dayString(ProgramCalendar.today())
            let sponsor = Browser(app)
            _ = try await sponsor.signIn(w.admin.email)
            #expect(try await sponsor.get("/providers").text.contains("No providers yet"))
            let created = try await sponsor.post("/providers", ["name": "San Jacinto College", "kind": "college", "contactName": "Lee Registrar", "contactEmail": "Registrar@SJCD.edu"])
            #expect(created.status == .seeOther)
            let provider = try #require(try await Provider.query(on: app.db).first())
            #expect(provider.contactEmail == "registrar@sjcd.edu")
            #expect(try await sponsor.get("/providers").text.contains("San Jacinto College"))

            // Invited through the invitation flow; the account belongs to the provider and to no employer.
            #expect(try await sponsor.post("/providers/\(provider.id!)/invitations", ["fullName": "Robin Instructor", "email": "robin@sjcd.edu"]).status == .seeOther)
            let token = try await Inbox.token(app, to: "robin@sjcd.edu", path: "invitations")
            let invitee = Browser(app)
            #expect(try await invitee.post("/invitations/\(token)", ["fullName": "Robin Instructor", "password": "instructor-pass-1", "passwordConfirm": "instructor-pass-1"]).status == .seeOther)
            let staff = try #require(try await User.query(on: app.db).filter(\.$email == "robin@sjcd.edu").first())
            #expect(staff.role == .instructionProvider)
            #expect(staff.providerID == provider.id)
            #expect(staff.employerID == nil)

            #expect(try await sponsor.post("/providers/\(provider.id!)/enrolments", ["apprenticeEmail": w.apprenticeA.email, "courseCode": "RTI-MT", "date": today]).status == .seeOther)
            #expect(try await ProviderEnrolment.query(on: app.db).filter(\.$apprentice.$id == id).count() == 1)

            let robin = Browser(app)
            _ = try await robin.signIn(staff.email, password: "instructor-pass-1")
            #expect(try await robin.get("/dashboard").location == "/provider")
            let dashboard = try await robin.get("/provider").text
            #expect(dashboard.contains(training.apprentice.fullName))
            #expect(dashboard.contains("is enrolled in Medical Terminology"))
            #expect(dashboard.contains("/provider/students/\(id)"))

            #expect(try await robin.post("/provider/students/\(id)/attendance", ["courseCode": "RTI-MT", "hours": "20", "date": today]).status == .seeOther)
            let page = try await robin.get("/provider/students/\(id)").text
            #expect(page.contains("20 h attended through \(today)"))
            #expect(!page.contains(w.employerA.name))
            // Attendance is progress within the course; only the completion counts toward the program.
            #expect(try await ProgressReader.progress(of: training.apprentice, on: app.db).instruction.totalHours == 0)

            let done = try await robin.post("/provider/students/\(id)/instruction", ["courseCode": "RTI-MT", "status": "completed", "date": today, "hours": "45", "grade": "A", "provider": "Somewhere else"])
            #expect(done.status == .seeOther, "\(done.text)")
            let record = try #require(try await InstructionRecord.query(on: app.db).filter(\.$status == .completed).first())
            #expect(record.provider == "San Jacinto College")
            #expect(record.$recordedBy.id == staff.id)
            #expect(record.grade == "A")

            // The stored summary moved in the same transaction: it is current and counts the 45 hours.
            let stored = try #require(try await ProgressSummaries.document(for: id, on: app.db))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: Any])
            #expect((json["instruction"] as? [String: Any])?["totalHours"] as? Int == 45)
            let api = try await APIClient(app: app, token: try await Make.token(app, for: w.adminA)).send(.GET, "/api/v1/apprentices/\(id)/progress")
            #expect(((try api.json()["instruction"] as? [String: Any])?["totalHours"] as? Int) == 45)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)

            let actions = Set(try await AuditEntry.query(on: app.db).all().map(\.action))
            for action in [AuditAction.providerAdded, .providerEnrolment, .providerAttendance, .providerInstruction] { #expect(actions.contains(action.rawValue), "\(action)") }
            // The course is closed: no more attendance, and the dashboard says so.
            #expect(try await robin.post("/provider/students/\(id)/attendance", ["courseCode": "RTI-MT", "hours": "2", "date": today]).status == .unprocessableEntity)
            #expect(try await robin.get("/provider").text.contains("completed or withdrawn"))
        }
    }

    @Test("bad input re-renders each form with the input and a message by the field")
    func validation() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let id = try #require(s.apprentice.id)
            let sponsor = Browser(app)
            _ = try await sponsor.signIn(s.w.admin.email)
            let noName = try await sponsor.post("/providers", ["name": "", "kind": "school", "contactName": "Kim", "contactEmail": "kim@example.org", "contactPhone": "12"])
            #expect(noName.status == .unprocessableEntity)
            #expect(noName.text.contains("name-error") && noName.text.contains("kind-error") && noName.text.contains("contactPhone-error"))
            #expect(noName.text.contains("kim@example.org"))
            let duplicate = try await sponsor.post("/providers", ["name": "Alamo Colleges", "kind": "college", "contactName": "Kim", "contactEmail": "kim@example.org"])
            #expect(duplicate.text.contains("already exists"))
            let unknown = try await sponsor.post("/providers/\(s.providerA.id!)/enrolments", ["apprenticeEmail": "nobody@example.org", "courseCode": "RTI-MT", "date": "2026-01-05"])
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.text.contains("No apprentice is registered with this e-mail"))
            #expect(unknown.text.contains("nobody@example.org"))
            let twice = try await sponsor.post("/providers/\(s.providerB.id!)/enrolments", ["apprenticeEmail": s.w.apprenticeA.email, "courseCode": "RTI-MT", "date": "2026-01-05"])
            #expect(twice.text.contains("already enrolled"))

            let staff = Browser(app)
            _ = try await staff.signIn(s.staffB.email)
            let badHours = try await staff.post("/provider/students/\(id)/attendance", ["courseCode": "RTI-MT", "hours": "lots", "date": "2999-01-01"])
            #expect(badHours.status == .unprocessableEntity)
            #expect(badHours.text.contains("attendance-hours-error") && badHours.text.contains("attendance-date-error"))
            #expect(badHours.text.contains("value=\"lots\""))
            let noHours = try await staff.post("/provider/students/\(id)/instruction", ["courseCode": "RTI-MT", "status": "completed", "date": ProgramCalendar.dayString(ProgramCalendar.today())])
            #expect(noHours.status == .unprocessableEntity)
            #expect(noHours.text.contains("complete-hours-error"))
            let otherCourse = try await staff.post("/provider/students/\(id)/instruction", ["courseCode": "RTI-AP", "status": "completed", "date": ProgramCalendar.dayString(ProgramCalendar.today()), "hours": "90"])
            #expect(otherCourse.text.contains("takes with Bayou Technical Institute"))
            #expect(try await InstructionRecord.query(on: app.db).filter(\.$status == .completed).count() == 0)

            // Withdrawal, then enrolling again: each a new record; the history keeps all three.
            #expect(try await staff.post("/provider/students/\(id)/instruction", ["courseCode": "RTI-MT", "status": "withdrawn", "date": ProgramCalendar.dayString(ProgramCalendar.today())]).status == .seeOther)
            #expect(try await staff.post("/provider/students/\(id)/enrolments", ["courseCode": "RTI-MT", "date": ProgramCalendar.dayString(ProgramCalendar.today())]).status == .seeOther)
            #expect(try await staff.post("/provider/students/\(id)/enrolments", ["courseCode": "RTI-AP", "date": ProgramCalendar.dayString(ProgramCalendar.today())]).status == .seeOther)
            #expect(try await InstructionRecord.query(on: app.db).filter(\.$courseCode == "RTI-MT").count() == 3)
            #expect(try await ProviderEnrolment.query(on: app.db).filter(\.$apprentice.$id == id).count() == 2)
        }
    }

    @Test("a provider's staff reach only their own students' instruction; nobody else records on the provider's pages")
    func authorization() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let id = try #require(s.apprentice.id)
            let today = ProgramCalendar.dayString(ProgramCalendar.today())
            let completion = ["courseCode": "RTI-MT", "status": "completed", "date": today, "hours": "45"]

            // Provider A's staff: B's student is not theirs, on the pages and through the API.
            let other = Browser(app)
            _ = try await other.signIn(s.staffA.email)
            #expect(!(try await other.get("/provider").text.contains(s.apprentice.fullName)))
            #expect(try await other.get("/provider/students/\(id)").status == .notFound)
            #expect(try await other.post("/provider/students/\(id)/attendance", ["courseCode": "RTI-MT", "hours": "3", "date": today]).status == .notFound)
            #expect(try await other.post("/provider/students/\(id)/instruction", completion).status == .notFound)
            #expect(try await other.post("/provider/students/\(id)/enrolments", ["courseCode": "RTI-AP", "date": today]).status == .notFound)
            let otherAPI = APIClient(app: app, token: try await Make.token(app, for: s.staffA))
            let apiGet = try await otherAPI.send(.GET, "/api/v1/apprentices/\(id)/instruction")
            #expect(apiGet.status == .notFound)
            #expect(apiGet.isProblem)
            #expect(try await otherAPI.send(.POST, "/api/v1/apprentices/\(id)/instruction", json: completion).status == .notFound)

            // Provider B's staff: their student's instruction, and nothing else of the record or the program.
            let own = Browser(app)
            _ = try await own.signIn(s.staffB.email)
            #expect(try await own.get("/provider/students/\(id)").status == .ok)
            for path in ["/apprentices", "/apprentices/\(id)", "/apprentices/\(id)/hours", "/apprentices/\(id)/wages", "/apprentices/\(id)/skills",
                         "/apprentices/\(id)/instruction", "/apprentices/\(id)/credentials", "/apprentices/\(id)/reviews", "/apprentices/\(id)/completion",
                         "/apprentices/\(id)/registration", "/apprentices/\(id)/record.csv", "/apprentices/export.csv", "/approvals", "/hours/months",
                         "/reports/outcomes", "/reports/rapids", "/eeo", "/employers", "/employers/\(s.w.employerA.id!)", "/people", "/applicants",
                         "/inquiries", "/providers", "/providers/\(s.providerB.id!)", "/audit", "/outbox"] {
                #expect(try await own.get(path).status == .forbidden, "instruction provider GET \(path)")
            }
            #expect(try await own.get("/account").status == .ok)
            #expect(try await own.get("/programs").status == .ok)
            let ownAPI = APIClient(app: app, token: try await Make.token(app, for: s.staffB))
            for path in ["/api/v1/apprentices", "/api/v1/apprentices/\(id)", "/api/v1/apprentices/\(id)/progress", "/api/v1/apprentices/\(id)/hours",
                         "/api/v1/apprentices/\(id)/wages", "/api/v1/people", "/api/v1/employers", "/api/v1/cohort", "/api/v1/approvals"] {
                let response = try await ownAPI.send(.GET, path)
                #expect(response.status == .forbidden, "instruction provider API GET \(path)")
                #expect(response.isProblem, "\(path)")
            }
            #expect(try await ownAPI.send(.GET, "/api/v1/me").status == .ok)
            let instruction = try await ownAPI.send(.GET, "/api/v1/apprentices/\(id)/instruction")
            #expect(instruction.status == .ok)
            let bad = try await ownAPI.send(.POST, "/api/v1/apprentices/\(id)/instruction", json: ["courseCode": "RTI-MT", "status": "completed", "date": today])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.isProblem)
            let recorded = try await ownAPI.send(.POST, "/api/v1/apprentices/\(id)/instruction", json: completion)
            #expect(recorded.status == .created, "\(recorded.text)")
            #expect(try recorded.json()["provider"] as? String == "Bayou Technical Institute")

            // Employer staff, mentors and apprentices never reach the provider's pages; only the sponsor the providers'.
            for user in [s.w.adminA, s.w.mentorA, s.w.apprenticeA, s.w.adminB, s.w.admin] {
                let browser = Browser(app)
                _ = try await browser.signIn(user.email)
                #expect(try await browser.get("/provider").status == .forbidden, "\(user.role) GET /provider")
                #expect(try await browser.post("/provider/students/\(id)/instruction", completion).status == .forbidden, "\(user.role) POST completion")
                #expect(try await browser.post("/provider/students/\(id)/attendance", ["courseCode": "RTI-MT", "hours": "3", "date": today]).status == .forbidden, "\(user.role)")
                if user.role != .programAdmin {
                    #expect(try await browser.get("/providers").status == .forbidden, "\(user.role) GET /providers")
                    #expect(try await browser.post("/providers", ["name": "X", "kind": "college", "contactName": "X", "contactEmail": "x@example.org"]).status == .forbidden)
                }
            }
            // An apprentice cannot record a completion anywhere, not even of their own course through the API.
            let selfAPI = APIClient(app: app, token: try await Make.token(app, for: s.w.apprenticeA))
            #expect(try await selfAPI.send(.POST, "/api/v1/apprentices/\(id)/instruction", json: ["courseCode": "RTI-AP", "status": "completed", "date": today, "hours": "90", "provider": "Me"]).status == .unprocessableEntity)
            // An employer administrator cannot invite a provider's staff.
            let inviteAPI = APIClient(app: app, token: try await Make.token(app, for: s.w.adminA))
            let invite = try await inviteAPI.send(.POST, "/api/v1/invitations", json: ["email": "x@example.org", "fullName": "X", "role": "instruction_provider", "providerID": s.providerA.id!.uuidString])
            #expect(invite.status == .unprocessableEntity)
            #expect(invite.isProblem)
            #expect(try await InstructionRecord.query(on: app.db).filter(\.$status == .completed).count() == 1)
        }
    }

    @Test("demo data: the college's staff member signs in to two students enrolled with the college, and no one else")
    func demoSeed() async throws {
        try await withTestApp { app in
            #expect(try await DemoData.seed(app: app, password: "demo-password-2026", standardsPath: packageRoot + "standards/aami-bmet.json"))
            let account = try #require(DemoData.accounts.last)
            #expect(account.role == .instructionProvider)
            let staff = Browser(app)
            #expect(try await staff.signIn(account.email, password: "demo-password-2026").status == .seeOther)
            let page = try await staff.get("/provider").text
            #expect(page.contains(DemoData.accounts[3].name) && page.contains(DemoData.accounts[7].name))
            #expect(!page.contains(DemoData.accounts[4].name))
            #expect(try await ProviderAttendance.query(on: app.db).count() == 1)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)
        }
    }
}
