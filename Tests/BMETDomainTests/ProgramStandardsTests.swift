import Foundation
import Testing

@testable import BMETDomain

@Suite struct ProgramStandardsTests {
    @Test func computesTotalsAndLooksUpByCode() throws {
        let standards = ProgramStandards.mock()
        #expect(standards.totalSkillCount == 3)
        #expect(standards.totalSkillSetHours == 2500)
        #expect(standards.totalCourseHours == 144)
        #expect(standards.allSkillCodes == ["A-01", "A-02", "B-01"])
        #expect(standards.skillSet(code: "B")?.title == "Set B")
        #expect(standards.skillSet(code: "Z") == nil)
        let found = try #require(standards.skill(code: "A-02"))
        #expect(found.skill.title == "Skill two")
        #expect(found.skillSet.code == "A")
        #expect(standards.ratingLevel(code: "proficient")?.signsOff == true)
    }

    @Test func encodesWageTriggersFlat() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func json(_ trigger: WageTrigger) throws -> String {
            String(decoding: try encoder.encode(trigger), as: UTF8.self)
        }
        #expect(try json(.start) == #"{"kind":"start"}"#)
        #expect(try json(.hours(1000)) == #"{"kind":"hours","value":1000}"#)
        #expect(try json(.credential("cabt")) == #"{"credential":"cabt","kind":"credential"}"#)
    }

    @Test(arguments: [
        (apprentices: 2, mentors: 1, true),
        (apprentices: 3, mentors: 1, false),
        (apprentices: 4, mentors: 2, true),
        (apprentices: 0, mentors: 0, true),
    ])
    func mentorRatioAllowsUpToTheRatio(apprentices: Int, mentors: Int, allowed: Bool) {
        #expect(MentorRatio(apprentices: 2, mentors: 1).allows(apprentices: apprentices, mentors: mentors) == allowed)
    }
}
