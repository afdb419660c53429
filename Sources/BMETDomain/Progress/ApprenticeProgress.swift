import Foundation

/// Where one apprentice stands against the program's standards on a given day, as ``ProgressEngine`` computes it.
///
/// A plain value so pages, reports and tests read the same numbers; nothing here is stored.
public struct ApprenticeProgress: Sendable, Equatable {
    /// On-the-job hours and sign-offs in one skill set of the work process schedule.
    public struct SkillSetProgress: Sendable, Equatable {
        public var code: String
        public var title: String
        /// The hours the schedule plans for this skill set.
        public var requiredHours: Int
        public var approvedHours: Double
        public var creditedHours: Int
        /// Approved plus credited.
        public var totalHours: Double
        /// `totalHours / requiredHours`, capped at 1 (1 when nothing is required).
        public var fraction: Double
        public var skillsTotal: Int
        /// Signed off by a rating or credited; a skill that is both counts once.
        public var skillsSignedOff: Int
        public var skillsCredited: Int

        public init(
            code: String, title: String, requiredHours: Int, approvedHours: Double = 0, creditedHours: Int = 0,
            totalHours: Double = 0, fraction: Double = 0, skillsTotal: Int = 0, skillsSignedOff: Int = 0,
            skillsCredited: Int = 0
        ) {
            self.code = code
            self.title = title
            self.requiredHours = requiredHours
            self.approvedHours = approvedHours
            self.creditedHours = creditedHours
            self.totalHours = totalHours
            self.fraction = fraction
            self.skillsTotal = skillsTotal
            self.skillsSignedOff = skillsSignedOff
            self.skillsCredited = skillsCredited
        }
    }

    /// One credential of the standards and the apprentice's latest state with it.
    public struct CredentialProgress: Sendable, Equatable {
        public var code: String
        public var name: String
        public var required: Bool
        /// Nil when nothing is recorded yet.
        public var status: CredentialStatus?
        public var date: Date?
        public var expires: Date?
        /// Passed, but the expiry date is before today.
        public var isExpired: Bool
        /// Passed and still valid today: the only state that counts toward completion and wages.
        public var isPassed: Bool

        public init(
            code: String, name: String, required: Bool, status: CredentialStatus? = nil, date: Date? = nil,
            expires: Date? = nil, isExpired: Bool = false, isPassed: Bool = false
        ) {
            self.code = code
            self.name = name
            self.required = required
            self.status = status
            self.date = date
            self.expires = expires
            self.isExpired = isExpired
            self.isPassed = isPassed
        }
    }

    /// Related instruction completed in one program year, against the recommended yearly hours.
    public struct InstructionYear: Sendable, Equatable {
        /// 1-based program year, counted from the start date.
        public var year: Int
        public var hours: Int
        public var recommended: Int

        public init(year: Int, hours: Int, recommended: Int) {
            self.year = year
            self.hours = hours
            self.recommended = recommended
        }
    }

    /// Related technical instruction (RTI) completed so far.
    public struct Instruction: Sendable, Equatable {
        /// Recorded hours of the completed courses, each course once.
        public var totalHours: Int
        /// The hours of every course in the standards.
        public var plannedHours: Int
        /// Codes of the completed courses, in standards order.
        public var completedCourses: [String]
        /// Titles of the courses not completed yet, in standards order.
        public var missingCourses: [String]
        /// Year 1 through the current program year (or the last year with hours), zero years included.
        public var byYear: [InstructionYear]

        public init(
            totalHours: Int = 0, plannedHours: Int = 0, completedCourses: [String] = [], missingCourses: [String] = [],
            byYear: [InstructionYear] = []
        ) {
            self.totalHours = totalHours
            self.plannedHours = plannedHours
            self.completedCourses = completedCourses
            self.missingCourses = missingCourses
            self.byYear = byYear
        }
    }

    /// The probationary period as the status says it is.
    public enum Probation: Sendable, Equatable {
        /// The agreement is not signed, so probation has not begun.
        case notStarted
        case inProbation(endsOn: Date)
        case completed
    }

    /// One completion requirement of the program's approach, met or not: the single source of the completion
    /// checklist on the page, in the completion request, on the progress page and in the transcript.
    public struct Requirement: Sendable, Equatable {
        public enum Kind: String, Sendable { case hours, skills, instruction, credential }
        public var kind: Kind
        /// e.g. "On-the-job hours", or the credential's name.
        public var label: String
        /// The evidence in figures, e.g. "4,012 of 4,000 minimum (40 credited for prior learning)".
        public var detail: String
        public var met: Bool
        /// What is left, in one sentence, while not met.
        public var missing: String?

        public init(kind: Kind, label: String, detail: String, met: Bool, missing: String? = nil) {
            self.kind = kind
            self.label = label
            self.detail = detail
            self.met = met
            self.missing = missing
        }
    }

    /// Whether every completion requirement of the program's approach is met, and in words what is not.
    public struct Eligibility: Sendable, Equatable {
        public var isEligible: Bool
        /// One sentence per unmet requirement, ready to show.
        public var missing: [String]

