@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// The program as its people live it: statuses that move by themselves, milestone notices, declines with a reason.
@Suite("Life cycle")
struct LifeCycleTests {
    typealias T = TrainingRecordTests

    @Test("probation ends by itself after its last day, unless the employer suspended first; both sides are told once")
    func probationEndsOnItsDate() async throws {
        try await withTestApp { app in
            // Seven months in: the six-month probation ended last month.
            let s = try await T.setup(app, monthsAgo: 7)
            let id = try s.apprentice.requireID()
            try await ApprenticeRecords.transitionForTest(s.apprentice, to: .suspended, on: app.db)
            #expect(try await ApprenticeRecords.endDueProbations(on: app.db) == 0)
            #expect(try await Apprentice.find(id, on: app.db)?.status == .suspended)

            try await ApprenticeRecords.transitionForTest(s.apprentice, to: .probation, on: app.db)
            // One status for the page and RAPIDS: probation is "Active" there, and the page says so.
            let employer = Browser(app)
            _ = try await employer.signIn(s.world.adminA.email)
            #expect(try await employer.get("/apprentices/\(id)").text.contains("(RAPIDS: Active)"))

            let outcome = try await Scheduler.run(.probationEnd, period: ProgramCalendar.dayString(ProgramCalendar.today()), app: app, now: Date())
            #expect(outcome == .ran(count: 1))
            let apprentice = try #require(try await Apprentice.find(id, on: app.db))
            #expect(apprentice.status == .active)
            let event = try #require(try await ApprenticeEvent.query(on: app.db).filter(\.$apprentice.$id == id)
                .filter(\.$kind == ApprenticeRecords.Action.endProbation.rawValue).first())
            #expect(event.$actor.id == nil)
            #expect(event.note.contains("Probation ended on its date"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$summary ~~ "probation ended on its date").count() == 1)
            #expect(try await ApprenticeRecords.endDueProbations(on: app.db) == 0)
            #expect(!(try await employer.get("/apprentices/\(id)").text.contains("(RAPIDS:")))

            let notices = try await NoticeDetector.milestones(now: Date(), on: app.db)
            let key = "milestone.probation:\(event.id!)"
            #expect(notices.contains { $0.recipientID == s.world.apprenticeA.id && $0.kind == .milestone && $0.dedupeKey == key })
            #expect(notices.contains { $0.recipientID == s.world.adminA.id && $0.kind == .apprenticeMilestone && $0.dedupeKey == key })
            #expect(!notices.contains { $0.recipientID == s.world.adminB.id })
        }
    }

    @Test("an employer declines a referred candidate only with a reason, kept in the history")
    func employerDeclinesWithReason() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            _ = try await Browser(app).post("/apply", RecruitmentTests.application())
            let applicant = try #require(try await Applicant.query(on: app.db).first())
            try await Applications.move(applicant, to: .screening, note: nil, referTo: nil, by: w.admin, settings: app.settings, cipher: app.dataCipher, on: app.db)
            try await Applications.move(applicant, to: .referred, note: nil, referTo: w.employerA.id, by: w.admin, settings: app.settings, cipher: app.dataCipher, on: app.db)
            // The referral e-mail links to the candidate.
            let mail = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipient == w.adminA.email).first())
            #expect(mail.body.contains("/applicants/\(applicant.id!)"))

            let employer = Browser(app)
            _ = try await employer.signIn(w.adminA.email)
            let page = try await employer.get("/applicants/\(applicant.id!)").text
            #expect(page.contains("value=\"declined\""))
            let refused = try await employer.post("/applicants/\(applicant.id!)/status", ["status": "declined", "note": " "])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Say why you decline this candidate"))
            #expect(try await Applicant.find(applicant.id, on: app.db)?.status == .referred)
            let declined = try await employer.post("/applicants/\(applicant.id!)/status", ["status": "declined", "note": "Needs a night-shift position we do not have."])
            #expect(declined.status == .seeOther)
            #expect(try await Applicant.find(applicant.id, on: app.db)?.status == .declined)
            let event = try #require(try await ApplicantEvent.query(on: app.db).filter(\.$toStatus == .declined).first())
            #expect(event.note == "Needs a night-shift position we do not have.")
            #expect(event.$actor.id == w.adminA.id)
        }
    }

    @Test("the apprentice's dashboard tells the truth: waiting and rejected hours apart, an open assessment request, the raise dated when due")
    func honestDashboard() async throws {
        try await withTestApp { app in
            let s = try await T.setup(app, monthsAgo: 7)
            let id = try s.apprentice.requireID()
            let entries = try await T.logWeek(app, s, hours: ["8", "7.5", "8"])
            _ = try await HourLog.decide([entries[2].id!], .reject, comment: "Not a work day.", by: s.world.mentorA, on: app.db)
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            var dashboard = try await apprentice.get("/dashboard").text
            #expect(dashboard.contains("<strong>15.5 h</strong> waiting for the mentor's approval"))
            #expect(dashboard.contains("<strong>8 h</strong> rejected"))
            #expect(dashboard.contains("fix and resubmit"))

            // With the rejection fixed and hours logged, an open assessment request is the next step, not "ask again".
            _ = try await HourLog.decide([entries[2].id!], .undo, comment: "Undo", by: s.world.mentorA, on: app.db)
            _ = try await Assessments.request(s.apprentice, skillCode: "OS-05", note: "Did the fire drill.", by: s.world.apprenticeA, on: app.db)
            let record = try #require(try await Apprentice.find(id, on: app.db))
            let facts = try await DashboardController.apprenticeFacts(record, progress: try await ProgressReader.progress(of: record, on: app.db),
                                                                      today: ProgramCalendar.calendar.date(byAdding: .day, value: 2, to: s.lastMonday)!, on: app.db)
            #expect(facts.openAssessmentRequest?.skillCode == "OS-05")
            #expect(facts.recentRejections == 0)
            let words = DashboardController.words(for: ApprenticeNextStep.decide(facts), apprenticeID: id)
            #expect(words.text.contains("Your mentor has your request to assess OS-05"))
            dashboard = try await apprentice.get("/dashboard").text
            #expect(!dashboard.contains("Ask your mentor to assess a skill"))

            // Seven months in, step 2 (six months) is due: its effective date defaults to the six-month anniversary.
            let employer = Browser(app)
            _ = try await employer.signIn(s.world.adminA.email)
            let start = try #require(ProgramCalendar.day(s.apprentice.startDate))
            let due = ProgramCalendar.dayString(ProgramCalendar.calendar.date(byAdding: .month, value: 6, to: start)!)
            #expect(try await employer.get("/apprentices/\(id)/wages").text.contains("name=\"effectiveDate\" type=\"date\" value=\"\(due)\""))
        }
    }

    @Test("no 'no hours for two weeks' reminder while the apprentice's hours wait for the mentor")
    func noSilenceReminderWhileHoursWait() async throws {
        try await withTestApp { app in
            let s = try await T.setup(app, monthsAgo: 3)
            let entries = try await T.logWeek(app, s, hours: ["8", "8"])
            // Logged three weeks ago and still pending.
            for entry in entries {
                entry.entryDate = T.day(ProgramCalendar.today(), plus: -21)
                try await entry.update(on: app.db)
            }
            let apprentice = try #require(try await Apprentice.find(s.apprentice.id, on: app.db))
            #expect(try await NoticeDetector.quietSince([apprentice], today: ProgramCalendar.today(), on: app.db).isEmpty)
            _ = try await HourLog.decide(entries.map { $0.id! }, .approve, comment: nil, by: s.world.mentorA, on: app.db)
            #expect(try await NoticeDetector.quietSince([apprentice], today: ProgramCalendar.today(), on: app.db)[apprentice.id!] != nil)
        }
    }
}

