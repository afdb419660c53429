/// Numbers and lists as progress messages show them: thousands separators, at most one decimal, no trailing
/// `.0`, and the same on every machine (Foundation's formatters follow the locale).
enum ProgressText {
    /// A count of tenths, e.g. `12345` → `1,234.5`, `40000` → `4,000`.
    static func tenths(_ tenths: Int) -> String {
        let sign = tenths < 0 ? "-" : ""
        let magnitude = abs(tenths)
        let whole = MessageFormat.count(magnitude / 10)
        let fraction = magnitude % 10
        return sign + whole + (fraction == 0 ? "" : ".\(fraction)")
    }

    /// Hours from minutes, rounded up to a tenth: what is still missing never shows as less than it is.
    static func hours(minutesRoundedUp minutes: Int) -> String {
        tenths(minutes >= 0 ? (minutes + 5) / 6 : -(-minutes / 6))
    }

    /// `1 more hour`, `0.5 more hours`, `1,250 more hours`, rounded up like ``hours(minutesRoundedUp:)``.
    static func moreHours(minutes: Int, _ qualifier: String = "") -> String {
        let shown = hours(minutesRoundedUp: minutes)
        let noun = shown == "1" ? "hour" : "hours"
        return "\(shown) more \(qualifier.isEmpty ? "" : qualifier + " ")\(noun)"
    }

    /// Hours from minutes, rounded down to a tenth: what is done never shows as more than it is.
    static func hours(minutesRoundedDown minutes: Int) -> String {
        tenths(minutes >= 0 ? minutes / 6 : -((-minutes + 5) / 6))
    }

    /// Any number, rounded to the nearest tenth.
    static func number(_ value: Double) -> String {
        tenths(Int((value * 10).rounded()))
    }

    /// `1 skill`, `12 skills`.
    static func counted(_ count: Int, _ one: String, _ many: String) -> String {
        "\(MessageFormat.count(count)) \(count == 1 ? one : many)"
    }

    /// `A, B, C, D, E and 7 more`: enough to act on without flooding a page.
    static func list(_ items: [String], limit: Int = 5) -> String {
        guard items.count > limit else { return items.joined(separator: ", ") }
        return items.prefix(limit).joined(separator: ", ") + " and \(items.count - limit) more"
    }
}
