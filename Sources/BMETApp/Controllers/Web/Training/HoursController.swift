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

    struct EntryRow: Encodable {
        let id: String; let date: String; let skillSet: String; let hours: String; let description: String
        let status: String; let statusCode: String; let isCorrection: Bool
        /// For a rejected entry: the mentor's reason, and whether the owner may still fix and resubmit it (or, for a
        /// rejected correction of approved hours, the entry to correct again).
        var rejection: String? = nil
        var canResubmit = false
        var correctInstead: String? = nil
    }

    /// The latest week with entries waiting, offered to the mentor as one approval from the apprentice's own page.
    struct WeekToApprove: Encodable { let week: String; let ids: [String]; let count: Int; let hours: String }

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
        let mayLog = isOwner && HourLog.refusal(for: apprentice.status) == nil
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
                                          hours: HourLog.hoursText(week.reduce(0) { $0 + $1.minutes }))
        }
        return try await req.render("hours", title: "Hours — \(apprentice.fullName)", View(
            header: RecordHeader(apprentice, current: .hours), heading: "Hours",
            month: month, previousMonth: String(ProgramCalendar.dayString(previous).prefix(7)),
            nextMonth: next <= today ? String(ProgramCalendar.dayString(next).prefix(7)) : nil,
            rows: rows,
            approved: HourLog.hoursText(entries.filter { $0.status == .approved }.reduce(0) { $0 + $1.minutes }),
            pending: HourLog.hoursText(entries.filter { $0.status == .pending }.reduce(0) { $0 + $1.minutes }),
            rejected: entries.filter { $0.status == .rejected }.count,
            canLog: isOwner && HourLog.refusal(for: apprentice.status) == nil, logRefusal: isOwner ? HourLog.refusal(for: apprentice.status) : nil,
            canDecide: HourLog.canDecide(actor, on: apprentice), saved: req.query[Int.self, at: "saved"], weekToApprove: weekToApprove))
    }

    static func row(_ entry: HourEntry, _ standards: ProgramStandards) -> EntryRow {
        EntryRow(id: entry.id?.uuidString ?? "", date: entry.entryDate, skillSet: standards.skillSet(code: entry.skillSetCode)?.title ?? entry.skillSetCode,
                 hours: HourLog.hoursText(entry.minutes), description: entry.description, status: entry.status.label, statusCode: entry.status.rawValue,
                 isCorrection: entry.$corrects.id != nil)
    }

    // MARK: Week form

    struct WeekInput: Content {
        var weekStart: String?
        var clientKey: String?
        var rows: [String: HourEntryInput]?
    }

    struct WeekView: Encodable {
        struct Day: Encodable {
            let index: Int; let date: String; let label: String; let isOpen: Bool; let logged: [String]
            let skillSetCode: String; let hours: String; let description: String; let skills: String; let workOrder: String
            let errors: FieldErrors; let sets: [SelectOption]
        }
        let header: RecordHeader; let heading: String
        let weekStart: String; let previousWeek: String; let nextWeek: String?
        let clientKey: String; let days: [Day]; let formError: String?; let hasErrors: Bool
    }

    private func weekView(_ apprentice: Apprentice, weekStart: Date, input: WeekInput?, errors: FieldErrors, on db: any Database) async throws -> WeekView {
        let today = ProgramCalendar.today()
        let start = ProgramCalendar.day(apprentice.startDate) ?? today
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        let days = (0..<7).map { ProgramCalendar.adding(days: $0, to: weekStart) }
        let dayStrings = days.map(ProgramCalendar.dayString)
        let logged = try await HourEntry.query(on: db).filter(\.$apprentice.$id == apprentice.requireID())
            .filter(\.$entryDate ~~ dayStrings).filter(\.$status ~~ [.pending, .approved, .rejected]).all()
        // Preselect the skill set used most recently, so a routine week is mostly typing hours.
        let recent = try await HourEntry.query(on: db).filter(\.$apprentice.$id == apprentice.requireID()).sort(\.$createdAt, .descending).first()?.skillSetCode
        var style = Date.FormatStyle(locale: Locale(identifier: "en_US")).weekday(.abbreviated).month(.abbreviated).day()
        style.timeZone = TimeZone(identifier: "UTC")!
        let previous = ProgramCalendar.adding(days: -7, to: weekStart)
        let next = ProgramCalendar.adding(days: 7, to: weekStart)
        return WeekView(
            header: RecordHeader(apprentice, current: .hours), heading: "Log a week",
            weekStart: ProgramCalendar.dayString(weekStart), previousWeek: ProgramCalendar.dayString(previous),
            nextWeek: next <= today ? ProgramCalendar.dayString(next) : nil,
            clientKey: input?.clientKey ?? UUID().uuidString,
            days: days.enumerated().map { index, day in
                let row = input?.rows?[String(index)]
                let prefix = "rows.\(index)."
                var rowErrors = FieldErrors()
                for (key, message) in errors where key.hasPrefix(prefix) { rowErrors[String(key.dropFirst(prefix.count))] = message }
                let selected = row?.skillSetCode ?? recent ?? standards.skillSets.first?.code
                return WeekView.Day(
                    index: index, date: dayStrings[index], label: day.formatted(style), isOpen: day <= today && day >= start,
                    logged: logged.filter { $0.entryDate == dayStrings[index] }.map { "\(HourLog.hoursText($0.minutes)) h \($0.skillSetCode) (\($0.status.label.lowercased()))" },
                    skillSetCode: selected ?? "", hours: row?.hours ?? "", description: row?.description ?? "", skills: row?.skills ?? "", workOrder: row?.workOrder ?? "",
                    errors: rowErrors,
                    sets: standards.skillSets.map { SelectOption(value: $0.code, label: "\($0.code) — \($0.title)", selected: $0.code == selected) })
            },
            formError: errors["form"], hasErrors: !errors.isEmpty)
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
        if let refusal = HourLog.refusal(for: apprentice.status) { errors["form"] = refusal }
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

    struct EntryView: Encodable {
        struct Decision: Encodable { let action: String; let comment: String; let who: String; let when: String }
        let header: RecordHeader; let heading: String
        let entry: EntryRow; let skills: String; let workOrder: String?; let loggedAt: String
        let decisions: [Decision]; let corrects: String?; let correctedBy: [EntryRow]
        let canEdit: Bool; let canCorrect: Bool; let canDecide: Bool; let canUndo: Bool
        let values: [String: String]; let sets: [SelectOption]; let errors: FieldErrors; let notice: String?
    }

    private func entryView(_ entry: HourEntry, apprentice: Apprentice, actor: User, input: HourEntryInput? = nil, errors: FieldErrors = [:],
                           notice: String? = nil, on db: any Database) async throws -> EntryView {
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        let id = try entry.requireID()
        let decisions = try await HourDecision.query(on: db).filter(\.$entry.$id == id).with(\.$actor).sort(\.$createdAt).all()
        let corrections = try await HourEntry.query(on: db).filter(\.$corrects.$id == id).sort(\.$createdAt).all()
        let isOwner = actor.role == .apprentice && apprentice.$user.id == actor.id
        let resubmitRefusal = entry.status == .rejected ? try await HourLog.resubmitRefusal(entry, on: db) : nil
        // Undo is offered where the decision code allows it: not for a rejection already resubmitted, not for an approved
        // correction of approved hours; an approved fix of rejected hours can be undone.
        let originalStatus = try await entry.$corrects.id.asyncMap { try await HourEntry.find($0, on: db)?.status } ?? nil
        let source = input ?? HourEntryInput(date: entry.entryDate, skillSetCode: entry.skillSetCode, hours: HourLog.hoursText(entry.minutes),
                                             description: entry.description, skills: entry.skillCodes.replacingOccurrences(of: ",", with: ", "), workOrder: entry.workOrder)
        return EntryView(
            header: RecordHeader(apprentice, current: .hours), heading: "Entry of \(entry.entryDate)",
            entry: Self.row(entry, standards), skills: entry.skillCodes.replacingOccurrences(of: ",", with: ", "), workOrder: entry.workOrder,
            loggedAt: DateText.dateTime(entry.createdAt),
            decisions: decisions.map { .init(action: $0.action.label, comment: $0.comment, who: $0.actor?.fullName ?? "The platform", when: DateText.dateTime($0.createdAt)) },
            corrects: entry.$corrects.id?.uuidString, correctedBy: corrections.map { Self.row($0, standards) },
            canEdit: isOwner && entry.status == .pending,
            canCorrect: isOwner && HourLog.refusal(for: apprentice.status) == nil
                && ((entry.status == .approved && !corrections.contains { $0.status == .pending }) || (entry.status == .rejected && resubmitRefusal == nil)),
            canDecide: HourLog.canDecide(actor, on: apprentice) && entry.status == .pending,
            canUndo: HourLog.canDecide(actor, on: apprentice)
                && ((entry.status == .rejected && !corrections.contains { $0.status == .pending || $0.status == .approved })
                    || (entry.status == .approved && (entry.$corrects.id == nil || originalStatus == .rejected))),
            values: ["date": source.date ?? "", "hours": source.hours ?? "", "description": source.description ?? "", "skills": source.skills ?? "", "workOrder": source.workOrder ?? ""],
            sets: standards.skillSets.map { SelectOption(value: $0.code, label: "\($0.code) — \($0.title)", selected: $0.code == source.skillSetCode) },
            errors: errors, notice: notice)
    }

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
