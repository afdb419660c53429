import BMETDomain

extension WageTrigger {
    /// How a person reads the trigger on the program page.
    var summary: String {
        switch kind {
        case .start: "from the start"
        case .hours: "after \(value ?? 0) approved on-the-job hours"
        case .months: "after \(value ?? 0) months in the program"
        case .skills: "after \(value ?? 0) skills signed off as proficient"
        case .credential: "on earning the \(credential ?? "named") credential"
        }
    }
}
