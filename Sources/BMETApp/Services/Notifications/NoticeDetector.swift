import BMETDomain
import Fluent
import SQLKit
import Vapor

/// One thing worth telling one person, found in the training records.
struct Notice: Equatable {
    let recipientID: UUID
    let kind: NoticeKind
    /// Names what was noticed, so it is sent once: see `SentNotice`.
    let dedupeKey: String
    /// One line, names only (no dates of birth, no SSN, no free text typed by others).
    let text: String
    /// The page to act on, a path under the site's base URL.
    let path: String
}

/// Finds notices in the records as they stand at `now`. It reads, never writes: the jobs decide what to send.
enum NoticeDetector {
    /// Rejections older than this are not announced, so turning the feature on does not mail old history.
    static let rejectionLookbackDays = 7
    static let probationWarningDays = 14
    static let examWarningDays = 14
    static let expiryWarningDays = 60
    static let quietDaysBeforeReminder = 14

    static func detect(now: Date, on db: any Database) async throws -> [Notice] {
        let today = ProgramCalendar.today(now)
        var notices: [Notice] = []
        notices += try await pendingHours(on: db)
        notices += try await assessmentRequests(on: db)
        notices += try await rejectedHours(now: now, on: db)
        notices += try await fromProgress(today: today, on: db)
        notices += try await milestones(now: now, on: db)
        return notices
    }

    /// Mentors: every entry waiting for a decision, one notice per entry.
    static func pendingHours(on db: any Database) async throws -> [Notice] {
        let entries = try await HourEntry.query(on: db).filter(\.$status == .pending).with(\.$apprentice).sort(\.$entryDate).all()
        return entries.compactMap { entry in
            guard let id = entry.id, entry.apprentice.status.isInProgram else { return nil }
            return Notice(recipientID: entry.apprentice.$mentor.id, kind: .hoursPending, dedupeKey: "hours.pending:\(id)",
                          text: "\(entry.apprentice.fullName) logged \(HourRules.hoursText(entry.minutes)) h on \(entry.entryDate) (skill set \(entry.skillSetCode)).",
                          path: "/hours/\(id)")
        }
    }

    /// Mentors: every unanswered request to assess a skill.
    static func assessmentRequests(on db: any Database) async throws -> [Notice] {
        let requests = try await AssessmentRequest.query(on: db).filter(\.$answeredBy.$id == nil).with(\.$apprentice).sort(\.$requestedAt).all()
        return requests.compactMap { request in
            guard let id = request.id, request.apprentice.status.isInProgram, let apprenticeID = request.apprentice.id else { return nil }
            return Notice(recipientID: request.apprentice.$mentor.id, kind: .assessmentRequested, dedupeKey: "assessment.requested:\(id)",
                          text: "\(request.apprentice.fullName) asks you to assess skill \(request.skillCode).",
                          path: "/apprentices/\(apprenticeID)/skills/\(request.skillCode)")
        }
    }

    /// Apprentices: each rejection of their hours that still stands (not undone since), with its reason.
    static func rejectedHours(now: Date, on db: any Database) async throws -> [Notice] {
        let since = now.addingTimeInterval(-Double(rejectionLookbackDays) * 86_400)
        let decisions = try await HourDecision.query(on: db).filter(\.$action == .reject).filter(\.$createdAt >= since)
            .with(\.$entry) { $0.with(\.$apprentice) }.all()
        return decisions.compactMap { decision in
            let entry = decision.entry
            guard let id = decision.id, let entryID = entry.id, entry.status == .rejected, let userID = entry.apprentice.$user.id else { return nil }
            return Notice(recipientID: userID, kind: .hoursRejected, dedupeKey: "hours.rejected:\(id)",
                          text: "Your \(HourRules.hoursText(entry.minutes)) h on \(entry.entryDate) were rejected. Reason: \(decision.comment.prefix(300))",
                          path: "/hours/\(entryID)")
        }
    }

