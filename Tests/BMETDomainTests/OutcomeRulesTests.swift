import BMETDomain
import Foundation
import Testing

@Suite("Outcome rules")
struct OutcomeRulesTests {
    @Test("DOL completion rate leaves out cancellations during probation; nothing to count is no rate")
    func completionRate() {
        let rate = OutcomeRules.completionRate(completions: 3, cancellationsAfterProbation: 1)
        #expect(rate == 0.75)
        #expect(OutcomeRules.completionRate(completions: 0, cancellationsAfterProbation: 0) == nil)
        #expect(OutcomeRules.completionRate(completions: 0, cancellationsAfterProbation: 2) == 0)
    }

    @Test("retention of a cohort leaves out probation cancellations on both sides")
    func retention() {
        let rate = OutcomeRules.retentionRate(started: 10, cancelledDuringProbation: 2, cancelledAfterProbation: 2)
        #expect(rate == 0.75)
        #expect(OutcomeRules.retentionRate(started: 0, cancelledDuringProbation: 0, cancelledAfterProbation: 0) == nil)
        #expect(OutcomeRules.retentionRate(started: 2, cancelledDuringProbation: 2, cancelledAfterProbation: 0) == nil)
    }

    @Test("quarters of days, and every quarter between two days")
    func quarters() {
        #expect(OutcomeRules.quarter(ofDay: "2026-03-31") == "2026-Q1")
        #expect(OutcomeRules.quarter(ofDay: "2026-04-01") == "2026-Q2")
        #expect(OutcomeRules.quarter(ofDay: "2026-12-31") == "2026-Q4")
        #expect(OutcomeRules.quarter(ofDay: "2026-02-30") == nil)
        #expect(OutcomeRules.quarters(from: "2025-11-15", through: "2026-04-02") == ["2025-Q4", "2026-Q1", "2026-Q2"])
        #expect(OutcomeRules.quarters(from: "2026-04-02", through: "2025-11-15").isEmpty)
    }

    @Test("a date range ending before it starts is refused, by the end field")
    func ranges() throws {
        #expect(DayRange.parse(from: "2026-05-01", to: "2026-04-30") == .failure(.reversed))
        #expect(DayRange.Problem.reversed.field == "to")
        #expect(DayRange.parse(from: "2026-13-01", to: "") == .failure(.badFrom))
        let range = try DayRange.parse(from: "2026-04-01", to: "2026-04-30").get()
        #expect(range.contains(day: "2026-04-30"))
        #expect(!range.contains(day: "2026-05-01"))
        let open = try DayRange.parse(from: "", to: nil).get()
        #expect(open.contains(day: "1999-01-01"))
    }

    @Test("RAPIDS rules flag missing address parts and accept voluntary answers left undisclosed")
    func rapids() {
        var facts = RapidsRules.Facts(fullName: "Priya Natarajan", hasRegistrationData: true, addressLine1: "", city: "Houston", state: "TX", zip: "",
                                      birthDate: "1998-11-20", startDate: "2026-01-05", races: ["undisclosed"], guardianName: nil, ssnReadable: nil, rapidsCode: "0888HY",
                                      education: .associate, careerConnection: .none, priorWageCents: 0, priorWageUnit: "H", entryWageCents: 1800,
                                      studentStatus: "NA", rtiProvider: "Demo College")
        #expect(Set(RapidsRules.issues(facts).map(\.field)) == ["addressLine1", "zip"])
        facts.addressLine1 = "1200 Binz St"
        facts.zip = "77004"
        #expect(RapidsRules.issues(facts).isEmpty)
        facts.birthDate = "2009-06-01" // 16 at the start: needs a guardian
        #expect(RapidsRules.issues(facts).map(\.field) == ["guardianName"])
        facts.fullName = "Priya"
        facts.ssnReadable = false
        #expect(Set(RapidsRules.issues(facts).map(\.field)) == ["lastName", "guardianName", "ssn"])
    }
}
