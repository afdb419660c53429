import BMETDomain
import Foundation

extension WageTrigger {
    /// How a person reads the trigger on the program page.
    var summary: String {
        switch kind {
        case .start: "from the start"
        case .hours: "after \((value ?? 0).grouped) approved on-the-job hours"
        case .months: "after \(value ?? 0) months in the program"
        case .skills: "after \(value ?? 0) skills signed off as proficient"
        case .credential: "on earning the \(credential?.uppercased() ?? "named") credential"
        }
    }
}

extension Int {
    /// 6000 → "6,000", as U.S. readers expect.
    var grouped: String { formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US"))) }
}
