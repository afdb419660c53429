/// The four kinds of account. Stored as its raw value.
public enum Role: String, Codable, Sendable, CaseIterable {
    case programAdmin = "program_admin"
    case employerAdmin = "employer_admin"
    case mentor
    case apprentice

    public var label: String {
        switch self {
        case .programAdmin: "Program administrator"
        case .employerAdmin: "Employer administrator"
        case .mentor: "Mentor"
        case .apprentice: "Apprentice"
        }
    }

    /// Every role but the sponsor's staff belongs to one employer.
    public var requiresEmployer: Bool { self != .programAdmin }

    /// Roles this role may invite. Employer staff invite only into their own employer (checked elsewhere).
    public var invitableRoles: [Role] {
        switch self {
        case .programAdmin: [.programAdmin, .employerAdmin, .mentor, .apprentice]
        case .employerAdmin: [.employerAdmin, .mentor, .apprentice]
        case .mentor, .apprentice: []
        }
    }
}
