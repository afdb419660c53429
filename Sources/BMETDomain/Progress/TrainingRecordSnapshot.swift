import Foundation

/// Everything ``ProgressEngine`` needs about one apprentice, already aggregated by the caller.
///
/// The engine stays pure: the app queries and sums the records, the engine only applies the program's rules.
/// All dates are calendar days (UTC midnight), as ``ProgramCalendar/day(_:)`` returns them.
public struct TrainingRecordSnapshot: Sendable {
    /// The latest recorded state of one credential.
    public struct CredentialState: Sendable, Equatable {
        public var status: CredentialStatus
        /// The exam date: booked for `scheduled`, taken for `passed` and `failed`.
        public var date: Date?
        /// When a passed credential lapses; nil when it does not expire.
        public var expires: Date?

        public init(status: CredentialStatus, date: Date? = nil, expires: Date? = nil) {
            self.status = status
            self.date = date
            self.expires = expires
        }
    }

    /// One completed related-instruction course.
    public struct CompletedCourse: Sendable, Equatable {
        public var courseCode: String
        /// The hours actually recorded, which may differ from the planned course hours.
        public var hours: Int
        public var completedOn: Date

        public init(courseCode: String, hours: Int, completedOn: Date) {
            self.courseCode = courseCode
            self.hours = hours
            self.completedOn = completedOn
        }
    }

    /// The standards version the apprentice trains under.
    public var standards: ProgramStandards
    public var status: ApprenticeStatus
    public var startDate: Date
    /// The last day of probation.
    public var probationEnd: Date
    /// The expected end of the term.
    public var termEnd: Date
    /// Passed in so the engine never reads the clock.
    public var today: Date
    /// Approved on-the-job minutes per skill-set code.
    public var approvedMinutesBySkillSet: [String: Int]
    /// Approved minutes keyed by the Monday (UTC) of the entry's week; only recent weeks need be present.
    public var approvedMinutesByWeek: [Date: Int]
    /// The newest entry date among approved entries.
    public var lastApprovedEntryDate: Date?
    /// Hours credited for prior learning, per skill-set code.
    public var creditedHoursBySkillSet: [String: Int]
    /// Skills credited as mastered by prior learning.
    public var creditedSkills: Set<String>
    /// Skill code → rating code of its latest assessment.
    public var skillRatings: [String: String]
    public var completedCourses: [CompletedCourse]
    /// Credential code → latest state.
    public var credentials: [String: CredentialState]
    /// The highest wage step the employer has recorded (1 = starting wage).
    public var recordedWageStep: Int

    public init(
        standards: ProgramStandards,
        status: ApprenticeStatus,
        startDate: Date,
        probationEnd: Date,
        termEnd: Date,
        today: Date,
        approvedMinutesBySkillSet: [String: Int] = [:],
        approvedMinutesByWeek: [Date: Int] = [:],
        lastApprovedEntryDate: Date? = nil,
        creditedHoursBySkillSet: [String: Int] = [:],
        creditedSkills: Set<String> = [],
        skillRatings: [String: String] = [:],
        completedCourses: [CompletedCourse] = [],
        credentials: [String: CredentialState] = [:],
        recordedWageStep: Int = 1
    ) {
        self.standards = standards
        self.status = status
        self.startDate = startDate
        self.probationEnd = probationEnd
        self.termEnd = termEnd
        self.today = today
        self.approvedMinutesBySkillSet = approvedMinutesBySkillSet
        self.approvedMinutesByWeek = approvedMinutesByWeek
        self.lastApprovedEntryDate = lastApprovedEntryDate
        self.creditedHoursBySkillSet = creditedHoursBySkillSet
        self.creditedSkills = creditedSkills
        self.skillRatings = skillRatings
        self.completedCourses = completedCourses
        self.credentials = credentials
        self.recordedWageStep = recordedWageStep
    }
}