/// One story for the hours: the figures every page shows come from the standards file.
@Suite("Hour figures")
struct HourFigureTests {
    typealias T = TrainingRecordTests

    @Test("the program page, the dashboard, progress, completion and the transcript show the standards' minimum and maximum apart")
    func figuresFromTheStandards() async throws {
        try await withTestApp { app in
            let s = try await T.setup(app)
            let standards = try StandardsDocument.decode(try Make.standardsFile)
            let minimum = standards.minimumOJLHours.grouped
            let maximum = try #require(standards.maximumOJLHours).grouped
            #expect(minimum != maximum)
            let id = try s.apprentice.requireID()

            let program = try await Browser(app).get("/program").text
            #expect(program.contains("\(minimum) hours of on-the-job learning, with every skill signed off"))
            #expect(program.contains("up to \(maximum) paid hours"))

            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            let overview = try await apprentice.get("/apprentices/\(id)").text
            #expect(overview.contains("of the \(minimum) minimum on-the-job hours"))
            #expect(overview.contains("the program schedules up to \(maximum)"))
            #expect(overview.contains("Hours of planned"))
            #expect(!overview.contains("Required on-the-job"))
            let completion = try await apprentice.get("/apprentices/\(id)/completion").text
            #expect(completion.contains("of the \(minimum) minimum (40 credited for prior learning)"))

            let sponsor = Browser(app)
            _ = try await sponsor.signIn(s.world.admin.email)
            let dashboard = try await sponsor.get("/dashboard").text
            #expect(dashboard.contains("plans up to \(standards.totalSkillSetHours.grouped) hours"))
            #expect(dashboard.contains("at least \(minimum) hours in all"))

            // The transcript's facts carry the same requirements the pages list.
            let progress = try await ProgressReader.progress(of: s.apprentice, on: app.db)
            #expect(progress.requirements.map(\.label).prefix(2) == ["On-the-job hours", "Skills signed off"])
            #expect(progress.requirements.first?.met == false)
            #expect(progress.eligibility.missing.contains { $0.contains("of \(minimum))") })
        }
    }
}

