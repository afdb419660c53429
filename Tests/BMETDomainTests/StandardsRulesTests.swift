import Testing

@testable import BMETDomain

/// One broken rule: the edit that breaks it, and the issue it must produce.
struct RuleCase: Sendable, CustomTestStringConvertible {
    let path: String
    let message: String
    let edit: @Sendable (inout ProgramStandards) -> Void

    init(_ path: String, _ message: String, _ edit: @escaping @Sendable (inout ProgramStandards) -> Void) {
        self.path = path
        self.message = message
        self.edit = edit
    }

    var testDescription: String { "\(path): \(message)" }
}

@Suite struct StandardsRulesTests {
    @Test func acceptsTheMock() {
        #expect(StandardsDocument.validate(.mock()) == [])
    }

    static let identity: [RuleCase] = [
        RuleCase("schemaVersion", "must be 1") { $0.schemaVersion = 2 },
        RuleCase("programCode", "must be lower-case letters") { $0.programCode = "AAMI BMET" },
        RuleCase("programCode", "must not be empty") { $0.programCode = " " },
        RuleCase("version", "must be letters, digits") { $0.version = "2026 spring" },
        RuleCase("title", "must not be empty") { $0.title = "" },
        RuleCase("sponsor", "must not be empty") { $0.sponsor = "\n" },
        RuleCase("note", "must not be empty") { $0.note = "" },
        RuleCase("occupation.title", "must not be empty") { $0.occupation.title = "" },
        RuleCase("occupation.rapidsCode", "four digits and one or two capital letters") {
            $0.occupation.rapidsCode = "888HY"
        },
        RuleCase("occupation.rapidsCode", "four digits and one or two capital letters") {
            $0.occupation.rapidsCode = "0888hy"
        },
        RuleCase("occupation.onetSocCode", "must look like 49-9062.00") { $0.occupation.onetSocCode = "49-9062" },
    ]

    static let term: [RuleCase] = [
        RuleCase("termMonths", "must be greater than 0") {
            $0.termMonths = 0
            $0.probationaryPeriod.months = 1
        },
        RuleCase("minimumOJLHours", "at least 2,000 for a hybrid program (29 CFR 29.4)") { $0.minimumOJLHours = 1999 },
        RuleCase("maximumOJLHours", "must be at least minimumOJLHours (2,000)") { $0.maximumOJLHours = 1500 },
        RuleCase("annualInstructionHoursRecommended", "must not be negative") {
            $0.annualInstructionHoursRecommended = -1
        },
        RuleCase("probationaryPeriod.months", "must be greater than 0") { $0.probationaryPeriod.months = 0 },
        RuleCase("probationaryPeriod.months", "must be at most 6: 25% of the 24-month term") {
            $0.probationaryPeriod.months = 7
        },
        RuleCase("probationaryPeriod.months", "must be at most 12:") {
            $0.termMonths = 60
            $0.probationaryPeriod.months = 13
        },
        RuleCase("probationaryPeriod.hours", "must be at most 500:") { $0.probationaryPeriod.hours = 501 },
        RuleCase("probationaryPeriod.hours", "must be greater than 0") { $0.probationaryPeriod.hours = 0 },
    ]

    static let ratingScale: [RuleCase] = [
        RuleCase("ratingScale", "must have at least one level") { $0.ratingScale = [] },
        RuleCase("ratingScale", "must have a level that signs a skill off") { $0.ratingScale[1].signsOff = false },
        RuleCase("ratingScale[1].code", #"duplicate code "developing" (first used at ratingScale[0].code)"#) {
            $0.ratingScale[1].code = "developing"
        },
        RuleCase("ratingScale[0].label", "must not be empty") { $0.ratingScale[0].label = "" },
    ]

