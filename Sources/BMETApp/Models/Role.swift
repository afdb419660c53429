/// The four kinds of account. Stored as its raw value.
public enum Role: String, Codable, Sendable, CaseIterable {
    case programAdmin = "program_admin"
    case employerAdmin = "employer_admin"
    case mentor
    case apprentice
    /// Staff of a related-instruction provider (a college or training provider): they belong to one provider and see
    /// only the apprentices enrolled with it, and of them only what instruction needs.
    case instructionProvider = "instruction_provider"

    public var label: String {
        switch self {
        case .programAdmin: "Program administrator"
        case .employerAdmin: "Employer administrator"
        case .mentor: "Mentor"
        case .apprentice: "Apprentice"
        case .instructionProvider: "Instruction provider staff"
        }
    }

    /// Every role but the sponsor's staff and a provider's staff belongs to one employer.
    public var requiresEmployer: Bool { self != .programAdmin && self != .instructionProvider }

    /// Roles this role may invite. Employer staff invite only into their own employer (checked elsewhere).
    /// The sponsor invites a provider's staff from that provider's page (`Invitations.invite` with a provider).
    public var invitableRoles: [Role] {
        switch self {
        case .programAdmin: [.programAdmin, .employerAdmin, .mentor, .apprentice]
        case .employerAdmin: [.employerAdmin, .mentor, .apprentice]
        case .mentor, .apprentice, .instructionProvider: []
        }
    }
}
