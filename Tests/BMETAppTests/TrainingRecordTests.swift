@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Hours with approvals and corrections, assessments, instruction, credentials, raises, reviews, progress and aggregates.
@Suite("Training record")
struct TrainingRecordTests {
    struct Setup {
        let world: Make.World
        let apprentice: Apprentice
        /// Monday of last week: five working days that are surely in the past and after the start.
        let lastMonday: Date
    }

    static func day(_ date: Date, plus days: Int = 0) -> String {
        ProgramCalendar.dayString(ProgramCalendar.calendar.date(byAdding: .day, value: days, to: date)!)
    }

    /// Apprentice A registered at employer A under mentor A, started `monthsAgo` months ago, agreement signed.
    static func setup(_ app: Application, monthsAgo: Int = 4, status: ApprenticeStatus = .active) async throws -> Setup {
        let s = try await RegistrationTests.setup(app)
        let start = ProgramCalendar.calendar.date(byAdding: .month, value: -monthsAgo, to: ProgramCalendar.today())!
        let employer = Browser(app)
        _ = try await employer.signIn(s.world.adminA.email)
        let response = try await employer.post("/apprentices", RegistrationTests.form(s, ["email": s.world.apprenticeA.email, "startDate": ProgramCalendar.dayString(start),
                                                                                          "creditHours[OS]": "40", "creditSkills[OS]": "OS-01"]))
        #expect(response.status == .seeOther, "\(response.text)")
        let apprentice = try #require(try await Apprentice.query(on: app.db).first())
        #expect(apprentice.$user.id == s.world.apprenticeA.id)
        try await ApprenticeRecords.transitionForTest(apprentice, to: status, on: app.db)
        let lastMonday = ProgramCalendar.calendar.date(byAdding: .day, value: -7, to: ProgressEngine.weekStart(of: ProgramCalendar.today()))!
        return Setup(world: s.world, apprentice: apprentice, lastMonday: lastMonday)
    }

    /// The week form of last week with `hours` per working day.
    static func week(_ s: Setup, key: String = "week-key", hours: [String] = ["8", "8", "7.5", "8", "6"], set: String = "OS") -> [String: String] {
        var fields = ["weekStart": day(s.lastMonday), "clientKey": key]
        for (index, value) in hours.enumerated() {
            fields["rows[\(index)][date]"] = day(s.lastMonday, plus: index)
            fields["rows[\(index)][skillSetCode]"] = set
            fields["rows[\(index)][hours]"] = value
            fields["rows[\(index)][description]"] = "Electrical safety checks on day \(index + 1)"
        }
        return fields
    }

    static func logWeek(_ app: Application, _ s: Setup, hours: [String] = ["8", "8", "7.5", "8", "6"]) async throws -> [HourEntry] {
        let apprentice = Browser(app)
        _ = try await apprentice.signIn(s.world.apprenticeA.email)
        let response = try await apprentice.post("/apprentices/\(s.apprentice.id!)/hours/week", week(s, hours: hours))
        #expect(response.status == .seeOther, "\(response.text)")
        return try await HourEntry.query(on: app.db).sort(\.$entryDate).all()
    }