    static let skillSets: [RuleCase] = [
        RuleCase("skillSets", "must have at least one skill set") { $0.skillSets = [] },
        RuleCase("skillSets[1].hours", "must be greater than 0") {
            $0.skillSets[1].hours = 0
            $0.skillSets[0].hours = 2500
        },
        RuleCase("skillSets[1].skills", "must have at least one skill") { $0.skillSets[1].skills = [] },
        RuleCase("skillSets[1].code", #"duplicate code "A" (first used at skillSets[0].code)"#) {
            $0.skillSets[1].code = "A"
        },
        RuleCase("skillSets[0].code", "must be letters, digits") { $0.skillSets[0].code = "Set A" },
        RuleCase("skillSets[1].skills[0].code", #"duplicate code "A-01" (first used at skillSets[0].skills[0].code)"#) {
            $0.skillSets[1].skills[0].code = "A-01"
        },
        RuleCase("skillSets[0].skills[1].title", "must not be empty") { $0.skillSets[0].skills[1].title = "  " },
        RuleCase("skillSets[0].description", "must not be empty") { $0.skillSets[0].description = "" },
        RuleCase("skillSets", "hours add up to 1,900, less than minimumOJLHours (2,000)") {
            $0.skillSets[1].hours = 900
        },
        RuleCase("skillSets", "hours add up to 3,100, more than maximumOJLHours (3,000)") {
            $0.skillSets[1].hours = 2100
        },
    ]

    static let coursesAndCredentials: [RuleCase] = [
        RuleCase("courses", "must have at least one related-instruction course") { $0.courses = [] },
        RuleCase("courses[0].hours", "must be greater than 0") { $0.courses[0].hours = -3 },
        RuleCase("courses[1].code", #"duplicate code "RTI-1""#) {
            $0.courses.append(Course(code: "RTI-1", title: "Again", hours: 10))
        },
        RuleCase("credentials[1].code", #"duplicate code "cred""#) {
            $0.credentials.append(CredentialRequirement(code: "cred", name: "Again", issuer: "Issuer", required: false))
        },
        RuleCase("credentials[0].issuer", "must not be empty") { $0.credentials[0].issuer = "" },
        RuleCase("credentials[0].validityYears", "must be greater than 0") { $0.credentials[0].validityYears = 0 },
    ]

    static let wageSchedule: [RuleCase] = [
        RuleCase("wageSchedule", "must have at least one step") { $0.wageSchedule = [] },
        RuleCase("wageSchedule[2].step", "must be 3: steps are numbered") { $0.wageSchedule[2].step = 4 },
        RuleCase("wageSchedule[0].trigger.kind", #"must be "start": step 1 is the starting wage"#) {
            $0.wageSchedule[0].trigger = .hours(100)
        },
        RuleCase("wageSchedule[1].trigger.kind", #"can be "start" only on step 1"#) {
            $0.wageSchedule[1].trigger = .start
        },
        RuleCase("wageSchedule[0].trigger.value", #"must be left out for a "start" trigger"#) {
            $0.wageSchedule[0].trigger.value = 5
        },
        RuleCase("wageSchedule[2].trigger.credential", #""cbet" is not the code of an entry in credentials"#) {
            $0.wageSchedule[2].trigger = .credential("cbet")
        },
        RuleCase("wageSchedule[2].trigger.credential", #"is required for a "credential" trigger"#) {
            $0.wageSchedule[2].trigger.credential = nil
        },
        RuleCase("wageSchedule[3].trigger.value", "must be at most maximumOJLHours (3,000)") {
            $0.wageSchedule[3].trigger = .hours(3001)
        },
        RuleCase("wageSchedule[1].trigger.value", "must be at most termMonths (24)") {
            $0.wageSchedule[1].trigger = .months(25)
        },
        RuleCase("wageSchedule[3].trigger.value", "must be at most the number of skills (3)") {
            $0.wageSchedule[3].trigger = .skills(4)
        },
        RuleCase("wageSchedule[1].trigger.value", #"is required for a "months" trigger"#) {
            $0.wageSchedule[1].trigger.value = nil
        },
        RuleCase("wageSchedule[1].trigger.value", "must be greater than 0") { $0.wageSchedule[1].trigger = .months(0) },
        RuleCase("wageSchedule[3].trigger.value", "must be more than step 2's 6") {
            $0.wageSchedule[3].trigger = .months(6)
        },
        RuleCase("wageSchedule[3].percentOfJourneyworkerWage", "must not be lower than step 3's 70%") {
            $0.wageSchedule[3].percentOfJourneyworkerWage = 69.5
        },
        RuleCase("wageSchedule[0].percentOfJourneyworkerWage", "must be more than 0 and at most 100") {
            $0.wageSchedule[0].percentOfJourneyworkerWage = 0
        },
    ]

