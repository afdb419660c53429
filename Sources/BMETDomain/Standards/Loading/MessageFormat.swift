/// Numbers as issue messages show them, the same on every machine (Foundation's formatters follow the locale).
enum MessageFormat {
    /// `4,000`
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// `2` rather than `2.0`; `7.5` stays `7.5`.
    static func number(_ value: Double) -> String {
        if let integer = Int(exactly: value) { return String(integer) }
        return String(value)
    }
}
