import Foundation
import Testing

@testable import BMETDomain

@Suite struct StandardsDecodingTests {
    @Test func acceptsAValidFile() throws {
        #expect(try StandardsDocument.decode(try standardsJSON()) == .mock())
    }

    @Test func reportsMalformedJSONAtTheRootWithItsPosition() {
        let issues = decodingIssues("{\n  \"schemaVersion\": 1,\n  \"title\": \"x\",\n}")
        #expect(
            issues == [
                StandardsIssue(
                    path: "$",
                    message: "is not valid JSON: line 4, column 1: unexpected '}', expected a key in double quotes")
            ])
    }

    @Test(arguments: ["", "   ", "[1, 2", "{\"a\": tru}", "{\"a\": 1} trailing"])
    func refusesAnythingThatIsNotJSON(text: String) {
        let issues = decodingIssues(text)
        #expect(issues.count == 1)
        #expect(issues.first?.path == "$")
        #expect(issues.first?.message.hasPrefix("is not valid JSON: line 1") == true)
    }

    @Test func refusesARootThatIsNotAnObject() {
        #expect(decodingIssues("[]") == [StandardsIssue(path: "$", message: "must be an object, not an array")])
    }

    @Test func reportsAMissingFieldAtItsPath() throws {
        let issues = decodingIssues(try standardsJSON(editing: ["skillSets[1].skills[0].title": .remove]))
        #expect(issues == [StandardsIssue(path: "skillSets[1].skills[0].title", message: "is required")])
    }

    @Test func treatsNullAsMissing() throws {
        let issues = decodingIssues(try standardsJSON(editing: ["occupation.rapidsCode": .set(NSNull())]))
        #expect(issues == [StandardsIssue(path: "occupation.rapidsCode", message: "is required")])
    }

    @Test(arguments: [
        ("termMonths", "24" as any Sendable, "must be a whole number, not a string"),
        ("termMonths", 24.5, "must be a whole number, not 24.5"),
        ("title", 7, "must be a string, not a number"),
        ("ratingScale[0].signsOff", "yes", "must be true or false, not a string"),
        ("occupation", "BMET", "must be an object, not a string"),
        ("skillSets", [String: String](), "must be an array, not an object"),
        ("wageSchedule[0].percentOfJourneyworkerWage", "60%", "must be a number, not a string"),
    ])
    func reportsAWrongTypeAtItsPath(path: String, value: any Sendable, message: String) throws {
        let issues = decodingIssues(try standardsJSON(editing: [path: .set(value)]))
        #expect(issues == [StandardsIssue(path: path, message: message)])
    }

    @Test func listsTheAllowedValuesOfAnEnum() throws {
        let issues = decodingIssues(
            try standardsJSON(editing: ["approach": .set("blended"), "wageSchedule[1].trigger.kind": .set("weeks")]))
        #expect(
            issues == [
                StandardsIssue(
                    path: "approach",
                    message: #"must be one of "time-based", "competency-based", "hybrid", not "blended""#),
                StandardsIssue(
                    path: "wageSchedule[1].trigger.kind",
                    message: #"must be one of "start", "hours", "months", "skills", "credential", not "weeks""#),
            ])
    }

    @Test func reportsFieldsTheSchemaDoesNotHave() throws {
        let issues = decodingIssues(
            try standardsJSON(editing: ["maximumOjlHours": .set(6000), "skillSets[0].skills[1].hrs": .set(5)]))
        #expect(issues.map(\.path) == ["skillSets[0].skills[1].hrs", "maximumOjlHours"])
        #expect(issues.allSatisfy { $0.message.hasPrefix("is not a field of this schema") })
    }

    @Test func reportsEveryProblemInOnePass() throws {
        let data = try standardsJSON(editing: [
            "title": .remove,
            "termMonths": .set("two years"),
            "skillSets[0].hours": .remove,
            "skillSets[1].skills[0].code": .set(""),
            "courses[0].hours": .set(0),
            "mentorRatio.mentors": .set(0),
        ])
        let error = #expect(throws: StandardsValidationError.self) { try StandardsDocument.decode(data) }
        #expect(
            error?.issues.map(\.description) == [
                "title: is required",
                "termMonths: must be a whole number, not a string",
                "skillSets[0].hours: is required",
                "skillSets[1].skills[0].code: must not be empty",
                "courses[0].hours: must be greater than 0",
                "mentorRatio.mentors: must be greater than 0",
            ])
    }

    @Test func doesNotRepeatAProblemAsABrokenRule() throws {
        // A missing field decodes as a placeholder (0, ""); the rules must not report the placeholder again.
        let issues = decodingIssues(
            try standardsJSON(editing: ["minimumOJLHours": .remove, "probationaryPeriod": .remove]))
        #expect(
            issues == [
                StandardsIssue(path: "minimumOJLHours", message: "is required"),
                StandardsIssue(path: "probationaryPeriod", message: "is required"),
            ])
    }

    @Test func listsEveryRequiredFieldOfAnEmptyObject() {
        #expect(
            decodingIssues("{}").map(\.path) == [
                "schemaVersion", "programCode", "version", "title", "sponsor", "occupation", "approach", "termMonths",
                "minimumOJLHours", "probationaryPeriod", "ratingScale", "skillSets", "courses",
                "annualInstructionHoursRecommended", "credentials", "wageSchedule", "mentorRatio", "certificateIssuers",
            ])
    }

    @Test func reportsAWrongElementOnceAndKeepsCheckingTheRest() throws {
        let issues = decodingIssues(
            try standardsJSON(editing: ["skillSets[0]": .set("Set A"), "courses[0].title": .set("")]))
        #expect(
            issues == [
                StandardsIssue(path: "skillSets[0]", message: "must be an object, not a string"),
                StandardsIssue(path: "courses[0].title", message: "must not be empty"),
            ])
    }

    @Test func doesNotCheckAReferenceAgainstACodeThatFailedToDecode() throws {
        let issues = decodingIssues(try standardsJSON(editing: ["credentials[0].code": .set(5)]))
        #expect(issues == [StandardsIssue(path: "credentials[0].code", message: "must be a string, not a number")])
    }

    @Test func refusesALaterSchemaVersionWithOneIssue() throws {
        let issues = decodingIssues(try standardsJSON(editing: ["schemaVersion": .set(2), "title": .remove]))
        #expect(
            issues == [
                StandardsIssue(path: "schemaVersion", message: "must be 1; this build cannot read schema version 2")
            ])
    }

    @Test func describesTheErrorWithOneLinePerIssue() {
        let error = StandardsValidationError(issues: [
            StandardsIssue(path: "skillSets[3].hours", message: "must be greater than 0"),
            StandardsIssue(path: "title", message: "is required"),
        ])
        #expect(
            error.description == """
                The standards file was refused (2 problems):
                  skillSets[3].hours: must be greater than 0
                  title: is required
                """)
    }

    @Test func reportsAnUnreadableFile() {
        let url = URL(fileURLWithPath: "/nonexistent/standards.json")
        let error = #expect(throws: StandardsValidationError.self) { try StandardsDocument.load(contentsOf: url) }
        #expect(error?.issues.map(\.path) == ["$"])
    }
}
