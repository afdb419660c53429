/// Where an apprentice stands in the program. RAPIDS knows active, suspended, cancelled/exited and completed;
/// the platform adds the period before the agreement is signed and the probationary period.
public enum ApprenticeStatus: String, Codable, Sendable, CaseIterable {
    /// Registered, but the apprenticeship agreement is not yet signed by all three parties.
    case pendingAgreement = "pending_agreement"
    case probation
    case active
    case suspended
    case cancelled
    /// Final (DOL): nothing changes after completion.
    case completed

    public var label: String {
        switch self {
        case .pendingAgreement: "Awaiting agreement signatures"
        case .probation: "Probation"
        case .active: "Active"
        case .suspended: "Suspended"
        case .cancelled: "Cancelled"
        case .completed: "Completed"
        }
    }

    /// The status RAPIDS records, the one mapping the pages and the export share. RAPIDS knows registered
    /// apprentices as active, suspended, cancelled or completed; probation is active there.
    public var rapidsStatus: RapidsStatus {
        switch self {
        case .pendingAgreement: .pending
        case .probation, .active: .active
        case .suspended: .suspended
        case .cancelled: .cancelled
        case .completed: .completed
        }
    }

    /// Whether the apprentice is still in the program (counts toward mentor ratios).
    public var isInProgram: Bool {
        switch self {
        case .pendingAgreement, .probation, .active, .suspended: true
        case .cancelled, .completed: false
        }
    }
}

/// An apprentice's status as RAPIDS has it. `pending` is not a RAPIDS status: nothing is reported before the
/// agreement is signed.
public enum RapidsStatus: String, Sendable, CaseIterable {
    case pending, active, suspended, cancelled, completed

    public var label: String {
        switch self {
        case .pending: "Not reported yet"
        case .active: "Active"
        case .suspended: "Suspended"
        case .cancelled: "Cancelled"
        case .completed: "Completed"
        }
    }
}

/// Why an apprenticeship was cancelled, in the words RAPIDS uses for exits.
public enum CancellationReason: String, Codable, Sendable, CaseIterable {
    case voluntaryQuit = "voluntary_quit"
    case terminatedForCause = "terminated_for_cause"
    case laidOff = "laid_off"
    case otherEmployment = "other_employment"
    case militaryService = "military_service"
    case medical = "medical"
    case relocated = "relocated"
    case deceased = "deceased"
    case other

    public var label: String {
        switch self {
        case .voluntaryQuit: "Voluntarily quit"
        case .terminatedForCause: "Terminated for cause"
        case .laidOff: "Laid off / position eliminated"
        case .otherEmployment: "Left for other employment"
        case .militaryService: "Called to military service"
        case .medical: "Medical or family reasons"
        case .relocated: "Moved away"
        case .deceased: "Deceased"
        case .other: "Other"
        }
    }
}
