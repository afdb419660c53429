import Foundation

/// Dates as people read them on this U.S. site, always in UTC on the server so pages are reproducible.
enum DateText {
    static func dateTime(_ date: Date?) -> String {
        guard let date else { return "" }
        var style = Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: "en_US"))
        style.timeZone = TimeZone(identifier: "UTC")!
        return date.formatted(style) + " UTC"
    }
}
