import BMETDomain
import Fluent
import Vapor

/// The outreach log (29 CFR 30.8) and the annual review of personnel practices (30.9). Both are appended and never
/// changed; 30.12 asks for five years and the platform deletes none.
enum Outreach {
    struct Input: Content {
        var activityDate: String?
        var kind: String?
        var organization: String?
        var description: String?
        var groups: [String]?
    }

    /// Whom an activity can be meant to reach.
    static let audiences: [(code: String, label: String)] = [
        ("women", "Women"), ("minorities", "Racial and ethnic minorities"), ("disabilities", "People with disabilities"),
        ("veterans", "Veterans"), ("youth", "Youth (16–24)"),
    ]

    static func record(_ input: Input, by actor: User, on db: any Database, now: Date = Date()) async throws -> OutreachActivity {
        var errors = FieldErrors()
        let date = ProgramCalendar.day(input.activityDate?.trimmed ?? "")
        if date == nil { errors["activityDate"] = "Enter the day of the activity as YYYY-MM-DD." }
        else if let date, date > ProgramCalendar.today(now) { errors["activityDate"] = "Record activities once they have taken place: the day is in the future." }
        let kind = input.kind.flatMap(OutreachKind.init(rawValue:))
        if kind == nil { errors["kind"] = "Choose the kind of activity." }
        Check.required(input.organization, "organization", "The organization or place", into: &errors)
        Check.required(input.description, "description", "What was done", into: &errors)
        if (input.organization ?? "").count > FieldLimits.limit(for: "organization") { errors["organization"] = "At most \(FieldLimits.limit(for: "organization")) characters." }
        if (input.description ?? "").count > FieldLimits.limit(for: "note") { errors["description"] = "At most \(FieldLimits.limit(for: "note")) characters." }
        let groups = (input.groups ?? []).filter { code in audiences.contains { $0.code == code } }
        if groups.count != (input.groups ?? []).count { errors["groups"] = "Choose from the listed groups." }
        guard errors.isEmpty, let date, let kind else { throw ValidationFailure(errors: errors) }

        let activity = OutreachActivity()
        activity.activityDate = ProgramCalendar.dayString(date)
        activity.kind = kind
        activity.organization = input.organization?.trimmed ?? ""
        activity.description = input.description?.trimmed ?? ""
        activity.groupsReached = groups.joined(separator: ",")
        activity.$recordedBy.id = try actor.requireID()
        activity.recordedAt = now
        try await db.writeTransaction { db in
            try await activity.create(on: db)
            try await AuditLog.record(.outreachRecorded, .program, "\(kind.label) on \(activity.activityDate): \(activity.organization)", by: actor, on: db, now: now)
        }
        return activity
    }

    static func groupLabels(_ stored: String) -> String {
        let codes = stored.split(separator: ",").map(String.init)
        let labels = audiences.filter { codes.contains($0.code) }.map(\.label)
        return labels.isEmpty ? "—" : labels.joined(separator: ", ")
    }
}

enum AnnualReviews {
    struct Input: Content {
        var periodStart: String?
        var periodEnd: String?
        /// `items[<code>][done]` and `items[<code>][note]`, one per checklist item.
        var items: [String: Item]?
        var findings: String?
        var actions: String?
        var signedName: String?
        var confirm: String?

        struct Item: Codable, Sendable {
            var done: String?
            var note: String?
        }
    }

    static func latest(on db: any Database) async throws -> AnnualReview? {
        try await AnnualReview.query(on: db).sort(\.$signedAt, .descending).first()
    }