    static let people: [RuleCase] = [
        RuleCase("mentorRatio.apprentices", "must be greater than 0") { $0.mentorRatio.apprentices = 0 },
        RuleCase("mentorRatio.mentors", "must be greater than 0") { $0.mentorRatio.mentors = -1 },
        RuleCase("certificateIssuers", "must name at least one issuer") { $0.certificateIssuers = [] },
        RuleCase("certificateIssuers[1]", "repeats certificateIssuers[0]") {
            $0.certificateIssuers.append("Test Sponsor")
        },
        RuleCase("certificateIssuers[1]", "must not be empty") { $0.certificateIssuers.append("") },
        RuleCase("entryRequirements.minimumAge", "between 16 (29 CFR 29.5) and 30") {
            $0.entryRequirements = .init(minimumAge: 15, diplomaByStart: true)
        },
        RuleCase("approvalLimits.confirmOlderThanDays", "between 1 and 366") {
            $0.approvalLimits = .init(confirmOlderThanDays: 0, confirmBatchOverHours: 80)
        },
        RuleCase("approvalLimits.confirmBatchOverHours", "between 1 and 1,000") {
            $0.approvalLimits = .init(confirmOlderThanDays: 30, confirmBatchOverHours: 5000)
        },
    ]

    @Test(arguments: identity + term + ratingScale + skillSets + coursesAndCredentials + wageSchedule + people)
    func reportsABrokenRuleAtItsPath(_ rule: RuleCase) {
        var standards = ProgramStandards.mock()
        rule.edit(&standards)
        let issues = StandardsDocument.validate(standards)
        #expect(issues.map(\.path) == [rule.path])
        #expect(issues.first?.message.contains(rule.message) == true, "\(issues)")
    }

    @Test func competencyBasedProgramsNeedNoMinimumHours() {
        var standards = ProgramStandards.mock()
        standards.approach = .competencyBased
        standards.minimumOJLHours = 0
        standards.maximumOJLHours = nil
        standards.probationaryPeriod.hours = nil
        #expect(StandardsDocument.validate(standards) == [])
    }

    @Test func timeBasedProgramsNeedTwoThousandHours() {
        var standards = ProgramStandards.mock()
        standards.approach = .timeBased
        standards.minimumOJLHours = 1000
        #expect(
            StandardsDocument.validate(standards).map(\.description) == [
                "minimumOJLHours: must be at least 2,000 for a time-based program (29 CFR 29.4)"
            ])
    }

    @Test func allowsAFractionalProbationLimit() {
        var standards = ProgramStandards.mock()
        standards.termMonths = 30  // 25% is 7.5 months
        standards.probationaryPeriod.months = 8
        #expect(StandardsDocument.validate(standards).first?.message.hasPrefix("must be at most 7.5:") == true)
        standards.probationaryPeriod.months = 7
        #expect(StandardsDocument.validate(standards) == [])
    }

    @Test func reportsSeveralBrokenRulesTogether() {
        var standards = ProgramStandards.mock()
        standards.programCode = "Bad Code"
        standards.skillSets[0].hours = 0
        standards.mentorRatio.mentors = 0
        #expect(
            StandardsDocument.validate(standards).map(\.path) == [
                "programCode", "skillSets[0].hours", "mentorRatio.mentors",
            ])
    }
}
