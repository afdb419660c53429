import Vapor

/// The header and tabs shared by every page of one apprentice's training record.
struct RecordHeader: Encodable {
    struct Tab: Encodable { let label: String; let href: String; let current: Bool }
    let id: String
    let name: String
    let status: String
    /// The same status as RAPIDS has it, shown when the words differ (probation is "Active" there).
    let rapidsStatus: String?
    let employer: String
    let tabs: [Tab]

    enum Section: String, CaseIterable {
        case overview = "", hours, skills, instruction, credentials, wages, reviews, completion

        var label: String {
            switch self {
            case .overview: "Overview"
            case .hours: "Hours"
            case .skills: "Skills"
            case .instruction: "Instruction"
            case .credentials: "Credentials"
            case .wages: "Wages"
            case .reviews: "Reviews"
            case .completion: "Completion"
            }
        }
    }

    init(_ apprentice: Apprentice, current: Section) {
        let id = apprentice.id?.uuidString ?? ""
        self.id = id
        name = apprentice.fullName
        status = apprentice.status.label
        let rapids = apprentice.status.rapidsStatus
        rapidsStatus = rapids.label == apprentice.status.label || rapids == .pending ? nil : rapids.label
        employer = apprentice.$employer.value?.name ?? ""
        tabs = Section.allCases.map { section in
            Tab(label: section.label, href: "/apprentices/\(id)" + (section == .overview ? "" : "/\(section.rawValue)"), current: section == current)
        }
    }
}

extension Request {
    /// The apprentice named in the path, if the signed-in user may see them (404 otherwise, so ids do not leak).
    func visibleApprentice() async throws -> Apprentice {
        try await ApprenticeRecords.find(parameters.get("apprenticeID", as: UUID.self), visibleTo: try actor, on: db)
    }

    /// The same check, reading only the apprentice's row.
    func visibleApprenticeRow() async throws -> Apprentice {
        try await ApprenticeRecords.findRow(parameters.get("apprenticeID", as: UUID.self), visibleTo: try actor, on: db)
    }
}