/// The mentor's approval queue and the apprentice's fix of a rejection.
@Suite("Approval queue")
struct ApprovalQueueTests {
    typealias T = TrainingRecordTests

    @Test("nothing is pre-ticked; entries come grouped by apprentice and week with skills and work order; the queue filters")
    func groupedQueue() async throws {
        try await withTestApp { app in
            let s = try await T.setup(app)
            _ = try await T.logWeek(app, s, hours: ["8", "7.5"])
            let mentor = Browser(app)
            _ = try await mentor.signIn(s.world.mentorA.email)
            let page = try await mentor.get("/approvals").text
            #expect(!page.contains(" checked>"))
            #expect(page.contains("Jamie Rivera — week of \(T.day(s.lastMonday))"))
            #expect(page.contains("(2 entries, 15.5 h)"))
            #expect(page.contains(">Approve this week's 2<"))
            #expect(page.contains("<th scope=\"col\">Work order</th>"))
            let id = try s.apprentice.requireID()
            #expect(try await mentor.get("/approvals?apprentice=\(id)").text.contains("week of \(T.day(s.lastMonday))"))
            #expect(try await mentor.get("/approvals?apprentice=\(UUID())").text.contains("Nothing waits for your approval with this filter"))
            // The apprentice's hours tab offers the week as one approval.
            #expect(try await mentor.get("/apprentices/\(id)/hours").text.contains("2 entries wait for you in the week of \(T.day(s.lastMonday)), 15.5 h"))
        }
    }

    @Test("old entries or a batch over the standards' limit need an explicit tick on the confirmation page, ordered by date")
    func explicitConfirmation() async throws {
        try await withTestApp { app in
            let s = try await T.setup(app)
            let entries = try await T.logWeek(app, s, hours: ["8", "8"])
            // One of them is 40 days old: more than the 30 the standards allow without a second look.
            entries[1].entryDate = T.day(ProgramCalendar.today(), plus: -40)
            try await entries[1].update(on: app.db)
            let mentor = Browser(app)
            _ = try await mentor.signIn(s.world.mentorA.email)
            let pairs = entries.map { ("entries[]", $0.id!.uuidString) }
            let ask = try await mentor.post("/approvals/decide", pairs: pairs + [("decision", "approve")])
            #expect(ask.status == .ok)
            #expect(ask.text.contains("more than 30 days old"))
            // Ordered by date: the old day first.
            let old = try #require(ask.text.range(of: entries[1].entryDate)), recent = try #require(ask.text.range(of: entries[0].entryDate))
            #expect(old.lowerBound < recent.lowerBound)
            let unticked = try await mentor.post("/approvals/decide", pairs: pairs + [("decision", "approve"), ("confirmed", "1")])
            #expect(unticked.status == .unprocessableEntity)
            #expect(unticked.text.contains("Tick the box to confirm you checked these entries"))
            #expect(try await HourEntry.query(on: app.db).filter(\.$status == .approved).count() == 0)
            // A single old entry asks too.
            #expect(try await mentor.post("/approvals/decide", pairs: [pairs[1], ("decision", "approve")]).text.contains("more than 30 days old"))
            let done = try await mentor.post("/approvals/decide", pairs: pairs + [("decision", "approve"), ("confirmed", "1"), ("acknowledged", "yes")])
            #expect(done.status == .seeOther)
            #expect(try await HourEntry.query(on: app.db).filter(\.$status == .approved).count() == 2)
        }
    }

