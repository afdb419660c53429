import Foundation
import NIOConcurrencyHelpers

/// Instants as people read them: in the program's time zone (`BMET_TIME_ZONE`), named, never in UTC. Calendar days
/// (`YYYY-MM-DD`) are not instants and are shown as they are.
enum DateText {
    private static let zone = NIOLockedValueBox(TimeZone(identifier: "America/New_York")!)

    /// Set once at start-up from the settings.
    static func use(timeZone identifier: String) {
        guard let timeZone = TimeZone(identifier: identifier) else { return }
        zone.withLockedValue { $0 = timeZone }
    }

    static var timeZone: TimeZone { zone.withLockedValue { $0 } }

    static func dateTime(_ date: Date?) -> String {
        guard let date else { return "" }
        let timeZone = timeZone
        var style = Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: "en_US"))
        style.timeZone = timeZone
        return date.formatted(style) + " " + (timeZone.abbreviation(for: date) ?? timeZone.identifier)
    }
}
