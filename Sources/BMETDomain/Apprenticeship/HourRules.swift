import Foundation

/// The rules of on-the-job hours as the apprentice types them: quarter hours, no day over 24 hours, no future days,
/// nothing before the start, only the program's skill sets and skills. Pure, so the web form, the API and imports
/// all refuse the same things with the same words.
public enum HourRules {
    public static let maxMinutesPerDay = 24 * 60
    /// The longest work-order reference kept with an entry.
    public static let workOrderLimit = 60

    /// Hours can be logged once the agreement is signed and until the apprenticeship ends; otherwise, why not.
    public static func refusal(for status: ApprenticeStatus) -> String? {
        switch status {
        case .probation, .active: nil
        case .pendingAgreement: "Hours can be logged once the apprenticeship agreement is signed by everyone."
        case .suspended: "The apprenticeship is suspended: no hours can be logged until it is reinstated."
        case .cancelled: "The apprenticeship was cancelled: no more hours can be logged."
        case .completed: "The apprenticeship is completed: the record is final."
        }
    }

    /// Parses "7.5", "7,5" or "7:30" into minutes; nil when it is not a positive number of quarter hours.
    public static func minutes(_ text: String?) -> Int? {
        let raw = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: ",", with: ".")
        // Int("-0") is 0, so "-0:15" would pass as 15 minutes: no sign at all is accepted.
        if raw.isEmpty || raw.contains(where: { $0 == "-" || $0 == "+" }) { return nil }
        if raw.contains(":") {
            let parts = raw.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), h >= 0, (0..<60).contains(m) else { return nil }
            let total = h * 60 + m
            return total % 15 == 0 && total > 0 ? total : nil
        }
        // One or two digits, then optionally a point and one or two digits (checked by hand: an import parses millions).
        let parts = raw.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { (0x30...0x39).contains($0) } }),
              let value = Double(raw) else { return nil }
        let total = Int((value * 60).rounded())
        guard abs(value * 60 - Double(total)) < 0.001, total % 15 == 0, total > 0 else { return nil }
        return total
    }

    /// 450 → "7.5", 480 → "8".
    public static func hoursText(_ minutes: Int) -> String {
        let hours = Double(minutes) / 60
        return hours == hours.rounded() ? String(Int(hours)) : String(format: "%g", hours)
    }

    /// Why `adding` minutes more on a day that holds `logged` would break the 24-hour day; nil when they fit.
    public static func dayLimitRefusal(day: String, logged: Int, adding: Int) -> String? {
        guard logged + adding > maxMinutesPerDay else { return nil }
        return "\(day) would have \(hoursText(logged + adding)) hours (\(hoursText(logged)) already logged); a day has at most 24."
    }

    /// One row as typed, checked against the program: the values to store, or a message by each field that is wrong.
    public struct Row: Equatable, Sendable {
        public let day: String
        public let skillSetCode: String
        public let minutes: Int
        public let description: String
        /// Distinct skill codes, sorted.
        public let skillCodes: [String]
        public let workOrder: String?
    }

    /// Checks one row; `errors` gets messages keyed by field (`date`, `skillSetCode`, `hours`, `description`, `skills`,
    /// `workOrder`) and the row comes back only when there are none.
    public static func check(date: String?, skillSetCode: String?, hours: String?, description: String?, skills: String?, workOrder: String?,
                             standards: ProgramStandards, start: Date, today: Date, descriptionLimit: Int,
                             errors: inout [String: String]) -> Row? {
        let before = errors.count
        let day = ProgramCalendar.day(date ?? "")
        if day == nil { errors["date"] = "Enter the day as YYYY-MM-DD." }
        else if let day, day > today { errors["date"] = "Hours cannot be logged for a future day." }
        else if let day, day < start { errors["date"] = "The apprenticeship starts on \(ProgramCalendar.dayString(start)); log days from then on." }
        let set = standards.skillSet(code: (skillSetCode ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        if set == nil { errors["skillSetCode"] = "Choose a skill set of your program." }
        let minutes = minutes(hours)
        if minutes == nil { errors["hours"] = "Enter the hours worked, in quarter hours (e.g. 7.5), more than 0." }
        else if let minutes, minutes > maxMinutesPerDay { errors["hours"] = "A day has at most 24 hours." }
        let text = (description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { errors["description"] = "Say what you did (e.g. PM on 6 infusion pumps)." }
        else if text.count > descriptionLimit { errors["description"] = "At most \(descriptionLimit) characters." }
        let codes = (skills ?? "").split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map { String($0).uppercased() }
        if let set, let unknown = codes.first(where: { code in !set.skills.contains { $0.code == code } }) {
            errors["skills"] = "\(unknown) is not a skill of \(set.title)."
        }
        let order = (workOrder ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if order.count > workOrderLimit { errors["workOrder"] = "A work-order reference has at most \(workOrderLimit) characters." }
        guard errors.count == before, let day, let set, let minutes else { return nil }
        return Row(day: ProgramCalendar.dayString(day), skillSetCode: set.code, minutes: minutes, description: text,
                   skillCodes: Array(Set(codes)).sorted(), workOrder: order.isEmpty ? nil : order)
    }
}
