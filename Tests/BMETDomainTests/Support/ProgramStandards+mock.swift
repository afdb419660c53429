import Foundation

@testable import BMETDomain

extension ProgramStandards {
    /// A small document that passes every rule; tests break one thing at a time.
    static func mock() -> ProgramStandards {
        ProgramStandards(
            programCode: "test-program",
            version: "1.0",
            title: "Test Program",
            sponsor: "Test Sponsor",
            occupation: Occupation(title: "Technician", rapidsCode: "0888HY", onetSocCode: "49-9062.00"),
            approach: .hybrid,
            termMonths: 24,
            minimumOJLHours: 2000,
            maximumOJLHours: 3000,
            probationaryPeriod: ProbationaryPeriod(months: 6, hours: 500),
            ratingScale: [
                RatingLevel(code: "developing", label: "Developing", signsOff: false),
                RatingLevel(code: "proficient", label: "Proficient", signsOff: true),
            ],
            skillSets: [
                SkillSet(
                    code: "A", title: "Set A", hours: 1000,
                    skills: [Skill(code: "A-01", title: "Skill one"), Skill(code: "A-02", title: "Skill two")]),
                SkillSet(code: "B", title: "Set B", hours: 1500, skills: [Skill(code: "B-01", title: "Skill three")]),
            ],
            courses: [Course(code: "RTI-1", title: "Basics", hours: 144)],
            annualInstructionHoursRecommended: 144,
            credentials: [CredentialRequirement(code: "cred", name: "A Credential", issuer: "Issuer", required: true)],
            wageSchedule: [
                WageStep(step: 1, title: "Start", trigger: .start, percentOfJourneyworkerWage: 60),
                WageStep(step: 2, title: "Probation", trigger: .months(6), percentOfJourneyworkerWage: 65),
                WageStep(step: 3, title: "Credential", trigger: .credential("cred"), percentOfJourneyworkerWage: 70),
                WageStep(step: 4, title: "Hours", trigger: .hours(2000), percentOfJourneyworkerWage: 80),
            ],
            mentorRatio: MentorRatio(apprentices: 1, mentors: 1),
            certificateIssuers: ["Test Sponsor"]
        )
    }
}

/// The shipped standards file, found from this source file so it works from any working directory.
enum ShippedStandards {
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // BMETDomainTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
        .appendingPathComponent("standards/aami-bmet.json")
}
