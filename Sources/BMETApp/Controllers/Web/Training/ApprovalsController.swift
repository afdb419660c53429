import BMETDomain
import Fluent
import SQLKit
import Vapor

/// The mentor's approval queue (one by one or in bulk, with a confirmation and undo), and closing months for payroll.
struct ApprovalsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let mentors = routes.grouped(RoleGuard(.mentor))
        mentors.get("approvals", use: queue)
        mentors.post("approvals", "decide", use: decide)
        let managers = routes.grouped(RoleGuard(.employerAdmin))
        managers.get("hours", "months", use: months)
        managers.post("hours", "months", use: lockMonth)
    }

    /// Rows grouped by apprentice and week, apprentices by name, weeks and days in order.
    static func groups(_ rows: [QueueRow]) -> [QueueGroup] {
        var order: [String] = []
        var byKey: [String: [QueueRow]] = [:]
        let sorted = rows.sorted { ($0.apprentice, $0.apprenticeID, $0.date) < ($1.apprentice, $1.apprenticeID, $1.date) }
        for row in sorted {
            let week = ProgramCalendar.day(row.date).map { ProgramCalendar.dayString(ProgressEngine.weekStart(of: $0)) } ?? row.date
            let key = row.apprenticeID + "|" + week
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(row)
        }
        return order.map { key in
            let rows = byKey[key] ?? []
            let minutes = rows.reduce(0) { $0 + $1.minutes }
            return QueueGroup(key: key, apprentice: rows.first?.apprentice ?? "", apprenticeID: rows.first?.apprenticeID ?? "",
                              week: String(key.split(separator: "|").last ?? ""), count: rows.count, hours: HourRules.hoursText(minutes),
                              ids: rows.map(\.id), rows: rows)
        }
    }

    /// The queue's filter: one apprentice, one week (its Monday), or both.
    struct QueueFilter: Equatable {
        var apprenticeID: UUID?
        var week: Date?

        init(apprentice: String?, week: String?) {
            apprenticeID = apprentice.flatMap(UUID.init(uuidString:))
            self.week = week.flatMap(ProgramCalendar.day).map(ProgressEngine.weekStart(of:))
        }
    }

    /// The most pending entries one page of the queue shows; the rest wait for the next page (the oldest come first).
    static let queueLimit = 100

    /// Pending entries of apprentices at the mentor's employer, oldest first, at most `limit`, selected by a join in
    /// SQL rather than a list of every apprentice id.
    static func pending(for mentor: User, limit: Int? = nil, filter: QueueFilter? = nil, on db: any Database) async throws -> [HourEntry] {
        // The employer's apprentice ids first (an indexed read of one employer), then their pending entries through the
        // (apprentice, status, day) index: a join let SQLite walk every pending entry of the program instead.
        var apprenticeIDs = try await Apprentice.query(on: db).filter(\.$employer.$id == (mentor.employerID ?? UUID())).all(\.$id)
        if let only = filter?.apprenticeID { apprenticeIDs = apprenticeIDs.filter { $0 == only } }
        guard !apprenticeIDs.isEmpty else { return [] }
        let query = HourEntry.query(on: db).filter(\.$apprentice.$id ~~ apprenticeIDs).filter(\.$status == .pending)
            .with(\.$apprentice).sort(\.$entryDate).sort(\.$createdAt).sort(\.$id)
        if let week = filter?.week {
            query.filter(\.$entryDate >= ProgramCalendar.dayString(week))
                .filter(\.$entryDate <= ProgramCalendar.dayString(ProgramCalendar.adding(days: 6, to: week)))
        }
        if let limit { query.limit(limit) }
        return try await query.all().filter { HourLog.canDecide(mentor, on: $0.apprentice) }
    }

    /// How many entries wait at the mentor's employer, and their minutes, counted in SQL.
    static func pendingTotals(for mentor: User, on db: any Database) async throws -> (entries: Int, minutes: Int) {
        let sql = try db.sql()
        struct Totals: Decodable { var entries: Int; var minutes: Int? }
        // "IN (the employer's apprentices)", not a join, so the (apprentice, status) index is used per apprentice.
        let totals = try await sql.raw("""
            SELECT COUNT(*) AS entries, CAST(SUM(minutes) AS BIGINT) AS minutes FROM \(ident: HourEntry.schema)
            WHERE apprentice_id IN (SELECT id FROM \(ident: Apprentice.schema) WHERE employer_id = \(bind: mentor.employerID ?? UUID()))
            AND status = \(bind: HourEntry.Status.pending.rawValue)
            """).first(decoding: Totals.self)
        return (totals?.entries ?? 0, totals?.minutes ?? 0)
    }

    private static func rows(_ entries: [HourEntry], on db: any Database) async throws -> [QueueRow] {
        var standardsByVersion: [UUID: ProgramStandards] = [:]
        var rows: [QueueRow] = []
        for entry in entries {
            let versionID = entry.apprentice.$programVersion.id
            if standardsByVersion[versionID] == nil { standardsByVersion[versionID] = try await StandardsLibrary.standards(ofVersion: versionID, on: db) }
            rows.append(QueueRow(id: entry.id?.uuidString ?? "", apprentice: entry.apprentice.fullName, apprenticeID: entry.$apprentice.id.uuidString,
                                 date: entry.entryDate, skillSet: standardsByVersion[versionID]?.skillSet(code: entry.skillSetCode)?.title ?? entry.skillSetCode,
                                 hours: HourRules.hoursText(entry.minutes), description: entry.description, isCorrection: entry.$corrects.id != nil,
                                 status: entry.status.label, statusCode: entry.status.rawValue,
                                 skills: entry.skillCodeList.joined(separator: ", "), workOrder: entry.workOrder ?? "", minutes: entry.minutes))
        }
        return rows
    }

    @Sendable func queue(req: Request) async throws -> Response {
        try await renderQueue(req, notice: req.query[String.self, at: "notice"], errors: [:])
    }

    /// `selected`: the entries the mentor had ticked, kept when the page comes back with an error (nil: all ticked).
    private func renderQueue(_ req: Request, notice: String?, errors: FieldErrors, selected: Set<UUID>? = nil, comment: String = "",
                             status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        let filter = QueueFilter(apprentice: req.query[String.self, at: "apprentice"], week: req.query[String.self, at: "week"])
        let pending = try await Self.pending(for: actor, limit: Self.queueLimit, filter: filter, on: req.db)
        // Filter choices from what waits (unfiltered, the same page-sized read).
        let everything = filter == QueueFilter(apprentice: nil, week: nil) ? pending : try await Self.pending(for: actor, limit: Self.queueLimit, on: req.db)
        var names: [UUID: String] = [:]
        for entry in everything { names[entry.$apprentice.id] = entry.apprentice.fullName }
        let weekStarts = Set(everything.compactMap { ProgramCalendar.day($0.entryDate).map(ProgressEngine.weekStart(of:)) }).sorted()
        let totals = try await Self.pendingTotals(for: actor, on: req.db)
        // What this mentor decided lately, so a slip can be undone right here.
        // A bulk approval gives many decisions the same instant: read a wider window, then keep the newest days.
        let decided = try await HourDecision.query(on: req.db).filter(\.$actor.$id == actor.requireID()).filter(\.$action ~~ [.approve, .reject])
            .sort(\.$createdAt, .descending).limit(500).all()
        // By id only, the state checked here: with "status IN (…)" in the statement SQLite walked the status index
        // (millions of decided entries) instead of the few hundred primary keys.
        let recentEntries = try await HourEntry.query(on: req.db).filter(\.$id ~~ decided.map { $0.$entry.id }).with(\.$apprentice).all()
            .filter { [.approved, .rejected].contains($0.status) && HourLog.canDecide(actor, on: $0.apprentice) }
            .sorted { ($0.entryDate, $0.createdAt) > ($1.entryDate, $1.createdAt) }.prefix(20)
        var rows = try await Self.rows(pending, on: req.db)
        if let selected { for index in rows.indices { rows[index].selected = UUID(uuidString: rows[index].id).map(selected.contains) ?? false } }
        return try await req.render("approvals", title: "Approvals", QueueView(
            apprentices: names.sorted { $0.value < $1.value }.map { SelectOption(value: $0.key.uuidString, label: $0.value, selected: $0.key == filter.apprenticeID) },
            weeks: weekStarts.map { SelectOption(value: ProgramCalendar.dayString($0), label: "Week of \(ProgramCalendar.dayString($0))", selected: $0 == filter.week) },
            filtered: filter != QueueFilter(apprentice: nil, week: nil),
            rows: rows, groups: Self.groups(rows), recent: try await Self.rows(Array(recentEntries), on: req.db),
            total: HourRules.hoursText(totals.minutes), waiting: totals.entries, comment: comment, notice: notice, errors: errors), status: status)
    }

    struct DecideInput: Content {
        var entries: [UUID]?
        var decision: String?
        var comment: String?
        var confirmed: String?
        /// The second, explicit confirmation for old entries or a large batch.
        var acknowledged: String?
        /// Set by the form on an entry's own page, so an error is shown there rather than in the queue.
        var returnTo: String?
    }

    /// What makes approving this batch worth a second, explicit confirmation, with the standards' limits (the strictest
    /// of the apprentices' program versions).
    static func warnings(for entries: [HourEntry], today: Date = ProgramCalendar.today(), on db: any Database) async throws -> [String] {
        var limits = ApprovalLimits.standard
        var first = true
        for versionID in Set(entries.map { $0.apprentice.$programVersion.id }) {
            let own = try await StandardsLibrary.standards(ofVersion: versionID, on: db).approvals
            limits = first ? own : ApprovalLimits(confirmOlderThanDays: min(limits.confirmOlderThanDays, own.confirmOlderThanDays),
                                                  confirmBatchOverHours: min(limits.confirmBatchOverHours, own.confirmBatchOverHours))
            first = false
        }
        var warnings: [String] = []
        let oldest = ProgramCalendar.adding(days: -limits.confirmOlderThanDays, to: today)
        let old = entries.filter { (ProgramCalendar.day($0.entryDate) ?? today) < oldest }
        if !old.isEmpty {
            let days = old.map(\.entryDate).sorted()
            warnings.append("\(old.count) entr\(old.count == 1 ? "y is" : "ies are") more than \(limits.confirmOlderThanDays) days old (\(days.first!)\(days.count > 1 ? " to \(days.last!)" : "")). Check them against the timesheet or work orders.")
        }
        let minutes = entries.reduce(0) { $0 + $1.minutes }
        if minutes > limits.confirmBatchOverHours * 60 {
            warnings.append("This batch is \(HourRules.hoursText(minutes)) hours, more than \(limits.confirmBatchOverHours). Make sure every day really was worked.")
        }
        return warnings
    }

    @Sendable func decide(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.formInput(DecideInput.self)
        let ids = input.entries ?? []
        // Errors go back where the form was: the entry's page, or the queue with the same boxes ticked.
        let entryPage = input.returnTo.flatMap { path -> String? in
            path.range(of: #"^/hours/[0-9A-Fa-f-]{36}$"#, options: .regularExpression) != nil ? path : nil
        }
        func refuse(_ errors: FieldErrors) async throws -> Response {
            if let entryPage {
                let field = errors.keys.sorted().first ?? "decision"
                let why = errors[field] == InputText.removedMessage ? "&why=characters" : ""
                return req.redirect(to: entryPage + "?error=\(field)" + why)
            }
            return try await renderQueue(req, notice: nil, errors: errors, selected: Set(ids), comment: input.comment ?? "", status: .unprocessableEntity)
        }
        do {
            try req.refuseFormProblems()
        } catch let failure as ValidationFailure {
            return try await refuse(failure.errors)
        }
        guard let decision = input.decision.flatMap(HourLog.Decision.init(rawValue:)) else {
            return try await refuse(["decision": "Choose approve or reject."])
        }
        if ids.isEmpty { return try await refuse(["entries": "Tick at least one entry."]) }
        if decision == .reject && (input.comment?.trimmed ?? "").isEmpty {
            return try await refuse(["comment": "Say why the hours are rejected, so the apprentice can fix them."])
        }
        // More than one entry asks for a confirmation first: a bulk decision should never be a slip. Approving old
        // entries or a large batch asks, on that page, for an explicit tick as well.
        if decision != .undo {
            let entries = try await HourEntry.query(on: req.db).filter(\.$id ~~ ids).with(\.$apprentice).all().filter { HourLog.canDecide(actor, on: $0.apprentice) }
                .sorted { ($0.entryDate, $0.createdAt) < ($1.entryDate, $1.createdAt) }
            let warnings = decision == .approve && entries.count == Set(ids).count ? try await Self.warnings(for: entries, on: req.db) : []
            let confirmed = input.confirmed == "1"
            let acknowledged = input.acknowledged?.trimmed == "yes"
            if (ids.count > 1 || !warnings.isEmpty) && (!confirmed || (!warnings.isEmpty && !acknowledged)) {
                guard entries.count == Set(ids).count else { throw Abort(.notFound, reason: "Some of these entries are not waiting for you.") }
                return try await req.render("approvals-confirm", title: "Confirm", ConfirmView(
                    decision: decision.rawValue, verb: decision == .approve ? "Approve" : "Reject", comment: input.comment ?? "",
                    ids: entries.compactMap { $0.id?.uuidString }, count: entries.count, hours: HourRules.hoursText(entries.reduce(0) { $0 + $1.minutes }),
                    apprentices: Set(entries.map { $0.$apprentice.id }).count, rows: try await Self.rows(entries, on: req.db),
                    warnings: warnings, acknowledgementError: confirmed && !warnings.isEmpty ? "Tick the box to confirm you checked these entries." : nil),
                    status: confirmed ? .unprocessableEntity : .ok)
            }
        }
        do {
            let result = try await HourLog.decide(ids, decision, comment: input.comment, by: actor, on: req.db)
            let verb = switch decision { case .approve: "approved"; case .reject: "rejected"; case .undo: "back in the queue" }
            var notice = "\(result.decided.count) entr\(result.decided.count == 1 ? "y" : "ies") \(verb)."
            if !result.skipped.isEmpty {
                notice += " \(result.skipped.count) skipped: " + result.skipped.map { "\($0.entry.entryDate) (\($0.reason))" }.joined(separator: "; ") + "."
            }
            return req.redirect(to: (entryPage ?? "/approvals") + "?notice=" + (notice.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        } catch let failure as ValidationFailure {
            return try await refuse(failure.errors)
        }
    }

    // MARK: Payroll months

    @Sendable func months(req: Request) async throws -> Response {
        try await renderMonths(req, errors: [:], notice: nil)
    }

    private func renderMonths(_ req: Request, errors: FieldErrors, notice: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        let locks = try await HourPeriodLock.query(on: req.db).filter(\.$employer.$id == (actor.employerID ?? UUID())).with(\.$lockedBy).all()
        let today = ProgramCalendar.today()
        let months = (0..<12).map { String(ProgramCalendar.dayString(ProgramCalendar.adding(months: -$0, to: today)).prefix(7)) }
        return try await req.render("hour-months", title: "Payroll months", MonthsView(
            months: months.map { month in
                let lock = locks.first { $0.month == month }
                return .init(month: month, locked: lock != nil, lockedBy: lock?.lockedBy.fullName, when: lock.map { DateText.dateTime($0.lockedAt) })
            }, errors: errors, notice: notice), status: status)
    }

    @Sendable func lockMonth(req: Request) async throws -> Response {
        struct Input: Content { var month: String? }
        let actor = try req.actor
        let month = try req.formInput(Input.self).month ?? ""
        do {
            try req.refuseFormProblems()
            try await HourLog.lockMonth(month, employerID: actor.employerID ?? UUID(), by: actor, on: req.db)
            return try await renderMonths(req, errors: [:], notice: "\(month) is closed: its approvals and rejections are final.")
        } catch let failure as ValidationFailure {
            return try await renderMonths(req, errors: failure.errors, notice: nil, status: .unprocessableEntity)
        }
    }
}
