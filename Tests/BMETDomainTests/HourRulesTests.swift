import Foundation
import Testing

@testable import BMETDomain

/// The hour rules every way in shares (week form, API, imports): quarter hours, the 24-hour day, the program's days,
/// skill sets and skills, each refusal by its field.
@Suite("Hour rules")
struct HourRulesTests {
    private static let start = ProgramCalendar.day("2026-01-05")!
    private static let today = ProgramCalendar.day("2026-03-02")!

    private func check(date: String = "2026-02-02", set: String = "A", hours: String = "7:30", description: String = "PM on 6 infusion pumps",
                       skills: String = "a-01, A-02 a-01", workOrder: String = " WO-1 ") -> (HourRules.Row?, [String: String]) {
        var errors: [String: String] = [:]
        let row = HourRules.check(date: date, skillSetCode: set, hours: hours, description: description, skills: skills, workOrder: workOrder,
                                  standards: .mock(), start: Self.start, today: Self.today, descriptionLimit: 40, errors: &errors)
        return (row, errors)
    }

    @Test("hours are positive quarter hours, typed with a point, a comma or a colon, never with a sign",
          arguments: [("7.5", 450), ("7,5", 450), ("7:30", 450), ("0:15", 15), ("8", 480), ("24", 1440), (" 1.25 ", 75)])
    func minutes(text: String, expected: Int) {
        #expect(HourRules.minutes(text) == expected)
    }

    @Test("anything else is no number of hours", arguments: ["", "0", "7.1", "7:10", "-1", "+2", "-0:15", "1:60", "abc", "100", "7.333", "7.", ".5", "1.2.5", "\u{0667}", "1e1"])
    func notMinutes(text: String) {
        #expect(HourRules.minutes(text) == nil)
    }

    @Test("a good row comes back normalized: skills upper-cased, distinct and sorted, the work order trimmed")
    func goodRow() {
        let (row, errors) = check()
        #expect(errors.isEmpty)
        #expect(row == HourRules.Row(day: "2026-02-02", skillSetCode: "A", minutes: 450, description: "PM on 6 infusion pumps",
                                     skillCodes: ["A-01", "A-02"], workOrder: "WO-1"))
    }

    @Test("each wrong field gets its own message, and the row does not come back")
    func refusals() {
        #expect(check(date: "2026-03-03").1["date"] == "Hours cannot be logged for a future day.")
        #expect(check(date: "2026-01-04").1["date"] == "The apprenticeship starts on 2026-01-05; log days from then on.")
        #expect(check(date: "2026-02-30").1["date"] == "Enter the day as YYYY-MM-DD.")
        #expect(check(set: "Z").1["skillSetCode"] == "Choose a skill set of your program.")
        #expect(check(hours: "25").1["hours"] == "A day has at most 24 hours.")
        #expect(check(description: "  ").1["description"] != nil)
        #expect(check(description: String(repeating: "x", count: 41)).1["description"] == "At most 40 characters.")
        #expect(check(skills: "B-01").1["skills"] == "B-01 is not a skill of Set A.")
        #expect(check(workOrder: String(repeating: "w", count: 61)).1["workOrder"] != nil)
        let (row, errors) = check(date: "x", set: "Z", hours: "0")
        #expect(row == nil)
        #expect(Set(errors.keys) == ["date", "skillSetCode", "hours"])
    }

    @Test("the 24-hour day counts what is already logged")
    func dayLimit() {
        #expect(HourRules.dayLimitRefusal(day: "2026-02-02", logged: 16 * 60, adding: 8 * 60) == nil)
        #expect(HourRules.dayLimitRefusal(day: "2026-02-02", logged: 16 * 60, adding: 8 * 60 + 15)
                == "2026-02-02 would have 24.25 hours (16 already logged); a day has at most 24.")
    }

    @Test("hours are logged only while the apprenticeship runs")
    func statusRefusal() {
        #expect(HourRules.refusal(for: .active) == nil)
        #expect(HourRules.refusal(for: .probation) == nil)
        for status in [ApprenticeStatus.pendingAgreement, .suspended, .cancelled, .completed] { #expect(HourRules.refusal(for: status) != nil) }
    }
}