    @Test("a rejected entry shows the mentor's reason, and fix and resubmit sends a linked entry back in one step")
    func fixAndResubmit() async throws {
        try await withTestApp { app in
            let s = try await T.setup(app)
            let entries = try await T.logWeek(app, s, hours: ["8"])
            _ = try await HourLog.decide([entries[0].id!], .reject, comment: "Split the PM and the recall work.", by: s.world.mentorA, on: app.db)
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            let id = try s.apprentice.requireID()
            let month = String(entries[0].entryDate.prefix(7))
            let list = try await apprentice.get("/apprentices/\(id)/hours?month=\(month)").text
            #expect(list.contains("Mentor: “Split the PM and the recall work.”"))
            #expect(list.contains("Fix and resubmit"))
            let form = try await apprentice.get("/hours/\(entries[0].id!)").text
            #expect(form.contains("Resubmit to my mentor"))
            let sent = try await apprentice.post("/hours/\(entries[0].id!)/correct", ["date": entries[0].entryDate, "skillSetCode": entries[0].skillSetCode,
                                                                                     "hours": "4", "description": "Preventive maintenance on pumps"])
            #expect(sent.status == .seeOther)
            let fix = try #require(try await HourEntry.query(on: app.db).filter(\.$corrects.$id == entries[0].id!).first())
            #expect(fix.status == .pending)
            #expect(fix.minutes == 240)
            #expect(!(try await apprentice.get("/apprentices/\(id)/hours?month=\(month)").text.contains("Fix and resubmit")))
            // Approving the fix leaves the rejection on record.
            _ = try await HourLog.decide([fix.id!], .approve, comment: nil, by: s.world.mentorA, on: app.db)
            #expect(try await HourEntry.find(entries[0].id, on: app.db)?.status == .rejected)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)
            #expect(try await HourStates.read(id, on: app.db).rejectedMinutes == 0)

            // Once only: a second resubmission of the same rejection is refused, and nothing is stored.
            let again = try await apprentice.post("/hours/\(entries[0].id!)/correct", ["date": entries[0].entryDate, "skillSetCode": entries[0].skillSetCode,
                                                                                      "hours": "4", "description": "Recall work"])
            #expect(again.status == .unprocessableEntity)
            #expect(again.text.contains("already fixed and resubmitted"))
            #expect(try await HourEntry.query(on: app.db).filter(\.$corrects.$id == entries[0].id!).count() == 1)
            // Undoing the rejection now would count the hours twice: skipped. Undoing the approved fix is allowed.
            let undoRejection = try await HourLog.decide([entries[0].id!], .undo, comment: nil, by: s.world.mentorA, on: app.db)
            #expect(undoRejection.decided.isEmpty && undoRejection.skipped.first?.reason == "it was fixed and resubmitted")
            let undoFix = try await HourLog.decide([fix.id!], .undo, comment: nil, by: s.world.mentorA, on: app.db)
            #expect(undoFix.decided.count == 1)
            #expect(try await HourEntry.find(fix.id, on: app.db)?.status == .pending)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)
        }
    }

    @Test("a rejected correction of approved hours is fixed by correcting those hours again, so they count once")
    func rejectedCorrectionOfApprovedHours() async throws {
        try await withTestApp { app in
            let s = try await T.setup(app)
            let entries = try await T.logWeek(app, s, hours: ["8"])
            let original = entries[0]
            _ = try await HourLog.decide([original.id!], .approve, comment: nil, by: s.world.mentorA, on: app.db)
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            let form = ["date": original.entryDate, "skillSetCode": original.skillSetCode, "hours": "6", "description": "Corrected: six hours"]
            #expect(try await apprentice.post("/hours/\(original.id!)/correct", form).status == .seeOther)
            let correction = try #require(try await HourEntry.query(on: app.db).filter(\.$corrects.$id == original.id!).first())
            _ = try await HourLog.decide([correction.id!], .reject, comment: "It was seven.", by: s.world.mentorA, on: app.db)
            // The rejected correction is not resubmitted itself; the list points to the approved hours instead.
            let refused = try await apprentice.post("/hours/\(correction.id!)/correct", form)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("correct those hours again from their own entry"))
            let list = try await apprentice.get("/apprentices/\(s.apprentice.id!)/hours?month=\(original.entryDate.prefix(7))").text
            #expect(list.contains("href=\"/hours/\(original.id!)#correction\""))
            #expect(try await HourStates.read(s.apprentice.id!, on: app.db).rejectedMinutes == 0)
            // Correcting the original again replaces it when approved: the hours count once.
            #expect(try await apprentice.post("/hours/\(original.id!)/correct", form.merging(["hours": "7"]) { $1 }).status == .seeOther)
            let second = try #require(try await HourEntry.query(on: app.db).filter(\.$corrects.$id == original.id!).filter(\.$status == .pending).first())
            _ = try await HourLog.decide([second.id!], .approve, comment: nil, by: s.world.mentorA, on: app.db)
            #expect(try await HourEntry.find(original.id, on: app.db)?.status == .corrected)
            let progress = try await ProgressReader.progress(of: try #require(try await Apprentice.find(s.apprentice.id, on: app.db)), on: app.db)
            #expect(progress.approvedHours == 7)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)
        }
    }
}
