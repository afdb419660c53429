import Foundation

/// Dates as people read them on this U.S. site, always in UTC on the server so pages are reproducible.
enum DateText {
    static func dateTime(_ date: Date?) -> String {
        guard let date else { return "" }
        return date.formatted(.dateTime.year().month(.abbreviated).day().hour().minute().timeZone(.identifier(.short)).locale(Locale(identifier: "en_US_POSIX")))
    }

    static func iso(_ date: Date?) -> String? {
        date.map { $0.formatted(.iso8601) }
    }
}
