import Foundation
import Testing

@testable import BMETDomain

@Suite struct ShippedStandardsTests {
    let standards: ProgramStandards

    init() throws {
        standards = try StandardsDocument.load(contentsOf: ShippedStandards.url)
    }

    @Test func loadsWithoutIssues() {
        #expect(StandardsDocument.validate(standards).isEmpty)
        #expect(standards.programCode == "aami-bmet")
        #expect(standards.approach == .hybrid)
    }

    @Test func hasThePublishedShape() throws {
        #expect(standards.skillSets.count == 10)
        #expect(standards.totalSkillCount == 196)
        #expect(Set(standards.allSkillCodes).count == 196)
        #expect(standards.totalSkillSetHours == 6000)
        #expect(standards.maximumOJLHours == 6000)
        #expect(standards.termMonths == 24)

        let orientation = try #require(standards.skillSets.first)
        #expect(orientation.title == "Orientation and Safety")
        #expect(orientation.hours == 200)
        #expect(orientation.skills.count == 13)
    }

    @Test func identifiesTheOccupation() {
        #expect(standards.occupation.title == "Biomedical Equipment Technician")
        #expect(standards.occupation.rapidsCode == "0888HY")
        #expect(standards.occupation.onetSocCode == "49-9062.00")
    }

    @Test func labelsTheScheduleAsRepresentative() throws {
        let note = try #require(standards.note)
        #expect(note.contains("representative"))
        #expect(note.contains("not the official RAPIDS work process schedule"))
    }

    @Test func listsTheThreeCredentials() {
        #expect(standards.credentials.map(\.code) == ["cabt", "it-fundamentals", "cbet-candidate"])
        #expect(standards.credential(code: "cabt")?.validityYears == 5)
        #expect(standards.credential(code: "it-fundamentals")?.exam == "FC0-U71")
    }

    @Test func meetsTheRecommendedInstructionHours() {
        let years = Double(standards.termMonths) / 12
        #expect(Double(standards.totalCourseHours) >= Double(standards.annualInstructionHoursRecommended) * years)
    }

    @Test func survivesAnEncodeDecodeRoundTrip() throws {
        let data = try JSONEncoder().encode(standards)
        #expect(try StandardsDocument.decode(data) == standards)
    }
}
