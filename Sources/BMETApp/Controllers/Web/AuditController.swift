import BMETDomain
import Fluent
import Vapor

/// The sponsor's view of the audit log: newest first, filtered by action, person, record and dates.
struct AuditController: RouteCollection {
    static let pageSize = 50

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RoleGuard(.programAdmin)).get("audit", use: list)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let actionText = req.query[String.self, at: "action"] ?? ""
        let who = req.query[String.self, at: "who"]?.trimmed ?? ""
        let subject = req.query[String.self, at: "subject"]?.trimmed ?? ""
        let fromText = req.query[String.self, at: "from"]?.trimmed ?? ""
        let toText = req.query[String.self, at: "to"]?.trimmed ?? ""
        let before = req.query[Int.self, at: "before"]

        var error: String?
        let from = fromText.isEmpty ? nil : ProgramCalendar.day(fromText)
        let to = toText.isEmpty ? nil : ProgramCalendar.day(toText)
        if (!fromText.isEmpty && from == nil) || (!toText.isEmpty && to == nil) { error = "Enter dates as YYYY-MM-DD." }
        else if let from, let to, to < from { error = "The date range ends before it starts." }

        var rows: [AuditEntry] = []
        if error == nil {
            let query = AuditEntry.query(on: req.db).sort(\.$seq, .descending).limit(Self.pageSize + 1)
            if let action = AuditAction(rawValue: actionText) { query.filter(\.$action == action.rawValue) }
            if !who.isEmpty { query.filter(\.$actor, Search.containsOperator(on: req.db), Search.pattern(who)) }
            if !subject.isEmpty { query.filter(\.$subjectID == subject) }
            // Timestamps are ISO 8601 text in UTC, so day boundaries compare as strings.
            if !fromText.isEmpty, from != nil { query.filter(\.$occurredAt >= fromText) }
            if let to, let next = ProgramCalendar.calendar.date(byAdding: .day, value: 1, to: to) {
                query.filter(\.$occurredAt < ProgramCalendar.dayString(next))
            }
            if let before { query.filter(\.$seq < before) }
            rows = try await query.all()
        }
        let hasOlder = rows.count > Self.pageSize
        let shown = Array(rows.prefix(Self.pageSize))

        func link(before: Int?) -> String {
            var items = [URLQueryItem]()
            if !actionText.isEmpty { items.append(.init(name: "action", value: actionText)) }
            if !who.isEmpty { items.append(.init(name: "who", value: who)) }
            if !subject.isEmpty { items.append(.init(name: "subject", value: subject)) }
            if !fromText.isEmpty { items.append(.init(name: "from", value: fromText)) }
            if !toText.isEmpty { items.append(.init(name: "to", value: toText)) }
            if let before { items.append(.init(name: "before", value: String(before))) }
            var components = URLComponents()
            components.path = "/audit"
            components.queryItems = items.isEmpty ? nil : items
            return components.string ?? "/audit"
        }

        let view = View(
            rows: shown.map { entry in
                Row(seq: entry.seq, when: entry.occurredAt.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC"),
                    actor: entry.actor, action: AuditAction(rawValue: entry.action)?.label ?? entry.action, summary: entry.summary,
                    ip: entry.ipAddress ?? "", subjectHref: Self.href(type: entry.subjectType, id: entry.subjectID))
            },
            actions: AuditAction.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == actionText) },
            who: who, subject: subject, from: fromText, to: toText, error: error,
            olderHref: hasOlder ? link(before: shown.last?.seq) : nil,
            newestHref: before == nil ? nil : link(before: nil))
        return try await req.render("audit", title: "Audit log", view)
    }

    /// Where the record an entry is about can be seen.
    static func href(type: String, id: String?) -> String? {
        guard let id else { return nil }
        return switch type {
        case "apprentice": "/apprentices/\(id)"
        case "applicant": "/applicants/\(id)"
        case "employer": "/employers/\(id)"
        case "credential": "/verify/\(id)"
        default: nil
        }
    }
}
