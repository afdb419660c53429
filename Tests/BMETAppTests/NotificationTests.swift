@testable import BMETApp
import BMETDomain
import BMETMail
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Notices found in the records, delivered by preference (immediate, daily digest, off), each once.
@Suite("Notifications")
struct NotificationTests {
    typealias T = TrainingRecordTests

    /// Sends what is due and returns the messages delivered to `recipient` so far.
    static func inbox(_ app: Application, _ recipient: String) async throws -> [MailMessage] {
        try await Outbox.dispatchDue(app: app)
        let sender = try #require(app.mailSender as? RecordingMailSender)
        return sender.messages.filter { $0.to == recipient }
    }

    static func day(_ days: Int) -> String { T.day(ProgramCalendar.today(), plus: days) }

    @Test("a mentor with two pending entries gets one digest mentioning both, with links and names only; nothing is sent twice")
    func oneDigestForTwoEntries() async throws {
        try await withTestApp { app in
            let s = try await T.setup(app)
            let entries = try await T.logWeek(app, s, hours: ["8", "7.5"])
            #expect(entries.count == 2)
            let now = Date()
            let outcome = try await Scheduler.run(.dailyDigest, period: "2026-11-25", app: app, now: now)
            guard case .ran(let count) = outcome else { Issue.record("digest did not run: \(outcome)"); return }
            #expect(count >= 1)

            let mails = try await Self.inbox(app, s.world.mentorA.email)
            #expect(mails.count == 1)
            let digest = try #require(mails.first)
            #expect(digest.subject == "Your daily summary: 2 items")
            #expect(digest.textBody.hasPrefix("Hello Mel,"))
            #expect(digest.textBody.contains("Jamie Rivera logged 8 h on \(T.day(s.lastMonday))"))
            #expect(digest.textBody.contains("Jamie Rivera logged 7.5 h on \(T.day(s.lastMonday, plus: 1))"))
            #expect(digest.textBody.contains("http://bmet.test/hours/\(entries[0].id!)"))
            #expect(digest.textBody.contains("http://bmet.test/hours/\(entries[1].id!)"))
            #expect(digest.textBody.contains("http://bmet.test/account#notifications"))
            // Names only: no date of birth, SSN or street address from the registration.
            for secret in ["2001-04-12", "6789", "12 Elm St"] { #expect(!digest.textBody.contains(secret)) }

            // The same period again is refused by the claim; the next day finds both entries already sent.
            #expect(try await Scheduler.run(.dailyDigest, period: "2026-11-25", app: app, now: now) == .taken)
            _ = try await Scheduler.run(.dailyDigest, period: "2026-11-26", app: app, now: now.addingTimeInterval(86_400))
            _ = try await Scheduler.run(.immediateNotices, period: "x-1", app: app, now: now)
            #expect(try await Self.inbox(app, s.world.mentorA.email).count == 1)
            let stored = try await SentNotice.query(on: app.db).filter(\.$user.$id == s.world.mentorA.id!).all()
            #expect(Set(stored.map(\.dedupeKey)) == ["digest:2026-11-25", "hours.pending:\(entries[0].id!)", "hours.pending:\(entries[1].id!)"])
        }
    }

    @Test("an entry approved before the digest runs is not mentioned")
    func resolvedBeforeDigest() async throws {
        try await withTestApp { app in
            let s = try await T.setup(app)
            let entries = try await T.logWeek(app, s, hours: ["8", "6"])
            _ = try await HourLog.decide([entries[0].id!], .approve, comment: nil, by: s.world.mentorA, on: app.db)
            _ = try await Scheduler.run(.dailyDigest, period: "d", app: app, now: Date())
            let digest = try #require(try await Self.inbox(app, s.world.mentorA.email).first)
            #expect(digest.subject == "Your daily summary: 1 item")
            #expect(!digest.textBody.contains("/hours/\(entries[0].id!)"))
            #expect(digest.textBody.contains("/hours/\(entries[1].id!)"))
        }
    }

    @Test("a rejection reaches the apprentice right away with the reason, once")
    func rejectedHours() async throws {
        try await withTestApp { app in
            let s = try await T.setup(app)
            let entries = try await T.logWeek(app, s, hours: ["8", "8"])
            _ = try await HourLog.decide([entries[0].id!], .reject, comment: "This was preventive maintenance, not orientation.", by: s.world.mentorA, on: app.db)
            let now = Date()
            _ = try await Scheduler.run(.immediateNotices, period: "p1", app: app, now: now)
            let mails = try await Self.inbox(app, s.world.apprenticeA.email)
            #expect(mails.count == 1)
            #expect(mails.first?.subject == NoticeKind.hoursRejected.label)
            #expect(mails.first?.textBody.contains("Reason: This was preventive maintenance, not orientation.") == true)
            #expect(mails.first?.textBody.contains("http://bmet.test/hours/\(entries[0].id!)") == true)
            // Pending hours are a digest matter for the mentor by default: nothing immediate.
            #expect(try await Self.inbox(app, s.world.mentorA.email).isEmpty)
            // Re-running (a later period, or the same job again) sends nothing new.
            _ = try await Scheduler.run(.immediateNotices, period: "p2", app: app, now: now.addingTimeInterval(300))
            try await NoticeMailer.sendImmediate(app: app, now: now.addingTimeInterval(600))
            #expect(try await Self.inbox(app, s.world.apprenticeA.email).count == 1)
        }
    }

    @Test("an undone rejection is not announced")
    func undoneRejection() async throws {
        try await withTestApp { app in
            let s = try await T.setup(app)
            let entries = try await T.logWeek(app, s, hours: ["8"])
            _ = try await HourLog.decide([entries[0].id!], .reject, comment: "Wrong day", by: s.world.mentorA, on: app.db)
            _ = try await HourLog.decide([entries[0].id!], .undo, comment: nil, by: s.world.mentorA, on: app.db)
            let notices = try await NoticeDetector.detect(now: Date(), on: app.db)
            #expect(!notices.contains { $0.kind == .hoursRejected })
        }
    }

    @Test("employer administrators hear of raises due, overdue reviews, risk and probation ending — only at their own employer")
    func employerAdminKinds() async throws {
        try await withTestApp { app in
            // Seven months in: step 2 (six months) is owed, review 1 is overdue, and no approved hours means at risk.
            let s = try await T.setup(app, monthsAgo: 7)
            let id = s.apprentice.id!
            var notices = try await NoticeDetector.detect(now: Date(), on: app.db)
            let forAdminA = notices.filter { $0.recipientID == s.world.adminA.id }
            let keys = Set(forAdminA.map(\.dedupeKey))
            #expect(keys.contains("wage.raise-due:\(id):2"))
            #expect(keys.contains("review.overdue:\(id):1"))
            #expect(keys.contains("apprentice.at-risk:\(id):\(Self.day(0).prefix(7))"))
            #expect(!notices.contains { $0.recipientID == s.world.adminB.id })
            #expect(forAdminA.first { $0.kind == .wageRaiseDue }?.path == "/apprentices/\(id)/wages")
            #expect(!forAdminA.contains { $0.kind == .probationEnding })

            // Back in probation with ten days left: the warning appears, keyed by the end date.
            try await ApprenticeRecords.transitionForTest(s.apprentice, to: .probation, on: app.db)
            let apprentice = try #require(try await Apprentice.find(id, on: app.db))
            apprentice.probationEnd = Self.day(10)
            try await apprentice.update(on: app.db)
            notices = try await NoticeDetector.detect(now: Date(), on: app.db)
            #expect(notices.contains { $0.recipientID == s.world.adminA.id && $0.dedupeKey == "probation.ending:\(id):\(Self.day(10))" })
            apprentice.probationEnd = Self.day(30)
            try await apprentice.update(on: app.db)
            notices = try await NoticeDetector.detect(now: Date(), on: app.db)
            #expect(!notices.contains { $0.kind == .probationEnding })
        }
    }

    @Test("apprentices hear of exam dates, expiring credentials and two silent weeks; mentors of assessment requests")
    func apprenticeAndMentorKinds() async throws {
        try await withTestApp { app in
            let s = try await T.setup(app)
            let id = s.apprentice.id!
            let credentials: [(String, CredentialStatus, String, String?)] = [("it-fundamentals", .scheduled, Self.day(5), nil),
                                                                             ("cabt", .passed, Self.day(-1800), Self.day(30))]
            for (code, status, date, expires) in credentials {
                let record = CredentialRecord()
                record.$apprentice.id = id
                record.credentialCode = code
                record.status = status
                record.eventDate = date
                record.expiresOn = expires
                record.note = ""
                record.$recordedBy.id = s.world.apprenticeA.id!
                record.createdAt = Date()
                try await record.create(on: app.db)
            }
            _ = try await Assessments.request(s.apprentice, skillCode: "OS-03", note: "Ready", by: s.world.apprenticeA, on: app.db)
            let start = s.apprentice.startDate

            let notices = try await NoticeDetector.detect(now: Date(), on: app.db)
            let mine = Set(notices.filter { $0.recipientID == s.world.apprenticeA.id }.map(\.dedupeKey))
            #expect(mine == ["credential.exam:\(id):it-fundamentals:\(Self.day(5))", "credential.expiry:\(id):cabt:\(Self.day(30))",
                             "hours.missing:\(id):\(start)"])
            // The job reads running apprentices in batches; one at a time gives the same notices as all at once.
            let other = Apprentice()
            other.$user.id = s.world.apprenticeB.id
            other.$programVersion.id = s.apprentice.$programVersion.id
            other.$employer.id = try s.world.employerB.requireID()
            other.$mentor.id = try s.world.mentorB.requireID()
            other.fullName = "Ben Other"
            other.email = s.world.apprenticeB.email
            other.startDate = s.apprentice.startDate
            other.probationEnd = s.apprentice.probationEnd
            other.termEnd = s.apprentice.termEnd
            other.status = .active
            other.$registeredBy.id = try s.world.adminB.requireID()
            other.registeredAt = Date()
            try await other.create(on: app.db)
            let whole = try await NoticeDetector.fromProgress(today: ProgramCalendar.today(), on: app.db)
            let oneByOne = try await NoticeDetector.fromProgress(today: ProgramCalendar.today(), batch: 1, on: app.db)
            #expect(whole.contains { $0.recipientID == s.world.apprenticeB.id && $0.kind == .hoursMissing })
            #expect(oneByOne == whole)
            #expect(try await Apprentice.query(on: app.db).filter(\.$status ~~ [.probation, .active, .suspended]).count() >= 2)
            let request = try #require(notices.first { $0.kind == .assessmentRequested })
            #expect(request.recipientID == s.world.mentorA.id)
            #expect(request.path == "/apprentices/\(id)/skills/OS-03")

            // All three are immediate by default: three e-mails, once.
            _ = try await Scheduler.run(.immediateNotices, period: "p1", app: app, now: Date())
            _ = try await Scheduler.run(.immediateNotices, period: "p2", app: app, now: Date())
            let mails = try await Self.inbox(app, s.world.apprenticeA.email)
            #expect(mails.map(\.subject).sorted() == [NoticeKind.credentialDeadline.label, NoticeKind.credentialDeadline.label, NoticeKind.hoursMissing.label])

            // Hours logged last week end the silence.
            _ = try await T.logWeek(app, s, hours: ["8"])
            let after = try await NoticeDetector.detect(now: Date(), on: app.db)
            #expect(!after.contains { $0.kind == .hoursMissing && $0.recipientID == s.world.apprenticeA.id })
        }
    }

    @Test("off sends nothing; immediate sends each notice alone; digest folds them into the summary")
    func preferencesRespected() async throws {
        try await withTestApp { app in
            let s = try await T.setup(app)
            let entries = try await T.logWeek(app, s, hours: ["8", "8"])
            let mentor = s.world.mentorA
            try await NotificationPreferences.update(["hours.pending": "off"], of: mentor, on: app.db)
            _ = try await Scheduler.run(.dailyDigest, period: "d1", app: app, now: Date())
            _ = try await Scheduler.run(.immediateNotices, period: "i1", app: app, now: Date())
            #expect(try await Self.inbox(app, mentor.email).isEmpty)

            try await NotificationPreferences.update(["hours.pending": "immediate"], of: mentor, on: app.db)
            _ = try await Scheduler.run(.immediateNotices, period: "i2", app: app, now: Date())
            let mails = try await Self.inbox(app, mentor.email)
            #expect(mails.count == 2)
            #expect(mails.allSatisfy { $0.subject == NoticeKind.hoursPending.label })
            #expect(Set(mails.compactMap { mail in entries.first { mail.textBody.contains("/hours/\($0.id!)") }?.id }).count == 2)

            // An apprentice who moves exam reminders to the digest gets them there, not right away.
            let record = CredentialRecord()
            record.$apprentice.id = s.apprentice.id!
            record.credentialCode = "it-fundamentals"
            record.status = .scheduled
            record.eventDate = Self.day(3)
            record.note = ""
            record.$recordedBy.id = s.world.apprenticeA.id!
            record.createdAt = Date()
            try await record.create(on: app.db)
            try await NotificationPreferences.update(["credential.deadline": "digest"], of: s.world.apprenticeA, on: app.db)
            _ = try await Scheduler.run(.immediateNotices, period: "i3", app: app, now: Date())
            #expect(try await Self.inbox(app, s.world.apprenticeA.email).isEmpty)
            _ = try await Scheduler.run(.dailyDigest, period: "d2", app: app, now: Date())
            let digest = try await Self.inbox(app, s.world.apprenticeA.email)
            #expect(digest.count == 1)
            #expect(digest.first?.textBody.contains("exam is on \(Self.day(3))") == true)
        }
    }

    @Test("a deactivated account gets no notices")
    func inactiveRecipient() async throws {
        try await withTestApp { app in
            let s = try await T.setup(app)
            _ = try await T.logWeek(app, s, hours: ["8"])
            s.world.mentorA.isActive = false
            try await s.world.mentorA.update(on: app.db)
            _ = try await Scheduler.run(.dailyDigest, period: "d", app: app, now: Date())
            #expect(try await Self.inbox(app, s.world.mentorA.email).isEmpty)
        }
    }

    // MARK: - The preferences page and API

    @Test("the Account page shows the person's notices; saving changes only their own choices")
    func preferencesPage() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let mentor = Browser(app)
            _ = try await mentor.signIn(w.mentorA.email)
            let page = try await mentor.get("/account")
            #expect(page.status == .ok)
            #expect(page.text.contains("E-mail notices"))
            #expect(page.text.contains(#"name="delivery[hours.pending]" value="digest" checked"#))
            #expect(!page.text.contains("delivery[wage.raise-due]"))

            // A smuggled user id is ignored: the form only ever edits the signed-in person.
            let saved = try await mentor.post("/account/notifications", ["delivery[hours.pending]": "off", "delivery[assessment.requested]": "immediate",
                                                                         "userID": w.mentorB.id!.uuidString])
            #expect(saved.status == .seeOther)
            #expect(saved.location == "/account?saved=notifications#notifications")
            let choices = try await NotificationPreferences.choices(of: w.mentorA, on: app.db)
            #expect(choices.map(\.delivery) == [.off, .immediate])
            #expect(try await NotificationPreference.query(on: app.db).filter(\.$user.$id == w.mentorB.id!).count() == 0)
            let after = try await mentor.get("/account?saved=notifications")
            #expect(after.text.contains("Your notice settings are saved."))
            #expect(after.text.contains(#"name="delivery[hours.pending]" value="off" checked"#))
        }
    }

    @Test("bad choices re-render the form with the person's input and a message by the question; nothing is saved", arguments: [
        ("employer", ["delivery[wage.raise-due]": "off", "delivery[probation.ending]": "off"], "cannot be turned off", #"name="delivery[probation.ending]" value="off" checked"#),
        ("mentor", ["delivery[hours.pending]": "weekly"], "Choose right away, the daily summary or off", #"aria-invalid="true""#),
        ("mentor", ["delivery[wage.raise-due]": "immediate"], "There is no notice", "error-summary"),
        ("mentor", [:], "Choose how you want to get at least one notice", "error-summary"),
    ])
    func badChoices(who: String, fields: [String: String], message: String, echo: String) async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let browser = Browser(app)
            _ = try await browser.signIn(who == "employer" ? w.adminA.email : w.mentorA.email)
            let response = try await browser.post("/account/notifications", fields)
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains(message))
            #expect(response.text.contains(echo))
            #expect(try await NotificationPreference.query(on: app.db).count() == 0)
        }
    }

    @Test("signed-out visitors are sent to sign in; the program admin sees no notice questions")
    func preferencesAuthorization() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let anonymous = Browser(app)
            #expect(try await anonymous.get("/account").location?.hasPrefix("/login") == true)
            let post = try await anonymous.post("/account/notifications", ["delivery[hours.pending]": "off"])
            #expect(post.location?.hasPrefix("/login") == true)
            #expect(try await NotificationPreference.query(on: app.db).count() == 0)
            let admin = Browser(app)
            _ = try await admin.signIn(w.admin.email)
            let page = try await admin.get("/account")
            #expect(page.text.contains("No e-mail notices are sent to your role"))
            #expect(try await admin.post("/account/notifications", ["delivery[hours.pending]": "off"]).status == .unprocessableEntity)
        }
    }

    @Test("the API reads and changes only the caller's settings, and refuses bad input with a problem document")
    func preferencesAPI() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let mentor = APIClient(app: app, token: try await Make.token(app, for: w.mentorA))
            let list = try await mentor.send(.GET, "/api/v1/me/notifications")
            #expect(list.status == .ok)
            let items = try #require(try list.json()["items"] as? [[String: Any]])
            #expect(items.compactMap { $0["kind"] as? String } == ["hours.pending", "assessment.requested"])
            #expect(items.first?["delivery"] as? String == "digest")

            let put = try await mentor.send(.PUT, "/api/v1/me/notifications", json: ["items": [["kind": "hours.pending", "delivery": "immediate"]]])
            #expect(put.status == .ok)
            let updated = try #require(try put.json()["items"] as? [[String: Any]])
            #expect(updated.first?["delivery"] as? String == "immediate")
            #expect(try await NotificationPreferences.choices(of: w.mentorB, on: app.db).first?.delivery == .digest)

            let employer = APIClient(app: app, token: try await Make.token(app, for: w.adminA))
            let refused = try await employer.send(.PUT, "/api/v1/me/notifications", json: ["items": [["kind": "wage.raise-due", "delivery": "off"]]])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.isProblem)
            #expect(refused.text.contains("wage.raise-due"))
            let empty = try await employer.send(.PUT, "/api/v1/me/notifications", json: ["items": [[String: String]]()])
            #expect(empty.status == .unprocessableEntity)
            let garbage = try await employer.send(.PUT, "/api/v1/me/notifications", rawBody: Data("not json".utf8))
            #expect(garbage.status == .unprocessableEntity)
            #expect(try await NotificationPreference.query(on: app.db).filter(\.$user.$id == w.adminA.id!).count() == 0)

            #expect(try await APIClient(app: app, token: nil).send(.GET, "/api/v1/me/notifications").status == .unauthorized)
            #expect(try await APIClient(app: app, token: nil).send(.PUT, "/api/v1/me/notifications", json: ["items": [["kind": "hours.pending", "delivery": "off"]]]).status == .unauthorized)
        }
    }
}
