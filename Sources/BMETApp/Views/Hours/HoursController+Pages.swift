import BMETDomain
import Fluent
import Vapor

/// The page models of `HoursController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension HoursController {
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

    static func row(_ entry: HourEntry, _ standards: ProgramStandards) -> EntryRow {
        EntryRow(id: entry.id?.uuidString ?? "", date: entry.entryDate, skillSet: standards.skillSet(code: entry.skillSetCode)?.title ?? entry.skillSetCode,
                 hours: HourRules.hoursText(entry.minutes), description: entry.description, status: entry.status.label, statusCode: entry.status.rawValue,
                 isCorrection: entry.$corrects.id != nil)
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

    func weekView(_ apprentice: Apprentice, weekStart: Date, input: WeekInput?, errors: FieldErrors, on db: any Database) async throws -> WeekView {
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
                    logged: logged.filter { $0.entryDate == dayStrings[index] }.map { "\(HourRules.hoursText($0.minutes)) h \($0.skillSetCode) (\($0.status.label.lowercased()))" },
                    skillSetCode: selected ?? "", hours: row?.hours ?? "", description: row?.description ?? "", skills: row?.skills ?? "", workOrder: row?.workOrder ?? "",
                    errors: rowErrors,
                    sets: standards.skillSets.map { SelectOption(value: $0.code, label: "\($0.code) — \($0.title)", selected: $0.code == selected) })
            },
            formError: errors["form"], hasErrors: !errors.isEmpty)
    }

    struct EntryView: Encodable {
        struct Decision: Encodable { let action: String; let comment: String; let who: String; let when: String }
        let header: RecordHeader; let heading: String
        let entry: EntryRow; let skills: String; let workOrder: String?; let loggedAt: String
        let decisions: [Decision]; let corrects: String?; let correctedBy: [EntryRow]
        let canEdit: Bool; let canCorrect: Bool; let canDecide: Bool; let canUndo: Bool
        let values: [String: String]; let sets: [SelectOption]; let errors: FieldErrors; let notice: String?
    }

    func entryView(_ entry: HourEntry, apprentice: Apprentice, actor: User, input: HourEntryInput? = nil, errors: FieldErrors = [:],
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
        let source = input ?? HourEntryInput(date: entry.entryDate, skillSetCode: entry.skillSetCode, hours: HourRules.hoursText(entry.minutes),
                                             description: entry.description, skills: entry.skillCodes.replacingOccurrences(of: ",", with: ", "), workOrder: entry.workOrder)
        return EntryView(
            header: RecordHeader(apprentice, current: .hours), heading: "Entry of \(entry.entryDate)",
            entry: Self.row(entry, standards), skills: entry.skillCodes.replacingOccurrences(of: ",", with: ", "), workOrder: entry.workOrder,
            loggedAt: DateText.dateTime(entry.createdAt),
            decisions: decisions.map { .init(action: $0.action.label, comment: $0.comment, who: $0.actor?.fullName ?? "The platform", when: DateText.dateTime($0.createdAt)) },
            corrects: entry.$corrects.id?.uuidString, correctedBy: corrections.map { Self.row($0, standards) },
            canEdit: isOwner && entry.status == .pending,
            canCorrect: isOwner && HourRules.refusal(for: apprentice.status) == nil
                && ((entry.status == .approved && !corrections.contains { $0.status == .pending }) || (entry.status == .rejected && resubmitRefusal == nil)),
            canDecide: HourLog.canDecide(actor, on: apprentice) && entry.status == .pending,
            canUndo: HourLog.canDecide(actor, on: apprentice)
                && ((entry.status == .rejected && !corrections.contains { $0.status == .pending || $0.status == .approved })
                    || (entry.status == .approved && (entry.$corrects.id == nil || originalStatus == .rejected))),
            values: ["date": source.date ?? "", "hours": source.hours ?? "", "description": source.description ?? "", "skills": source.skills ?? "", "workOrder": source.workOrder ?? ""],
            sets: standards.skillSets.map { SelectOption(value: $0.code, label: "\($0.code) — \($0.title)", selected: $0.code == source.skillSetCode) },
            errors: errors, notice: notice)
    }
}
