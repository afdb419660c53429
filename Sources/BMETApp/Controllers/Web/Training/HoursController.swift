import BMETDomain
import Fluent
import Vapor

/// The apprentice's hours: the month list, the week form, one entry with its history, edits and corrections.
struct HoursController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(RoleGuard())
        signedIn.get("apprentices", ":apprenticeID", "hours", use: list)
        signedIn.get("hours", ":entryID", use: entry)
        let apprentice = routes.grouped(RoleGuard(.apprentice))
        apprentice.get("apprentices", ":apprenticeID", "hours", "week", use: weekForm)
        apprentice.post("apprentices", ":apprenticeID", "hours", "week", use: saveWeek)
        apprentice.post("hours", ":entryID", "edit", use: edit)
        apprentice.post("hours", ":entryID", "correct", use: correct)
    }

    // MARK: Month list

    @Sendable func list(req: Request) async throws -> Response {
        struct View: Encodable {
            let header: RecordHeader; let heading: String
            let month: String; let previousMonth: String; let nextMonth: String?
            let rows: [EntryRow]; let approved: String; let pending: String; let rejected: Int
            let canLog: Bool; let logRefusal: String?; let canDecide: Bool; let saved: Int?
            let weekToApprove: WeekToApprove?
        }
        let actor = try req.actor
        let apprentice = try await req.visibleApprentice()
        let today = ProgramCalendar.today()
        let month = req.query[String.self, at: "month"].flatMap { ProgramCalendar.day($0 + "-01") }.map { String(ProgramCalendar.dayString($0).prefix(7)) }
            ?? String(ProgramCalendar.dayString(today).prefix(7))
        let first = ProgramCalendar.day(month + "-01")!
        let previous = ProgramCalendar.adding(months: -1, to: first)
        let next = ProgramCalendar.adding(months: 1, to: first)
        let entries = try await HourEntry.query(on: req.db).filter(\.$apprentice.$id == apprentice.requireID())
            .filter(\.$entryDate >= month + "-01").filter(\.$entryDate <= month + "-31").sort(\.$entryDate, .descending).sort(\.$createdAt, .descending).all()
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: req.db)
        let isOwner = actor.role == .apprentice && apprentice.$user.id == actor.id
        // Rejected entries with their reason and a one-step fix, unless a fix is already on its way.
        let rejectedIDs = entries.filter { $0.status == .rejected }.compactMap(\.id)
        var reasons: [UUID: String] = [:]
        var fixed = Set<UUID>()
        var originalStatus: [UUID: HourEntry.Status] = [:]
        if !rejectedIDs.isEmpty {
            for decision in try await HourDecision.query(on: req.db).filter(\.$entry.$id ~~ rejectedIDs).filter(\.$action == .reject).sort(\.$createdAt).all() {
                reasons[decision.$entry.id] = decision.comment
            }
            // Once only: any resubmission of a rejection, whatever became of it, ends it (the same rule as HourLog.correct).
            fixed = Set(try await HourEntry.query(on: req.db).filter(\.$corrects.$id ~~ rejectedIDs).all().compactMap { $0.$corrects.id })
            let originals = entries.filter { $0.status == .rejected }.compactMap { $0.$corrects.id }
            if !originals.isEmpty {
                for original in try await HourEntry.query(on: req.db).filter(\.$id ~~ originals).all() { if let id = original.id { originalStatus[id] = original.status } }
            }
        }
        let mayLog = isOwner && HourRules.refusal(for: apprentice.status) == nil
        let rows = entries.map { entry -> EntryRow in
            var row = Self.row(entry, standards)
            if entry.status == .rejected, let id = entry.id {
                row.rejection = reasons[id]
                if let originalID = entry.$corrects.id, originalStatus[originalID] != .rejected {
                    row.correctInstead = mayLog && originalStatus[originalID] == .approved ? "/hours/\(originalID)#correction" : nil
                } else {
                    row.canResubmit = mayLog && !fixed.contains(id)
                }
            }
            return row
        }
        var weekToApprove: WeekToApprove?
        if HourLog.canDecide(actor, on: apprentice),
           let latest = try await HourEntry.query(on: req.db).filter(\.$apprentice.$id == apprentice.requireID()).filter(\.$status == .pending).sort(\.$entryDate, .descending).first(),
           let day = ProgramCalendar.day(latest.entryDate) {
            let monday = ProgressEngine.weekStart(of: day)
            let week = try await HourEntry.query(on: req.db).filter(\.$apprentice.$id == apprentice.requireID()).filter(\.$status == .pending)
                .filter(\.$entryDate >= ProgramCalendar.dayString(monday))
                .filter(\.$entryDate <= ProgramCalendar.dayString(ProgramCalendar.adding(days: 6, to: monday))).all()
            weekToApprove = WeekToApprove(week: ProgramCalendar.dayString(monday), ids: week.compactMap { $0.id?.uuidString }, count: week.count,
                                          hours: HourRules.hoursText(week.reduce(0) { $0 + $1.minutes }))
        }
        return try await req.render("hours", title: "Hours — \(apprentice.fullName)", View(
            header: RecordHeader(apprentice, current: .hours), heading: "Hours",
            month: month, previousMonth: String(ProgramCalendar.dayString(previous).prefix(7)),
            nextMonth: next <= today ? String(ProgramCalendar.dayString(next).prefix(7)) : nil,
            rows: rows,
            approved: HourRules.hoursText(entries.filter { $0.status == .approved }.reduce(0) { $0 + $1.minutes }),
            pending: HourRules.hoursText(entries.filter { $0.status == .pending }.reduce(0) { $0 + $1.minutes }),
            rejected: entries.filter { $0.status == .rejected }.count,
            canLog: isOwner && HourRules.refusal(for: apprentice.status) == nil, logRefusal: isOwner ? HourRules.refusal(for: apprentice.status) : nil,
            canDecide: HourLog.canDecide(actor, on: apprentice), saved: req.query[Int.self, at: "saved"], weekToApprove: weekToApprove))
    }

    // MARK: Week form

    struct WeekInput: Content {
        var weekStart: String?
        var clientKey: String?
        var rows: [String: HourEntryInput]?
    }

    private static func parseWeek(_ text: String?) -> Date {
        let day = text.flatMap(ProgramCalendar.day) ?? ProgramCalendar.today()
        return ProgressEngine.weekStart(of: min(day, ProgramCalendar.today()))
    }

    @Sendable func weekForm(req: Request) async throws -> Response {
        let actor = try req.actor
        let apprentice = try await req.visibleApprentice()
        try HourLog.requireOwner(apprentice, actor)
        let week = Self.parseWeek(req.query[String.self, at: "start"])
        var errors = FieldErrors()
        if let refusal = HourRules.refusal(for: apprentice.status) { errors["form"] = refusal }
        return try await req.render("hours-week", title: "Log a week", try await weekView(apprentice, weekStart: week, input: nil, errors: errors, on: req.db))
    }

    @Sendable func saveWeek(req: Request) async throws -> Response {
        let actor = try req.actor
        let apprentice = try await req.visibleApprentice()
        let input = try req.formInput(WeekInput.self)
        let key = (input.clientKey?.trimmed.nilIfEmpty ?? UUID().uuidString).prefix(60)
        // Rows left blank are days not worked; each kept row gets a key derived from the form's, so a resubmission is stored once.
        let rows = (input.rows ?? [:]).compactMap { index, row -> (String, HourEntryInput)? in
            guard Int(index) != nil else { return nil }
            if (row.hours?.trimmed ?? "").isEmpty && (row.description?.trimmed ?? "").isEmpty { return nil }
            var keyed = row
            keyed.clientKey = "\(key)-\(index)"
            return ("rows.\(index).", keyed)
        }.sorted { $0.0 < $1.0 }
        do {
            try req.refuseFormProblems()
            let stored = try await HourLog.log(rows.map { (prefix: $0.0, input: $0.1) }, for: apprentice, by: actor, on: req.db)
            let month = stored.map(\.entryDate).max().map { String($0.prefix(7)) } ?? ""
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())/hours?month=\(month)&saved=\(stored.count)")
        } catch let failure as ValidationFailure {
            var errors = failure.errors
            if failure.status == .conflict {
                errors["form"] = "This form was already saved with other hours, so nothing was changed. Open the week again to log more hours."
            }
            return try await req.render("hours-week", title: "Log a week",
                try await weekView(apprentice, weekStart: Self.parseWeek(input.weekStart), input: input, errors: errors, on: req.db), status: failure.status)
        }
    }

    // MARK: One entry

    /// What the decision form sent back here: a refused decision names its field; a taken one has a notice.
    private static let decisionMessages: FieldErrors = [
        "comment": "Say why the hours are rejected, so the apprentice can fix them.",
        "decision": "Choose approve or reject.",
    ]

    private func load(_ req: Request) async throws -> (HourEntry, Apprentice) {
        guard let id = req.parameters.get("entryID", as: UUID.self), let entry = try await HourEntry.find(id, on: req.db) else {
            throw Abort(.notFound, reason: "No such hour entry.")
        }
        // Visible only with the apprentice's record; otherwise it does not exist for this user.
        let apprentice = try await ApprenticeRecords.find(entry.$apprentice.id, visibleTo: try req.actor, on: req.db)
        return (entry, apprentice)
    }

    @Sendable func entry(req: Request) async throws -> Response {
        let (entry, apprentice) = try await load(req)
        var errors = FieldErrors()
        if let field = req.query[String.self, at: "error"], let message = Self.decisionMessages[field] {
            // A comment refused for a control character (from the approvals form) says so, not that it is missing.
            errors[field] = req.query[String.self, at: "why"] == "characters" ? InputText.removedMessage : message
        }
        return try await req.render("hour-entry", title: "Hour entry", try await entryView(entry, apprentice: apprentice, actor: try req.actor, errors: errors,
                                    notice: req.query[String.self, at: "notice"], on: req.db), status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    @Sendable func edit(req: Request) async throws -> Response {
        let (entry, apprentice) = try await load(req)
        let input = try req.formInput(HourEntryInput.self)
        do {
            try req.refuseFormProblems()
            try await HourLog.edit(entry, input, apprentice: apprentice, by: try req.actor, on: req.db)
            return req.redirect(to: "/hours/\(try entry.requireID())")
        } catch let failure as ValidationFailure {
            let fresh = try await HourEntry.find(entry.id, on: req.db) ?? entry
            return try await req.render("hour-entry", title: "Hour entry", try await entryView(fresh, apprentice: apprentice, actor: try req.actor, input: input, errors: failure.errors, on: req.db), status: .unprocessableEntity)
        }
    }

    @Sendable func correct(req: Request) async throws -> Response {
        let (entry, apprentice) = try await load(req)
        let input = try req.formInput(HourEntryInput.self)
        do {
            try req.refuseFormProblems()
            let correction = try await HourLog.correct(entry, input, apprentice: apprentice, by: try req.actor, on: req.db)
            return req.redirect(to: "/hours/\(try correction.requireID())")
        } catch let failure as ValidationFailure {
            return try await req.render("hour-entry", title: "Hour entry", try await entryView(entry, apprentice: apprentice, actor: try req.actor, input: input, errors: failure.errors, on: req.db), status: .unprocessableEntity)
        }
    }
}