    /// Milestones from the history of the last week (like rejections, older ones are not announced when the feature is
    /// first turned on): the apprentice and the employer's administrators each get one notice per event.
    static func milestones(now: Date, on db: any Database) async throws -> [Notice] {
        let since = now.addingTimeInterval(-Double(rejectionLookbackDays) * 86_400)
        // (apprentice, dedupe key, what happened in the apprentice's words, the same for the employer, page)
        var found: [(Apprentice, String, String, String, String)] = []
        let events = try await ApprenticeEvent.query(on: db).filter(\.$createdAt >= since)
            .filter(\.$kind ~~ ["agreement_signed", ApprenticeRecords.Action.endProbation.rawValue, "completed"]).with(\.$apprentice).all()
        for event in events {
            guard let id = event.id, let apprenticeID = event.apprentice.id else { continue }
            let name = event.apprentice.fullName
            switch event.kind {
            case "agreement_signed":
                found.append((event.apprentice, "milestone.agreement:\(id)", "Your apprenticeship agreement is signed by everyone: your probationary period has started.",
                              "\(name)'s apprenticeship agreement is signed by everyone; probation has started.", "/apprentices/\(apprenticeID)"))
            case "completed":
                found.append((event.apprentice, "milestone.completed:\(id)", "Your completion was approved. Congratulations!",
                              "\(name)'s completion was approved.", "/apprentices/\(apprenticeID)/completion"))
            default:
                found.append((event.apprentice, "milestone.probation:\(id)", "Your probationary period has ended.",
                              "\(name)'s probationary period has ended.", "/apprentices/\(apprenticeID)"))
            }
        }
        let issued = try await IssuedCredential.query(on: db).filter(\.$createdAt >= since).filter(\.$kind == .certificate).with(\.$apprentice).all()
        for credential in issued {
            guard let id = credential.id, let apprenticeID = credential.apprentice.id else { continue }
            found.append((credential.apprentice, "milestone.certificate:\(id)", "Your certificate \(credential.number) was issued.",
                          "\(credential.apprentice.fullName)'s certificate \(credential.number) was issued.", "/apprentices/\(apprenticeID)/credentials"))
        }
        let revoked = try await IssuedCredential.query(on: db).filter(\.$revokedAt >= since).with(\.$apprentice).all()
        for credential in revoked {
            guard let id = credential.id, let apprenticeID = credential.apprentice.id else { continue }
            let reason = (credential.revocationReason ?? "").prefix(300)
            found.append((credential.apprentice, "milestone.revoked:\(id)", "Your \(credential.name) (\(credential.number)) was revoked. Reason: \(reason)",
                          "\(credential.apprentice.fullName)'s \(credential.name) (\(credential.number)) was revoked. Reason: \(reason)",
                          "/apprentices/\(apprenticeID)/credentials"))
        }
        guard !found.isEmpty else { return [] }
        let employerIDs = Array(Set(found.map { $0.0.$employer.id }))
        let admins = try await User.query(on: db).filter(\.$role == .employerAdmin).filter(\.$isActive == true).filter(\.$employer.$id ~~ employerIDs).all()
        var notices: [Notice] = []
        for (apprentice, key, own, employer, path) in found {
            if let userID = apprentice.$user.id { notices.append(Notice(recipientID: userID, kind: .milestone, dedupeKey: key, text: own, path: path)) }
            for admin in admins where admin.employerID == apprentice.$employer.id {
                if let adminID = admin.id { notices.append(Notice(recipientID: adminID, kind: .apprenticeMilestone, dedupeKey: key, text: employer, path: path)) }
            }
        }
        return notices
    }

    /// Apprentices whose progress is read at a time: the job's memory stays the same however large the program is.
    static let progressBatch = 500

    /// Everything that follows from an apprentice's progress: raises, probation, risk, reviews, credentials, silence.
    /// Running apprentices are read in batches by id (a keyset), never all at once.
    static func fromProgress(today: Date, batch: Int = progressBatch, on db: any Database) async throws -> [Notice] {
        var notices: [Notice] = []
        var after: UUID?
        while true {
            let query = Apprentice.query(on: db).filter(\.$status ~~ [.probation, .active, .suspended]).sort(\.$id).limit(batch)
            if let after { query.filter(\.$id > after) }
            let running = try await query.all()
            guard let last = running.last else { break }
            after = last.id
            notices += try await fromProgress(of: running, today: today, on: db)
        }
        return notices
    }