    @Test("an apprentice logs a week in one form; sending it again stores nothing twice")
    func logWeek() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            let form = try await apprentice.get("/apprentices/\(s.apprentice.id!)/hours/week?start=\(Self.day(s.lastMonday))")
            #expect(form.status == .ok)
            #expect(form.text.contains("Submit the week for approval"))
            let first = try await apprentice.post("/apprentices/\(s.apprentice.id!)/hours/week", Self.week(s))
            #expect(first.status == .seeOther)
            let again = try await apprentice.post("/apprentices/\(s.apprentice.id!)/hours/week", Self.week(s))
            #expect(again.status == .seeOther)
            let entries = try await HourEntry.query(on: app.db).all()
            #expect(entries.count == 5)
            #expect(entries.allSatisfy { $0.status == .pending })
            #expect(entries.reduce(0) { $0 + $1.minutes } == 2250) // 37.5 hours
            let list = try await apprentice.get(first.headers.first(name: .location) ?? "")
            #expect(list.text.contains("5 entries saved"))
            #expect(list.text.contains("37.5"))
        }
    }

    @Test("bad hours are refused by their row and field, and nothing of the week is saved", arguments: [
        ("rows[0][hours]", "25", "rows.0.hours", "A day has at most 24 hours"),
        ("rows[1][hours]", "7.3", "rows.1.hours", "quarter hours"),
        ("rows[2][skillSetCode]", "NOPE", "rows.2.skillSetCode", "Choose a skill set"),
        ("rows[3][description]", "", "rows.3.description", "Say what you did"),
        ("rows[4][skills]", "PM-01", "rows.4.skills", "is not a skill of"),
        ("rows[0][date]", "2999-01-01", "rows.0.date", "future"),
        ("rows[1][date]", "2001-01-01", "rows.1.date", "starts on"),
    ])
    func badWeek(field: String, value: String, key: String, message: String) async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            var form = Self.week(s)
            form[field] = value
            let response = try await apprentice.post("/apprentices/\(s.apprentice.id!)/hours/week", form)
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains(message), "\(key)")
            #expect(response.text.contains("aria-invalid=\"true\""))
            #expect(response.text.contains("Electrical safety checks on day 1")) // the typed rows come back
            #expect(try await HourEntry.query(on: app.db).count() == 0)
        }
    }

    @Test("no more than 24 hours on one day across entries")
    func dayLimitAcrossEntries() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            _ = try await Self.logWeek(app, s)
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            // Monday already has 8 hours; 17 more would make 25.
            let response = try await apprentice.post("/apprentices/\(s.apprentice.id!)/hours/week", Self.week(s, key: "second", hours: ["17"]))
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("would have 25 hours"))
            #expect(try await HourEntry.query(on: app.db).count() == 5)
            let ok = try await apprentice.post("/apprentices/\(s.apprentice.id!)/hours/week", Self.week(s, key: "third", hours: ["16"]))
            #expect(ok.status == .seeOther)
        }
    }

    @Test("the mentor rejects one entry with a comment and approves the rest in bulk after a confirmation; the dashboard shows the totals")
    func approvalQueue() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let entries = try await Self.logWeek(app, s)
            let mentor = Browser(app)
            _ = try await mentor.signIn(s.world.mentorA.email)
            let queue = try await mentor.get("/approvals")
            #expect(queue.text.contains("5 entries wait for you"))
            let noComment = try await mentor.post("/approvals/decide", pairs: [("entries[]", entries[0].id!.uuidString), ("decision", "reject")])
            #expect(noComment.status == .unprocessableEntity)
            #expect(noComment.text.contains("Say why"))
            // From the entry's own page, a refusal comes back to that page, by the comment box.
            let fromEntry = try await mentor.post("/approvals/decide", pairs: [("entries[]", entries[0].id!.uuidString), ("decision", "reject"), ("confirmed", "1"), ("returnTo", "/hours/\(entries[0].id!)")])
            #expect(fromEntry.headers.first(name: .location) == "/hours/\(entries[0].id!)?error=comment")
            let refusedPage = try await mentor.get(fromEntry.headers.first(name: .location) ?? "")
            #expect(refusedPage.status == .unprocessableEntity)
            #expect(refusedPage.text.contains("comment-error"))
            // In the queue, the ticked boxes stay ticked after an error.
            let kept = try await mentor.post("/approvals/decide", pairs: [("entries[]", entries[1].id!.uuidString), ("decision", "reject")])
            #expect(kept.text.components(separatedBy: " checked>").count == 2)
            let reject = try await mentor.post("/approvals/decide", pairs: [("entries[]", entries[0].id!.uuidString), ("decision", "reject"), ("comment", "This was a Saturday.")])
            #expect(reject.status == .seeOther)
            let rest = entries.dropFirst().map { ("entries[]", $0.id!.uuidString) }
            let confirm = try await mentor.post("/approvals/decide", pairs: rest + [("decision", "approve")])
            #expect(confirm.status == .ok)
            #expect(confirm.text.contains("Approve 4 entries?"))
            #expect(try await HourEntry.query(on: app.db).filter(\.$status == .approved).count() == 0) // not yet
            let done = try await mentor.post("/approvals/decide", pairs: rest + [("decision", "approve"), ("confirmed", "1")])
            #expect(done.status == .seeOther)
            #expect(try await HourEntry.query(on: app.db).filter(\.$status == .approved).count() == 4)
            let rejected = try #require(try await HourEntry.find(entries[0].id, on: app.db))
            #expect(rejected.status == .rejected)
            let decision = try #require(try await HourDecision.query(on: app.db).filter(\.$entry.$id == entries[0].id!).first())
            #expect(decision.comment == "This was a Saturday.")
            #expect(decision.$actor.id == s.world.mentorA.id)
            let total = try #require(try await SkillSetTotal.query(on: app.db).filter(\.$skillSetCode == "OS").first())
            #expect(total.approvedMinutes == 1770) // 8 + 7.5 + 8 + 6 hours

            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            let dashboard = try await apprentice.get("/dashboard").text
            #expect(dashboard.contains("69.5")) // 29.5 approved + 40 credited
            #expect(dashboard.contains("Projected completion"))
            #expect(dashboard.contains("1 hour entry was rejected"))
            let entryPage = try await apprentice.get("/hours/\(entries[0].id!)").text
            #expect(entryPage.contains("This was a Saturday."))
        }
    }

    @Test("who may not decide: the apprentice, the employer admin, a mentor of another employer")
    func deciding() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let entries = try await Self.logWeek(app, s)
            let id = entries[0].id!.uuidString
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            #expect(try await apprentice.post("/approvals/decide", pairs: [("entries[]", id), ("decision", "approve"), ("confirmed", "1")]).status == .forbidden)
            let admin = Browser(app)
            _ = try await admin.signIn(s.world.adminA.email)
            #expect(try await admin.post("/approvals/decide", pairs: [("entries[]", id), ("decision", "approve"), ("confirmed", "1")]).status == .forbidden)
            let otherMentor = Browser(app)
            _ = try await otherMentor.signIn(s.world.mentorB.email)
            #expect(try await otherMentor.post("/approvals/decide", pairs: [("entries[]", id), ("decision", "approve"), ("confirmed", "1")]).status == .notFound)
            #expect(try await otherMentor.get("/hours/\(id)").status == .notFound)
            #expect(try await otherMentor.get("/apprentices/\(s.apprentice.id!)/hours").status == .notFound)
            #expect(!(try await otherMentor.get("/approvals").text.contains(s.apprentice.fullName)))
            // Nor may anyone but the apprentice log their hours.
            let mentor = Browser(app)
            _ = try await mentor.signIn(s.world.mentorA.email)
            #expect(try await mentor.post("/apprentices/\(s.apprentice.id!)/hours/week", Self.week(s, key: "m")).status == .forbidden)
            #expect(try await HourEntry.query(on: app.db).filter(\.$status == .pending).count() == 5)
        }
    }

    @Test("two mentors approving the same entries at once leave each approved once, and the totals match the records")
    func concurrentApprovals() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let entries = try await Self.logWeek(app, s)
            let second = try await Make.user(app, role: .mentor, employer: s.world.employerA, name: "Second Mentor")
            let ids = entries.map { $0.id! }
            async let one = HourLog.decide(ids, .approve, comment: nil, by: s.world.mentorA, on: app.db)
            async let two = HourLog.decide(ids.reversed(), .approve, comment: nil, by: second, on: app.db)
            let (a, b) = try await (one, two)
            #expect(a.decided.count + b.decided.count == 5)
            #expect(a.skipped.count + b.skipped.count == 5)
            for id in ids {
                #expect(try await HourDecision.query(on: app.db).filter(\.$entry.$id == id).filter(\.$action == .approve).count() == 1)
            }
            let total = try await SkillSetTotal.query(on: app.db).all().reduce(0) { $0 + $1.approvedMinutes }
            #expect(total == entries.reduce(0) { $0 + $1.minutes })
            let report = try await AggregateVerification.run(repair: false, on: app.db)
            #expect(report.drifts.isEmpty, "\(report.drifts)")
        }
    }

    @Test("approved hours are locked: a change is a correction, the original stays; undo works until the month is closed")
    func correctionsAndUndo() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let entries = try await Self.logWeek(app, s)
            _ = try await HourLog.decide(entries.map { $0.id! }, .approve, comment: nil, by: s.world.mentorA, on: app.db)
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            let original = entries[1]
            let edit = try await apprentice.post("/hours/\(original.id!)/edit", ["date": original.entryDate, "skillSetCode": "OS", "hours": "4", "description": "x"])
            #expect(edit.status == .unprocessableEntity)
            #expect(edit.text.contains("locked"))
            let correct = try await apprentice.post("/hours/\(original.id!)/correct", ["date": original.entryDate, "skillSetCode": "OS", "hours": "6", "description": "Only six hours: left early"])
            #expect(correct.status == .seeOther)
            let correction = try #require(try await HourEntry.query(on: app.db).filter(\.$corrects.$id == original.id!).first())
            #expect(correction.status == .pending)
            _ = try await HourLog.decide([correction.id!], .approve, comment: nil, by: s.world.mentorA, on: app.db)
            let reread = try #require(try await HourEntry.find(original.id, on: app.db))
            #expect(reread.status == .corrected)
            #expect(reread.minutes == 8 * 60) // the original is kept as it was
            let total = try await SkillSetTotal.query(on: app.db).first()?.approvedMinutes
            #expect(total == 2130) // 8 + 6 (corrected) + 7.5 + 8 + 6 hours

            // Undo: back in the queue and out of the totals.
            let undone = try await HourLog.decide([entries[4].id!], .undo, comment: nil, by: s.world.mentorA, on: app.db)
            #expect(undone.decided.count == 1)
            #expect(try await SkillSetTotal.query(on: app.db).first()?.approvedMinutes == 1770)
            _ = try await HourLog.decide([entries[4].id!], .approve, comment: nil, by: s.world.mentorA, on: app.db)
            // Once the employer closes the month, decisions in it are final.
            let admin = Browser(app)
            _ = try await admin.signIn(s.world.adminA.email)
            let month = String(entries[4].entryDate.prefix(7))
            #expect(try await admin.post("/hours/months", ["month": month]).status == .ok)
            let refused = try await HourLog.decide([entries[4].id!], .undo, comment: nil, by: s.world.mentorA, on: app.db)
            #expect(refused.decided.isEmpty)
            #expect(refused.skipped.first?.reason.contains("closed") == true)
            #expect(try await HourDecision.query(on: app.db).count() == 5 + 1 + 1 + 1 + 1) // approvals, correction approval, corrected, undo, re-approval
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)
        }
    }

    @Test("assessments are appended: three skills, one twice, both shown; only the employer's mentors assess")
    func assessments() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let id = s.apprentice.id!
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            #expect(try await apprentice.post("/apprentices/\(id)/skills/OS-02/request", ["note": "Did three this week"]).status == .seeOther)
            #expect(try await apprentice.post("/apprentices/\(id)/skills/OS-02/assessments", ["rating": "proficient", "observed": "me"]).status == .forbidden)

            let mentor = Browser(app)
            _ = try await mentor.signIn(s.world.mentorA.email)
            #expect(try await mentor.get("/dashboard").text.contains("asked you to assess a skill"))
            let missing = try await mentor.post("/apprentices/\(id)/skills/OS-02/assessments", ["rating": "", "observed": ""])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.text.contains("Choose a rating"))
            #expect(missing.text.contains("Describe what you observed"))
            for (skill, rating) in [("OS-02", "developing"), ("OS-03", "proficient"), ("OS-04", "proficient"), ("OS-02", "proficient")] {
                let response = try await mentor.post("/apprentices/\(id)/skills/\(skill)/assessments", ["rating": rating, "observed": "Watched \(skill) rated \(rating)"])
                #expect(response.status == .seeOther)
            }
            let evidence = try await mentor.uploadForm("/apprentices/\(id)/skills/OS-05/assessments", fields: ["rating": "developing", "observed": "Checklist attached"],
                                                       file: ("evidence", "checklist.pdf", Make.pdf))
            #expect(evidence.status == .seeOther)
            let badFile = try await mentor.uploadForm("/apprentices/\(id)/skills/OS-05/assessments", fields: ["rating": "developing", "observed": "x"],
                                                      file: ("evidence", "virus.exe", Data("MZ....".utf8)))
            #expect(badFile.status == .unprocessableEntity)
            #expect(badFile.text.contains("PDF, JPEG or PNG"))
            #expect(try await SkillAssessment.query(on: app.db).count() == 5)
            let page = try await mentor.get("/apprentices/\(id)/skills/OS-02").text
            #expect(page.contains("Watched OS-02 rated developing"))
            #expect(page.contains("Watched OS-02 rated proficient"))
            let state = try #require(try await SkillState.query(on: app.db).filter(\.$skillCode == "OS-02").first())
            #expect(state.ratingCode == "proficient" && state.assessmentCount == 2)
            #expect(try await AssessmentRequest.query(on: app.db).first()?.$answeredBy.id != nil)
            let progress = try await ProgressReader.progress(of: s.apprentice, on: app.db)
            #expect(progress.skillsSignedOff == 4) // OS-01 credited, OS-02/03/04 proficient
            // The evidence is served to people who see the record, and to nobody else.
            let stored = try #require(try await SkillAssessment.query(on: app.db).filter(\.$evidenceFile != nil).first()?.evidenceFile)
            #expect(try await apprentice.get("/evidence/\(stored)").status == .ok)
            let other = Browser(app)
            _ = try await other.signIn(s.world.mentorB.email)
            #expect(try await other.get("/evidence/\(stored)").status == .notFound)
            #expect(try await other.post("/apprentices/\(id)/skills/OS-06/assessments", ["rating": "proficient", "observed": "x"]).status == .notFound)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)
        }
    }

    @Test("instruction and credentials: the apprentice plans, staff record results; a passed credential and months trigger raises the employer records")
    func instructionCredentialsAndRaises() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app, monthsAgo: 7)
            let id = s.apprentice.id!
            let today = ProgramCalendar.dayString(ProgramCalendar.today())
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            #expect(try await apprentice.post("/apprentices/\(id)/instruction", ["courseCode": "RTI-MT", "status": "enrolled", "provider": "Houston CC", "date": today]).status == .seeOther)
            let selfPassed = try await apprentice.post("/apprentices/\(id)/credentials", ["credentialCode": "cabt", "status": "passed", "date": today])
            #expect(selfPassed.status == .unprocessableEntity)
            #expect(selfPassed.text.contains("records exam results"))
            #expect(try await apprentice.post("/apprentices/\(id)/credentials", ["credentialCode": "cabt", "status": "scheduled", "date": Self.day(ProgramCalendar.today(), plus: 20)]).status == .seeOther)
            #expect(try await apprentice.get("/dashboard").text.contains("Prepare for your") == false) // hours not logged this week come first

            let mentor = Browser(app)
            _ = try await mentor.signIn(s.world.mentorA.email)
            let noHours = try await mentor.post("/apprentices/\(id)/instruction", ["courseCode": "RTI-MT", "status": "completed", "provider": "Houston CC", "date": today])
            #expect(noHours.status == .unprocessableEntity)
            #expect(noHours.text.contains("contact hours"))
            #expect(try await mentor.post("/apprentices/\(id)/instruction", ["courseCode": "RTI-MT", "status": "completed", "provider": "Houston CC", "date": today, "hours": "45", "grade": "A"]).status == .seeOther)

            // Seven months in: step 2 (6 months) is due; step 3 needs CABT.
            var progress = try await ProgressReader.progress(of: s.apprentice, on: app.db)
            #expect(progress.wage.dueSteps.map(\.step) == [2])
            #expect(progress.instruction.totalHours == 45)
            let admin = Browser(app)
            _ = try await admin.signIn(s.world.adminA.email)
            #expect(try await admin.get("/dashboard").text.contains("A raise is due"))
            let low = try await admin.post("/apprentices/\(id)/wages", ["step": "2", "effectiveDate": today, "rate": "10.00"])
            #expect(low.status == .unprocessableEntity)
            #expect(low.text.contains("only goes up"))
            #expect(try await admin.post("/apprentices/\(id)/wages", ["step": "2", "effectiveDate": today, "rate": "19.00"]).status == .seeOther)
            let evidence = try await mentor.uploadForm("/apprentices/\(id)/credentials", fields: ["credentialCode": "cabt", "status": "passed", "date": today],
                                                       file: ("evidence", "cabt.pdf", Make.pdf))
            #expect(evidence.status == .seeOther)
            progress = try await ProgressReader.progress(of: s.apprentice, on: app.db)
            #expect(progress.credentials.first { $0.code == "cabt" }?.isPassed == true)
            #expect(progress.wage.dueSteps.map(\.step) == [3])
            #expect(try await admin.post("/apprentices/\(id)/wages", ["step": "3", "effectiveDate": today, "rate": "20.50"]).status == .seeOther)
            let raises = try await WageRaise.query(on: app.db).sort(\.$step).all()
            #expect(raises.map(\.step) == [1, 2, 3])
            #expect(raises.last?.hourlyRateCents == 2050)
            let wages = try await apprentice.get("/apprentices/\(id)/wages").text
            #expect(wages.contains("$20.50"))
            #expect(wages.contains("$19.00"))
            // Nobody else records raises.
            #expect(try await mentor.post("/apprentices/\(id)/wages", ["step": "4", "effectiveDate": today, "rate": "30"]).status == .forbidden)
            let otherAdmin = Browser(app)
            _ = try await otherAdmin.signIn(s.world.adminB.email)
            #expect(try await otherAdmin.post("/apprentices/\(id)/wages", ["step": "4", "effectiveDate": today, "rate": "30"]).status == .notFound)
            #expect(try await otherAdmin.get("/apprentices/\(id)/credentials").status == .notFound)
        }
    }

    @Test("a quarterly review: overdue when missing, written by the mentor, commented and signed by all three")
    func reviews() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app, monthsAgo: 4)
            let id = s.apprentice.id!
            let admin = Browser(app)
            _ = try await admin.signIn(s.world.adminA.email)
            #expect(try await admin.get("/apprentices/\(id)/reviews").text.contains("Overdue"))
            #expect(try await admin.get("/dashboard").text.contains("Review overdue"))
            let mentor = Browser(app)
            _ = try await mentor.signIn(s.world.mentorA.email)
            let empty = try await mentor.post("/apprentices/\(id)/reviews", ["mentorComments": "", "goals": ""])
            #expect(empty.status == .unprocessableEntity)
            #expect(try await mentor.post("/apprentices/\(id)/reviews", ["mentorComments": "Strong start on safety.", "goals": "PM on infusion pumps"]).status == .seeOther)
            let review = try #require(try await ProgressReview.query(on: app.db).first())
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            let early = try await apprentice.post("/apprentices/\(id)/reviews/\(review.id!)/sign")
            #expect(early.status == .unprocessableEntity)
            #expect(try await apprentice.post("/apprentices/\(id)/reviews/\(review.id!)/comment", ["apprenticeComments": "I want more PM work."]).status == .seeOther)
            for browser in [apprentice, mentor, admin] {
                #expect(try await browser.post("/apprentices/\(id)/reviews/\(review.id!)/sign").status == .seeOther)
            }
            #expect(try await mentor.post("/apprentices/\(id)/reviews/\(review.id!)/sign").status == .unprocessableEntity) // once
            let done = try #require(try await ProgressReview.find(review.id, on: app.db))
            #expect(done.completedAt != nil)
            #expect(try await apprentice.post("/apprentices/\(id)/reviews/\(review.id!)/comment", ["apprenticeComments": "changed"]).status == .unprocessableEntity)
            let other = Browser(app)
            _ = try await other.signIn(s.world.mentorB.email)
            #expect(try await other.post("/apprentices/\(id)/reviews/\(review.id!)/sign").status == .notFound)
        }
    }

    @Test("bmet verify aggregates finds a total altered by hand, and --repair rewrites it from the records")
    func verifyFindsDrift() async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            let entries = try await Self.logWeek(app, s)
            _ = try await HourLog.decide(entries.map { $0.id! }, .approve, comment: nil, by: s.world.mentorA, on: app.db)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)
            let total = try #require(try await SkillSetTotal.query(on: app.db).first())
            total.approvedMinutes += 60
            try await total.update(on: app.db)
            let found = try await AggregateVerification.run(repair: false, on: app.db)
            #expect(found.drifts.count == 1)
            #expect(found.drifts.first?.description.contains("skill set OS") == true)
            _ = try await AggregateVerification.run(repair: true, on: app.db)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)
            #expect(try await SkillSetTotal.query(on: app.db).first()?.approvedMinutes == entries.reduce(0) { $0 + $1.minutes })
        }
    }

    @Test("every training page opens for the roles that see the record and is hidden from the rest", arguments: ["", "/hours", "/skills", "/skills/OS-01", "/instruction", "/credentials", "/wages", "/reviews"])
    func pagesAndAccess(path: String) async throws {
        try await withTestApp { app in
            let s = try await Self.setup(app)
            for user in [s.world.admin, s.world.adminA, s.world.mentorA, s.world.apprenticeA] {
                let browser = Browser(app)
                _ = try await browser.signIn(user.email)
                let page = try await browser.get("/apprentices/\(s.apprentice.id!)\(path)")
                #expect(page.status == .ok, "\(user.role) \(path)")
                #expect(page.text.contains("aria-label=\"Training record\""))
            }
            for user in [s.world.adminB, s.world.mentorB, s.world.apprenticeB] {
                let browser = Browser(app)
                _ = try await browser.signIn(user.email)
                #expect(try await browser.get("/apprentices/\(s.apprentice.id!)\(path)").status == .notFound, "\(user.role) \(path)")
            }
            let anonymous = try await Browser(app).get("/apprentices/\(s.apprentice.id!)\(path)")
            #expect(anonymous.status == .seeOther)
        }
    }
}
