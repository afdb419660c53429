import Foundation

/// One version of a registered apprenticeship program's standards, as loaded from a standards file.
///
/// The schema is documented in `docs/STANDARDS.md`; load files with ``StandardsDocument``, which refuses
/// a file whole when anything in it is wrong.
public struct ProgramStandards: Codable, Sendable, Equatable {
    /// The only schema version this build reads.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    /// Stable slug identifying the program across versions, e.g. `aami-bmet`.
    public var programCode: String
    /// This document's own version label, e.g. `2026.1`.
    public var version: String
    public var title: String
    public var sponsor: String
    public var note: String?
    public var occupation: Occupation
    public var approach: TrainingApproach
    public var termMonths: Int
    public var minimumOJLHours: Int
    public var maximumOJLHours: Int?
    public var probationaryPeriod: ProbationaryPeriod
    /// Ordered from lowest to highest.
    public var ratingScale: [RatingLevel]
    /// The work process schedule.
    public var skillSets: [SkillSet]
    /// Related technical instruction.
    public var courses: [Course]
    public var annualInstructionHoursRecommended: Int
    public var credentials: [CredentialRequirement]
    /// Steps are reached in order: a step applies once the step before it applies and its own trigger is met.
    public var wageSchedule: [WageStep]
    public var mentorRatio: MentorRatio
    public var certificateIssuers: [String]
    /// Optional in the file; ``entry`` gives the rule that applies.
    public var entryRequirements: EntryRequirements?
    /// Optional in the file; ``approvals`` gives the limits that apply.
    public var approvalLimits: ApprovalLimits?

    public init(
        schemaVersion: Int = ProgramStandards.currentSchemaVersion,
        programCode: String,
        version: String,
        title: String,
        sponsor: String,
        note: String? = nil,
        occupation: Occupation,
        approach: TrainingApproach,
        termMonths: Int,
        minimumOJLHours: Int,
        maximumOJLHours: Int? = nil,
        probationaryPeriod: ProbationaryPeriod,
        ratingScale: [RatingLevel],
        skillSets: [SkillSet],
        courses: [Course],
        annualInstructionHoursRecommended: Int,
        credentials: [CredentialRequirement],
        wageSchedule: [WageStep],
        mentorRatio: MentorRatio,
        certificateIssuers: [String],
        entryRequirements: EntryRequirements? = nil,
        approvalLimits: ApprovalLimits? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.programCode = programCode
        self.version = version
        self.title = title
        self.sponsor = sponsor
        self.note = note
        self.occupation = occupation
        self.approach = approach
        self.termMonths = termMonths
        self.minimumOJLHours = minimumOJLHours
        self.maximumOJLHours = maximumOJLHours
        self.probationaryPeriod = probationaryPeriod
        self.ratingScale = ratingScale
        self.skillSets = skillSets
        self.courses = courses
        self.annualInstructionHoursRecommended = annualInstructionHoursRecommended
        self.credentials = credentials
        self.wageSchedule = wageSchedule
        self.mentorRatio = mentorRatio
        self.certificateIssuers = certificateIssuers
        self.entryRequirements = entryRequirements
        self.approvalLimits = approvalLimits
    }
}

extension ProgramStandards {
    public var entry: EntryRequirements { entryRequirements ?? .standard }

    public var approvals: ApprovalLimits { approvalLimits ?? .standard }

    public var totalSkillCount: Int { skillSets.reduce(0) { $0 + $1.skills.count } }

    public var totalSkillSetHours: Int { skillSets.reduce(0) { $0 + $1.hours } }

    public var totalCourseHours: Int { courses.reduce(0) { $0 + $1.hours } }

    /// Every skill code in schedule order.
    public var allSkillCodes: [String] { skillSets.flatMap { $0.skills.map(\.code) } }

    public func skillSet(code: String) -> SkillSet? { skillSets.first { $0.code == code } }

    /// The skill with this code and the skill set that holds it.
    public func skill(code: String) -> (skill: Skill, skillSet: SkillSet)? {
        for skillSet in skillSets {
            if let skill = skillSet.skills.first(where: { $0.code == code }) { return (skill, skillSet) }
        }
        return nil
    }

    public func credential(code: String) -> CredentialRequirement? { credentials.first { $0.code == code } }

    public func ratingLevel(code: String) -> RatingLevel? { ratingScale.first { $0.code == code } }
}
