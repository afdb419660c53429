@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// The completion workflow: request when eligible, the sponsor's checklist and decision, a final record.
@Suite("Completion")
struct CompletionTests {
    /// Gives the apprentice every requirement through the same services and aggregates the pages use
    /// (hours are stored as one approved entry per skill set, which the week form would never allow).
    static func makeEligible(_ app: Application, _ s: TrainingRecordTests.Setup) async throws {
        let apprentice = s.apprentice
        let id = try apprentice.requireID()
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: app.db)
        let day = apprentice.startDate
        for set in standards.skillSets {
            let entry = HourEntry()
            entry.$apprentice.id = id
            entry.entryDate = day
            entry.skillSetCode = set.code
            entry.minutes = set.hours * 60
            entry.description = "Fixture: the skill set's planned hours"
            entry.skillCodes = ""
            entry.clientKey = "fixture-\(set.code)"
            entry.status = .approved
            entry.$createdBy.id = s.world.apprenticeA.id!
            entry.createdAt = Date()
            try await entry.create(on: app.db)
            try await ProgressAggregates.addApproved(minutes: entry.minutes, entries: 1, apprenticeID: id, skillSetCode: set.code, entryDate: day, on: app.db)
        }
        for code in standards.allSkillCodes {
            _ = try await Assessments.assess(apprentice, AssessmentInput(skillCode: code, rating: "proficient", observed: "Performed \(code) unaided"),
                                             by: s.world.mentorA, settings: app.settings, on: app.db)
        }
        let today = ProgramCalendar.dayString(ProgramCalendar.today())
        for course in standards.courses {
            _ = try await InstructionAndCredentials.recordInstruction(apprentice, InstructionInput(courseCode: course.code, status: "completed", provider: "HCC",
                                                                                                     date: today, hours: String(course.hours)), by: s.world.mentorA, on: app.db)
        }
        for credential in standards.credentials {
            _ = try await InstructionAndCredentials.recordCredential(apprentice, CredentialInput(credentialCode: credential.code, status: "passed", date: today),
                                                                     by: s.world.mentorA, settings: app.settings, on: app.db)
        }
    }

    @Test("an ineligible apprentice cannot be put forward; the page lists what is missing")
    func ineligible() async throws {
        try await withTestApp { app in
            let s = try await TrainingRecordTests.setup(app)
            let employer = Browser(app)
            _ = try await employer.signIn(s.world.adminA.email)
            let page = try await employer.get("/apprentices/\(s.apprentice.id!)/completion").text
            #expect(page.contains("Not yet"))
            #expect(!page.contains("Request completion"))
            let refused = try await employer.post("/apprentices/\(s.apprentice.id!)/completion", ["note": "please"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("more on-the-job hours"))
            #expect(try await CompletionRequest.query(on: app.db).count() == 0)
        }
    }

    @Test("eligible: the employer requests, the sponsor returns it with a reason, then approves; the record is final")
    func requestReturnApprove() async throws {
        try await withTestApp { app in
            let s = try await TrainingRecordTests.setup(app, monthsAgo: 23)
            try await Self.makeEligible(app, s)
            let id = s.apprentice.id!
            let progress = try await ProgressReader.progress(of: s.apprentice, on: app.db)
            #expect(progress.eligibility.isEligible, "\(progress.eligibility.missing)")

            let employer = Browser(app)
            _ = try await employer.signIn(s.world.adminA.email)
            #expect(try await employer.get("/apprentices/\(id)/completion").text.contains("Request completion"))
            #expect(try await employer.post("/apprentices/\(id)/completion", ["note": "All done"]).status == .seeOther)
            #expect(try await employer.post("/apprentices/\(id)/completion", ["note": "Again"]).status == .unprocessableEntity)
            let request = try #require(try await CompletionRequest.query(on: app.db).first())
            #expect(request.checklist.contains("Skills signed off: 196 of 196"))
            // Only the sponsor decides.
            #expect(try await employer.post("/apprentices/\(id)/completion/\(request.id!)/decision", ["decision": "approve"]).status == .forbidden)
            let otherEmployer = Browser(app)
            _ = try await otherEmployer.signIn(s.world.adminB.email)
            #expect(try await otherEmployer.get("/apprentices/\(id)/completion").status == .notFound)
            #expect(try await otherEmployer.post("/apprentices/\(id)/completion", [:]).status == .notFound)

            let sponsor = Browser(app)
            _ = try await sponsor.signIn(s.world.admin.email)
            let noReason = try await sponsor.post("/apprentices/\(id)/completion/\(request.id!)/decision", ["decision": "return"])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.text.contains("Say what is missing"))
            #expect(try await sponsor.post("/apprentices/\(id)/completion/\(request.id!)/decision", ["decision": "return", "note": "Attach the CBET letter"]).status == .seeOther)
            #expect(try await CompletionRequest.find(request.id, on: app.db)?.status == .returned)
            #expect(try await employer.get("/apprentices/\(id)/completion").text.contains("Attach the CBET letter"))

            #expect(try await employer.post("/apprentices/\(id)/completion", ["note": "Letter attached"]).status == .seeOther)
            let second = try #require(try await CompletionRequest.query(on: app.db).filter(\.$status == .requested).first())
            #expect(try await sponsor.post("/apprentices/\(id)/completion/\(second.id!)/decision", ["decision": "approve", "confirmed": "yes"]).status == .seeOther)
            let completed = try #require(try await Apprentice.find(id, on: app.db))
            #expect(completed.status == .completed)
            #expect(try await ApprenticeEvent.query(on: app.db).filter(\.$kind == "completed").count() == 1)
            // Completion is final: the record refuses changes.
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            let week = try await apprentice.post("/apprentices/\(id)/hours/week", TrainingRecordTests.week(s, key: "after"))
            #expect(week.status == .unprocessableEntity)
            #expect(week.text.contains("record is final"))
            let mentor = Browser(app)
            _ = try await mentor.signIn(s.world.mentorA.email)
            #expect(try await mentor.post("/apprentices/\(id)/skills/OS-01/assessments", ["rating": "developing", "observed": "x"]).status == .unprocessableEntity)
            #expect(try await mentor.post("/apprentices/\(id)/credentials", ["credentialCode": "cabt", "status": "failed", "date": "2026-01-01"]).status == .unprocessableEntity)
            #expect(try await employer.post("/apprentices/\(id)/completion", [:]).status == .unprocessableEntity)
            #expect(try await employer.post("/apprentices/\(id)/status", ["action": "suspend", "note": "x"]).status == .unprocessableEntity)
        }
    }
}
