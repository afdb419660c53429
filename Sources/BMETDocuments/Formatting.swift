/// Numbers as the documents print them, the same on every machine (no locale).
enum Formatting {
    /// 6000 → "6,000".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    /// Hours to a tenth: 6210.5 → "6,210.5", 6000.0 → "6,000", 12.04 → "12".
    static func hours(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        let tenths = Int((value * 10).rounded())
        let whole = grouped(tenths / 10)
        let fraction = abs(tenths % 10)
        let sign = tenths < 0 && tenths / 10 == 0 ? "-" : ""
        return fraction == 0 ? sign + whole : "\(sign)\(whole).\(fraction)"
    }
}
