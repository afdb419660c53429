import Foundation

/// How program outcomes are counted. The definitions follow 29 CFR 29.6 and the way RAPIDS reports them; they are
/// written out in docs/RAPIDS-EXPORT.md ("Outcome definitions") so a sponsor can check them against DOL's figures.
public enum OutcomeRules {
    /// DOL completion rate: of the apprentices who left the program in the period, the share who completed.
    /// Cancellations during probation are left out (29.6: they do not count against the sponsor).
    /// Nil when nobody left the program in the period: a rate of nothing is not zero percent.
    public static func completionRate(completions: Int, cancellationsAfterProbation: Int) -> Double? {
        let exits = completions + cancellationsAfterProbation
        return exits == 0 ? nil : Double(completions) / Double(exits)
    }

    /// Retention: of the apprentices who started in the period and passed probation (or are still in it), the share
    /// not cancelled since — still in the program or completed. Cancellations during probation are left out of both
    /// sides, as for the completion rate.
    public static func retentionRate(started: Int, cancelledDuringProbation: Int, cancelledAfterProbation: Int) -> Double? {
        let base = started - cancelledDuringProbation
        return base <= 0 ? nil : Double(base - cancelledAfterProbation) / Double(base)
    }

    /// "2026-Q1" for any day of January to March 2026; nil for text that is not a `YYYY-MM-DD` day.
    public static func quarter(ofDay day: String) -> String? {
        guard ProgramCalendar.day(day) != nil else { return nil }
        let month = Int(day.dropFirst(5).prefix(2)) ?? 1
        return "\(day.prefix(4))-Q\((month + 2) / 3)"
    }

    /// Every quarter from the one holding `first` to the one holding `last`, in order (at most `limit`, the latest kept).
    public static func quarters(from first: String, through last: String, limit: Int = 40) -> [String] {
        guard let start = quarterParts(first), let end = quarterParts(last), start <= end else { return [] }
        var result: [String] = []
        var (year, q) = (start.0, start.1)
        while (year, q) <= end {
            result.append("\(year)-Q\(q)")
            q += 1
            if q == 5 { q = 1; year += 1 }
        }
        return Array(result.suffix(limit))
    }

    private static func quarterParts(_ text: String) -> (Int, Int)? {
        if let q = quarter(ofDay: text) ?? (text.count == 7 && text.dropFirst(4).hasPrefix("-Q") ? text : nil),
           let year = Int(q.prefix(4)), let n = Int(q.suffix(1)), (1...4).contains(n) {
            return (year, n)
        }
        return nil
    }
}

/// A report's date range: both ends optional, inclusive, as calendar days. A range ending before it starts is refused.
public struct DayRange: Sendable, Equatable {
    public let from: String?
    public let to: String?

    public enum Problem: Error, Sendable, Equatable {
        case badFrom, badTo, reversed

        /// The field the message belongs beside.
        public var field: String { self == .badFrom ? "from" : "to" }
        public var message: String {
            switch self {
            case .badFrom: "Enter the start date as YYYY-MM-DD."
            case .badTo: "Enter the end date as YYYY-MM-DD."
            case .reversed: "The date range ends before it starts: choose an end date on or after the start date."
            }
        }
    }

    public init(from: String?, to: String?) {
        self.from = from
        self.to = to
    }

    /// Reads the two fields as typed; empty means open-ended.
    public static func parse(from fromText: String?, to toText: String?) -> Result<DayRange, Problem> {
        let fromText = fromText?.trimmingCharacters(in: .whitespaces) ?? ""
        let toText = toText?.trimmingCharacters(in: .whitespaces) ?? ""
        let from = fromText.isEmpty ? nil : ProgramCalendar.day(fromText)
        let to = toText.isEmpty ? nil : ProgramCalendar.day(toText)
        if !fromText.isEmpty && from == nil { return .failure(.badFrom) }
        if !toText.isEmpty && to == nil { return .failure(.badTo) }
        if let from, let to, to < from { return .failure(.reversed) }
        return .success(DayRange(from: from.map(ProgramCalendar.dayString), to: to.map(ProgramCalendar.dayString)))
    }

    public func contains(day: String) -> Bool {
        (from.map { day >= $0 } ?? true) && (to.map { day <= $0 } ?? true)
    }

    /// The first instant of `from` and the first instant after `to`, for timestamps.
    public var instants: (start: Date?, end: Date?) {
        (from.flatMap(ProgramCalendar.day),
         to.flatMap(ProgramCalendar.day).flatMap { ProgramCalendar.calendar.date(byAdding: .day, value: 1, to: $0) })
    }

    public func contains(instant: Date) -> Bool {
        let (start, end) = instants
        return (start.map { instant >= $0 } ?? true) && (end.map { instant < $0 } ?? true)
    }
}
