import Foundation

/// Dates of an apprenticeship, computed in whole calendar days so they never depend on a time zone.
public enum ProgramCalendar {
    /// Gregorian in UTC: registration dates are calendar dates, not instants.
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The last day of the probationary period: `months` after the start, minus one day.
    public static func probationEnd(start: Date, months: Int) -> Date {
        let end = calendar.date(byAdding: .month, value: months, to: start) ?? start
        return calendar.date(byAdding: .day, value: -1, to: end) ?? end
    }

    /// The expected end of the term.
    public static func termEnd(start: Date, months: Int) -> Date {
        probationEnd(start: start, months: months)
    }

    /// Whole years between a birth date and a day.
    public static func age(birthDate: Date, on day: Date) -> Int {
        calendar.dateComponents([.year], from: birthDate, to: day).year ?? 0
    }

    /// Parses `YYYY-MM-DD`; impossible dates such as 2026-02-30 give nil.
    public static func day(_ text: String) -> Date? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              let date = calendar.date(from: DateComponents(year: year, month: month, day: day))
        else { return nil }
        // The calendar rolls 2026-02-30 over to March; such a date was impossible.
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        return date
    }

    public static func dayString(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return padded(c.year ?? 0, 4) + "-" + padded(c.month ?? 0, 2) + "-" + padded(c.day ?? 0, 2)
    }

    /// `days` calendar days after `date` (before it when negative). Gregorian arithmetic in UTC cannot fail for the
    /// dates a program holds; should Foundation ever refuse, the day count is applied as whole days of 86,400 s.
    public static func adding(days: Int, to date: Date) -> Date {
        calendar.date(byAdding: .day, value: days, to: date) ?? date.addingTimeInterval(Double(days) * 86_400)
    }

    /// `months` calendar months after `date` (the last day of a shorter month when the day does not exist in it).
    public static func adding(months: Int, to date: Date) -> Date {
        calendar.date(byAdding: .month, value: months, to: date) ?? adding(days: months * 30, to: date)
    }

    public static func adding(years: Int, to date: Date) -> Date { adding(months: years * 12, to: date) }

    /// Today's calendar date in UTC.
    public static func today(_ now: Date = Date()) -> Date {
        calendar.startOfDay(for: now)
    }
}