        public init(isEligible: Bool, missing: [String] = []) {
            self.isEligible = isEligible
            self.missing = missing
        }
    }

    /// The one-word summary a mentor or sponsor scans a list by.
    public enum Outlook: Sendable, Equatable {
        case notStarted
        case onTrack
        case atRisk(reasons: [String])
        /// Every requirement is met; the sponsor can record completion.
        case eligible
        /// Completed or cancelled: nothing more to track.
        case finished

        public var label: String {
            switch self {
            case .notStarted: "Not started"
            case .onTrack: "On track"
            case .atRisk: "At risk"
            case .eligible: "Ready to complete"
            case .finished: "Finished"
            }
        }

        /// Stable code for CSS classes, filters and exports.
        public var code: String {
            switch self {
            case .notStarted: "not-started"
            case .onTrack: "on-track"
            case .atRisk: "at-risk"
            case .eligible: "eligible"
            case .finished: "finished"
            }
        }
    }

    /// The wage schedule as earned so far, and what the employer still has to record.
    public struct Wage: Sendable, Equatable {
        /// The highest step whose trigger, and every earlier step's, is met; 0 if none.
        public var reachedStep: Int
        /// The highest step the employer has recorded.
        public var recordedStep: Int
        /// Reached steps above the recorded one: raises that are owed.
        public var dueSteps: [WageStep]
        /// The first step not reached yet.
        public var nextStep: WageStep?
        /// What is missing for `nextStep`, e.g. "1,250 more hours".
        public var nextStepNeeds: String?

        public init(
            reachedStep: Int, recordedStep: Int, dueSteps: [WageStep] = [], nextStep: WageStep? = nil,
            nextStepNeeds: String? = nil
        ) {
            self.reachedStep = reachedStep
            self.recordedStep = recordedStep
            self.dueSteps = dueSteps
            self.nextStep = nextStep
            self.nextStepNeeds = nextStepNeeds
        }
    }

    /// In schedule order.
    public var skillSets: [SkillSetProgress]
    public var approvedHours: Double
    public var creditedHours: Int
    public var totalHours: Double
    public var minimumHours: Int
    public var maximumHours: Int?
    /// `totalHours / minimumHours`, capped at 1 (1 when the minimum is 0).
    public var hoursFraction: Double
    public var skillsTotal: Int
    /// Signed off by a rating or credited.
    public var skillsSignedOff: Int
    public var skillsCredited: Int
    public var instruction: Instruction
    /// In standards order.
    public var credentials: [CredentialProgress]
    /// The scheduled credential with the earliest exam date on or after today.
    public var nextCredentialDeadline: CredentialProgress?
    /// Whole calendar months since the start date.
    public var monthsElapsed: Int
    public var probation: Probation
    public var eligibility: Eligibility
    /// Every completion requirement of the approach, in order, whatever the status (a completed record shows each met).
    public var requirements: [Requirement]
    /// Approved hours per week over the last full weeks (at most 12).
    public var weeklyPaceHours: Double
    /// When the on-the-job requirements are met at the recent pace; nil when there is no pace to project from.
    public var projectedCompletion: Date?
    public var outlook: Outlook
    public var wage: Wage

    public init(
        skillSets: [SkillSetProgress] = [],
        approvedHours: Double = 0,
        creditedHours: Int = 0,
        totalHours: Double = 0,
        minimumHours: Int = 0,
        maximumHours: Int? = nil,
        hoursFraction: Double = 0,
        skillsTotal: Int = 0,
        skillsSignedOff: Int = 0,
        skillsCredited: Int = 0,
        instruction: Instruction = Instruction(),
        credentials: [CredentialProgress] = [],
        nextCredentialDeadline: CredentialProgress? = nil,
        monthsElapsed: Int = 0,
        probation: Probation = .notStarted,
        eligibility: Eligibility = Eligibility(isEligible: false),
        requirements: [Requirement] = [],
        weeklyPaceHours: Double = 0,
        projectedCompletion: Date? = nil,
        outlook: Outlook = .notStarted,
        wage: Wage = Wage(reachedStep: 0, recordedStep: 0)
    ) {
        self.skillSets = skillSets
        self.approvedHours = approvedHours
        self.creditedHours = creditedHours
        self.totalHours = totalHours
        self.minimumHours = minimumHours
        self.maximumHours = maximumHours
        self.hoursFraction = hoursFraction
        self.skillsTotal = skillsTotal
        self.skillsSignedOff = skillsSignedOff
        self.skillsCredited = skillsCredited
        self.instruction = instruction
        self.credentials = credentials
        self.nextCredentialDeadline = nextCredentialDeadline
        self.monthsElapsed = monthsElapsed
        self.probation = probation
        self.eligibility = eligibility
        self.requirements = requirements
        self.weeklyPaceHours = weeklyPaceHours
        self.projectedCompletion = projectedCompletion
        self.outlook = outlook
        self.wage = wage
    }
}