    /// Signs a review. Every checklist item is answered (ticked or explained), findings are required, and an item not
    /// done needs an action; the typed name must be the signer's own.
    static func sign(_ input: Input, by actor: User, on db: any Database, now: Date = Date()) async throws -> AnnualReview {
        var errors = FieldErrors()
        let start = ProgramCalendar.day(input.periodStart?.trimmed ?? ""), end = ProgramCalendar.day(input.periodEnd?.trimmed ?? "")
        if start == nil { errors["periodStart"] = "Enter the first day the review covers as YYYY-MM-DD." }
        if end == nil { errors["periodEnd"] = "Enter the last day the review covers as YYYY-MM-DD." }
        if let start, let end {
            if end < start { errors["periodEnd"] = "The period ends before it starts." }
            else if end > ProgramCalendar.today(now) { errors["periodEnd"] = "A review covers time that has passed: the period ends in the future." }
        }
        var answers: [AnnualReview.Answer] = []
        var anyNotDone = false
        for item in AnnualReviewChecklist.items {
            let done = input.items?[item.code]?.done == "yes"
            let note = input.items?[item.code]?.note?.trimmed ?? ""
            if note.count > FieldLimits.limit(for: "note") { errors["items[\(item.code)][note]"] = "At most \(FieldLimits.limit(for: "note")) characters." }
            if !done && note.isEmpty { errors["items[\(item.code)][note]"] = "Tick the item, or say why it was not done." }
            anyNotDone = anyNotDone || !done
            answers.append(.init(code: item.code, done: done, note: note))
        }
        Check.required(input.findings, "findings", "The findings", into: &errors)
        if (input.findings ?? "").count > FieldLimits.limit(for: "findings") { errors["findings"] = "At most \(FieldLimits.limit(for: "findings")) characters." }
        if (input.actions ?? "").count > FieldLimits.limit(for: "actions") { errors["actions"] = "At most \(FieldLimits.limit(for: "actions")) characters." }
        if anyNotDone && (input.actions?.trimmed ?? "").isEmpty { errors["actions"] = "Some items were not done: write what will be done about them, by whom and when." }
        let typed = input.signedName?.trimmed ?? ""
        if typed.isEmpty { errors["signedName"] = "Type your full name to sign." }
        else if typed.lowercased() != actor.fullName.trimmed.lowercased() { errors["signedName"] = "Type your own name as it is on your account (\(actor.fullName))." }
        if input.confirm != "yes" { errors["confirm"] = "Confirm that the review is complete: a signed review cannot be changed." }
        guard errors.isEmpty, let start, let end else { throw ValidationFailure(errors: errors) }

        let review = AnnualReview()
        review.periodStart = ProgramCalendar.dayString(start)
        review.periodEnd = ProgramCalendar.dayString(end)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        review.checklist = String(decoding: try encoder.encode(answers), as: UTF8.self)
        review.findings = input.findings?.trimmed ?? ""
        review.actions = input.actions?.trimmed ?? ""
        review.signedName = typed
        review.$signedBy.id = try actor.requireID()
        review.signedAt = now
        try await db.writeTransaction { db in
            try await review.create(on: db)
            try await AuditLog.record(.annualReviewSigned, .program, "Review of \(review.periodStart) to \(review.periodEnd) signed by \(typed)", by: actor, on: db, now: now)
        }
        return review
    }

    /// The monthly job: while a review is due, each EEO officer is reminded once a month.
    static func remindIfDue(app: Application, now: Date = Date()) async throws -> Int {
        let last = try await latest(on: app.db)
        guard AnnualReviewChecklist.isDue(lastSigned: last?.signedAt, now: now) else { return 0 }
        let officers = try await User.query(on: app.db).filter(\.$isEEOOfficer == true).filter(\.$isActive == true).all()
        let since = last.map { "The last review was signed on \(ProgramCalendar.dayString($0.signedAt)) by \($0.signedName)." } ?? "No review has been signed yet."
        for officer in officers {
            try await Outbox.enqueue(to: officer.email, subject: "The annual EEO review of personnel practices is due",
                                     body: """
                                     Hello \(officer.fullName),

                                     29 CFR 30.9 asks the sponsor to review its personnel practices every year. \(since)

                                     Sign in and open Equal opportunity → Annual review to go through the checklist and sign it:
                                     \(app.settings.baseURL)/eeo/reviews
                                     """, on: app.db)
        }
        return officers.count
    }
}
