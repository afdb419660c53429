import Foundation

/// Dates as credentials write them: XML Schema `dateTimeStamp` in UTC with whole seconds (`2026-06-01T14:00:00Z`),
/// so that `validFrom` and the JWT `nbf` claim (whole seconds since 1970) always name the same instant.
public enum CredentialDate {
    public static func string(_ date: Date) -> String {
        wholeSeconds(date).formatted(.iso8601)
    }

    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    static func numericDate(_ date: Date) -> Int {
        Int(date.timeIntervalSince1970.rounded(.down))
    }

    /// Reads `2026-06-01T14:00:00Z`, with or without fractional seconds, and with a numeric offset too.
    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return try? fractional.parse(text)
    }
}
