import BMETDomain
import Fluent
import SQLKit
import Vapor

/// Program outcomes for the sponsor (whole program) and employer administrators (their own apprentices only).
/// Mentors and apprentices are refused.
struct OutcomesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RoleGuard(.programAdmin, .employerAdmin))
        staff.get("reports") { req in req.redirect(to: "/reports/outcomes") }
        staff.get("reports", "outcomes", use: page)
        staff.get("reports", "outcomes", ":file", use: download)
    }

    /// The filter as typed, and the problem with it, if any.
    private func readFilter(_ req: Request) throws -> (OutcomeFilter, raw: [String: String], FieldErrors) {
        let raw = ["from": req.query[String.self, at: "from"] ?? "", "to": req.query[String.self, at: "to"] ?? "",
                   "employer": req.query[String.self, at: "employer"] ?? "", "state": (req.query[String.self, at: "state"] ?? "").uppercased()]
        var filter = OutcomeFilter()
        var errors = FieldErrors()
        switch DayRange.parse(from: raw["from"], to: raw["to"]) {
        case .success(let range): filter.range = range
        case .failure(let problem): errors[problem.field] = problem.message
        }
        if let text = raw["employer"], !text.isEmpty {
            guard let id = UUID(uuidString: text) else { throw Abort(.notFound, reason: "No employer with this id is visible to you.") }
            filter.employerID = id
        }
        if let state = raw["state"], !state.isEmpty {
            if USAddressRules.isValidState(state) { filter.state = state } else { errors["state"] = "Choose a state from the list." }
        }
        return (try Outcomes.scoped(filter, for: try req.actor), raw, errors)
    }

    private func query(_ raw: [String: String]) -> String {
        ["from", "to", "employer", "state"].compactMap { key in
            guard let value = raw[key], !value.isEmpty else { return nil }
            return key + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }.joined(separator: "&")
    }

    @Sendable func page(req: Request) async throws -> Response {
        let actor = try req.actor
        let (filter, raw, errors) = try readFilter(req)
        // A bad filter shows the form with its message and no figures: numbers for a range that makes no sense would mislead.
        let report = errors.isEmpty ? try await Outcomes.report(filter, on: req.db, mentorLimit: Self.pageRows) : OutcomeReport()
        let employers = try await Self.employerOptions(for: actor, on: req.db)
        let isProgramAdmin = actor.role == .programAdmin
        let scopeName = isProgramAdmin ? (employers.first { $0.id == filter.employerID }?.name ?? "the whole program") : (employers.first?.name ?? "your organization")
        let (shown, notes) = Self.pageSized(report)
        let t = report.total
        let view = View(
            from: raw["from"] ?? "", to: raw["to"] ?? "", employerID: raw["employer"] ?? "", state: raw["state"] ?? "",
            errors: errors,
            employers: employers.map { SelectOption(value: $0.id.uuidString, label: $0.name, selected: $0.id == filter.employerID && isProgramAdmin) },
            states: SelectOption.states(selected: filter.state),
            isProgramAdmin: isProgramAdmin, scope: scopeName,
            cards: errors.isEmpty ? [
                .init(label: "Active apprentices", value: String(t.active), note: "on probation or active now"),
                .init(label: "Registrations", value: String(t.registrations), note: "started in the range"),
                .init(label: "Completions", value: String(t.completions),
                      note: "in the range" + (report.revokedCompletions > 0 ? "; \(report.revokedCompletions) more left out: their certificate was revoked" : "")),
                .init(label: "Cancellations", value: String(t.cancellations), note: "\(t.cancelledDuringProbation) during probation, \(t.cancelledAfterProbation) after"),
                .init(label: "Completion rate (DOL)", value: Self.percentText(t.completionRate), note: "completions ÷ (completions + cancellations after probation)"),
                .init(label: "Retention", value: Self.percentText(t.retentionRate), note: "of the range's starters, leaving out probation cancellations"),
                .init(label: "Average time to completion", value: t.averageDaysToCompletion.map { String(format: "%.0f days", $0) } ?? "—", note: "start to completion"),
            ] : [],
            tables: errors.isEmpty ? OutcomeTables.all(shown, showEmployers: isProgramAdmin).map { ReportTableView($0, query: query(raw), note: notes[$0.view]) } : [])
        return try await req.render("reports/outcomes", title: "Program outcomes", view, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    /// Rows a table shows on the page; the CSV download of the same table has them all.
    static let pageRows = 25

    /// The report as the page shows it: the employers with the most active apprentices and the busiest mentors, so the
    /// page stays the same size however large the program grows. Notes say what was left out and where to find it.
    static func pageSized(_ report: OutcomeReport) -> (OutcomeReport, notes: [String: String]) {
        var shown = report
        var notes: [String: String] = [:]
        if report.employers.count > pageRows {
            shown.employers = Array(report.employers.sorted { ($0.figures.active, $1.label) > ($1.figures.active, $0.label) }.prefix(pageRows))
            notes["employers"] = "The \(pageRows) employers with the most active apprentices, of \(report.employers.count.grouped). Choose an employer above, or download the CSV for every employer."
        }
        if max(report.mentorCount, report.mentors.count) > pageRows {
            shown.mentors = Array(report.mentors.prefix(pageRows))
            notes["mentors"] = "The \(pageRows) busiest mentors, of \(max(report.mentorCount, report.mentors.count).grouped). Download the CSV for every mentor."
        }
        return (shown, notes)
    }

    struct EmployerOption: Decodable { var id: UUID; var name: String }

    /// The employers the filter offers: all of them to the sponsor, their own to an employer administrator.
    static func employerOptions(for actor: User, on db: any Database) async throws -> [EmployerOption] {
        let sql = try db.sql()
        let scope: SQLQueryString = actor.role == .programAdmin ? "" : "WHERE id = \(bind: actor.employerID ?? UUID())"
        return try await sql.raw("SELECT id, name FROM \(ident: Employer.schema) \(scope) ORDER BY name").all(decoding: EmployerOption.self)
    }

    @Sendable func download(req: Request) async throws -> Response {
        let file = req.parameters.get("file") ?? ""
        guard file.hasSuffix(".csv"), let view = OutcomeTables.views.first(where: { $0 + ".csv" == file }) else {
            throw Abort(.notFound)
        }
        let (filter, _, errors) = try readFilter(req)
        guard errors.isEmpty else { throw ValidationFailure(errors: errors, message: errors.values.sorted().joined(separator: " ")) }
        let report = try await Outcomes.report(filter, on: req.db)
        guard let table = OutcomeTables.table(view, report) else { throw Abort(.notFound) }
        return Response.csv(table.csv, name: "outcomes-\(view)")
    }

    static func percentText(_ rate: Double?) -> String {
        rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—"
    }
}