    private static func fromProgress(of running: [Apprentice], today: Date, on db: any Database) async throws -> [Notice] {
        guard !running.isEmpty else { return [] }
        let quiet = try await quietSince(running, today: today, on: db)
        let employerIDs = Array(Set(running.map { $0.$employer.id }))
        let admins = try await User.query(on: db).filter(\.$role == .employerAdmin).filter(\.$isActive == true)
            .filter(\.$employer.$id ~~ employerIDs).all()
        var adminsByEmployer: [UUID: [UUID]] = [:]
        for admin in admins { if let employerID = admin.employerID, let id = admin.id { adminsByEmployer[employerID, default: []].append(id) } }
        var notices: [Notice] = []
        for row in try await Cohort.rows(running, today: today, on: db) {
            let apprentice = row.apprentice
            let id = try apprentice.requireID()
            let name = apprentice.fullName
            var forAdmins: [(NoticeKind, String, String, String)] = []
            for step in row.progress.wage.dueSteps {
                forAdmins.append((.wageRaiseDue, "wage.raise-due:\(id):\(step.step)",
                                  "\(name) reached wage step \(step.step) (\(step.title)); record the raise.", "/apprentices/\(id)/wages"))
            }
            if case .inProbation(let end) = row.progress.probation, apprentice.status == .probation,
               let warnFrom = ProgramCalendar.calendar.date(byAdding: .day, value: -probationWarningDays, to: end), today >= warnFrom, today <= end {
                let endText = ProgramCalendar.dayString(end)
                forAdmins.append((.probationEnding, "probation.ending:\(id):\(endText)",
                                  "\(name)'s probationary period ends on \(endText).", "/apprentices/\(id)"))
            }
            if case .atRisk(let reasons) = row.progress.outlook {
                let month = String(ProgramCalendar.dayString(today).prefix(7))
                forAdmins.append((.apprenticeAtRisk, "apprentice.at-risk:\(id):\(month)",
                                  "\(name) is at risk: \(reasons.joined(separator: "; ")).", "/apprentices/\(id)"))
            }
            if let review = row.review, review.isOverdue {
                forAdmins.append((.reviewOverdue, "review.overdue:\(id):\(review.number)",
                                  "\(name)'s progress review \(review.number) (period ending \(review.periodEnd)) was due by \(review.dueBy).",
                                  "/apprentices/\(id)/reviews"))
            }
            for (kind, key, text, path) in forAdmins {
                for adminID in adminsByEmployer[apprentice.$employer.id] ?? [] {
                    notices.append(Notice(recipientID: adminID, kind: kind, dedupeKey: key, text: text, path: path))
                }
            }

            guard let userID = apprentice.$user.id else { continue }
            for credential in row.progress.credentials {
                if credential.status == .scheduled, let exam = credential.date, exam >= today,
                   let warnFrom = ProgramCalendar.calendar.date(byAdding: .day, value: -examWarningDays, to: exam), today >= warnFrom {
                    let examText = ProgramCalendar.dayString(exam)
                    notices.append(Notice(recipientID: userID, kind: .credentialDeadline, dedupeKey: "credential.exam:\(id):\(credential.code):\(examText)",
                                          text: "Your \(credential.name) exam is on \(examText).", path: "/apprentices/\(id)/credentials"))
                }
                if credential.isPassed, let expires = credential.expires,
                   let warnFrom = ProgramCalendar.calendar.date(byAdding: .day, value: -expiryWarningDays, to: expires), today >= warnFrom {
                    let expiresText = ProgramCalendar.dayString(expires)
                    notices.append(Notice(recipientID: userID, kind: .credentialDeadline, dedupeKey: "credential.expiry:\(id):\(credential.code):\(expiresText)",
                                          text: "Your \(credential.name) credential expires on \(expiresText).", path: "/apprentices/\(id)/credentials"))
                }
            }
            if apprentice.status != .suspended, let quiet = quiet[id] {
                let quietText = ProgramCalendar.dayString(quiet)
                notices.append(Notice(recipientID: userID, kind: .hoursMissing, dedupeKey: "hours.missing:\(id):\(quietText)",
                                      text: "You have logged no hours since \(quietText). Log your recent work so your mentor can approve it.",
                                      path: "/apprentices/\(id)/hours/week"))
            }
        }
        return notices
    }

    /// Per apprentice, the day of the last logged (pending or approved) hours, or the start date, when that is two weeks
    /// or more ago. The day is part of the notice's key: one reminder per silent spell. One statement per batch: a
    /// correlated MAX, answered from the (apprentice, status, day) index.
    static func quietSince(_ apprentices: [Apprentice], today: Date, on db: any Database) async throws -> [UUID: Date] {
        let sql = try db.sql()
        let ids = apprentices.compactMap(\.id)
        guard !ids.isEmpty, let limit = ProgramCalendar.calendar.date(byAdding: .day, value: -quietDaysBeforeReminder, to: today) else { return [:] }
        let lastDay = try await ProgressReader.latestEntryDays(ids, statuses: [.pending, .approved], on: sql)
        // Hours waiting for the mentor are not silence: the apprentice did log, and is not told otherwise.
        let waiting = try await ProgressReader.latestEntryDays(ids, statuses: [.pending], on: sql)
        var quiet: [UUID: Date] = [:]
        for apprentice in apprentices {
            guard let id = apprentice.id, waiting[id] == nil, let since = ProgramCalendar.day(lastDay[id] ?? apprentice.startDate), since <= limit else { continue }
            quiet[id] = since
        }
        return quiet
    }
}
