/// Where an apprentice stands with one credential exam. Only the latest state matters for progress.
public enum CredentialStatus: String, Codable, Sendable, CaseIterable {
    /// On the training plan, no exam date yet.
    case planned
    /// An exam date is booked.
    case scheduled
    case passed
    /// The last attempt failed; the apprentice is expected to retake it.
    case failed

    public var label: String {
        switch self {
        case .planned: "Planned"
        case .scheduled: "Scheduled"
        case .passed: "Passed"
        case .failed: "Failed — retake"
        }
    }
}
