import BMETDomain
import Foundation
import Testing

@Suite("Equal-opportunity rules (29 CFR 30)")
struct EqualOpportunityRulesTests {
    @Test("percentages are read to tenths; anything outside 0-100 or with more decimals is refused")
    func percentages() {
        #expect(EqualOpportunityRules.tenths(ofPercent: "23") == 230)
        #expect(EqualOpportunityRules.tenths(ofPercent: " 23.5% ") == 235)
        #expect(EqualOpportunityRules.tenths(ofPercent: "100") == 1000)
        #expect(EqualOpportunityRules.tenths(ofPercent: "0") == 0)
        for bad in ["", "-1", "100.1", "23.55", "abc", "1e2", "2,5", "..5"] { #expect(EqualOpportunityRules.tenths(ofPercent: bad) == nil, "\(bad)") }
        #expect(EqualOpportunityRules.percentText(tenths: 235) == "23.5%")
        #expect(EqualOpportunityRules.percentText(tenths: 70) == "7%")
    }

    @Test("the whole-person rule: under-utilized only when at least one whole person short")
    func wholePerson() {
        // 10 apprentices, 25% available: 2.5 expected. Two are not short by a whole person; one is.
        #expect(EqualOpportunityRules.assess(availabilityTenths: 250, count: 2, total: 10).underUtilized == false)
        let one = EqualOpportunityRules.assess(availabilityTenths: 250, count: 1, total: 10)
        #expect(one.underUtilized && one.shortfall == 1 && one.utilization == 0.1)
        #expect(EqualOpportunityRules.assess(availabilityTenths: 500, count: 0, total: 0).underUtilized == false)
        #expect(EqualOpportunityRules.assess(availabilityTenths: 0, count: 0, total: 8).underUtilized == false)
    }

    @Test("the 7% disability goal per occupation group")
    func disabilityGoal() {
        #expect(EqualOpportunityRules.belowDisabilityGoal(withDisability: 6, total: 100))
        #expect(!EqualOpportunityRules.belowDisabilityGoal(withDisability: 7, total: 100))
        #expect(!EqualOpportunityRules.belowDisabilityGoal(withDisability: 0, total: 0))
    }

    @Test("small groups are not shown")
    func suppression() {
        #expect(EqualOpportunityRules.shownCount(0) == "0")
        #expect(EqualOpportunityRules.shownCount(4) == "fewer than 5")
        #expect(EqualOpportunityRules.shownCount(5) == "5")
    }

    @Test("availability: each group 0-100, race groups together at most 100%, a source and a plausible year")
    func availability() {
        var typed: [EEOGroup: String] = [:]
        for group in EEOGroup.allCases { typed[group] = "10" }
        guard case .success(let figures) = EqualOpportunityRules.validateAvailability(typed, source: "ACS", year: "2024", currentYear: 2026) else {
            Issue.record("valid figures refused"); return
        }
        #expect(figures[.women] == 100)
        typed[.white] = "80"
        typed[.women] = "101"
        guard case .failure(let problems) = EqualOpportunityRules.validateAvailability(typed, source: " ", year: "2030", currentYear: 2026) else {
            Issue.record("bad figures accepted"); return
        }
        #expect(Set(problems.messages.keys) == ["availability[women]", "availability[white]", "source", "year"])
    }

    @Test("the annual review is due a year after the last one")
    func reviewDue() {
        let now = Date()
        #expect(AnnualReviewChecklist.isDue(lastSigned: nil, now: now))
        #expect(!AnnualReviewChecklist.isDue(lastSigned: now.addingTimeInterval(-300 * 86_400), now: now))
        #expect(AnnualReviewChecklist.isDue(lastSigned: now.addingTimeInterval(-366 * 86_400), now: now))
    }
}
