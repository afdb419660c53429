@testable import BMETDomain
import Foundation
import Testing

@Suite("Apprentice lifecycle")
struct ApprenticeLifecycleTests {
    typealias L = ApprenticeLifecycle

    @Test("the normal path: agreement signed → probation → active → completed")
    func happyPath() throws {
        var status = ApprenticeStatus.pendingAgreement
        status = try L.apply(.agreementSigned, to: status, by: .system).get()
        #expect(status == .probation)
        status = try L.apply(.endProbation, to: status, by: .employerAdmin).get()
        #expect(status == .active)
        status = try L.apply(.complete, to: status, by: .programAdmin).get()
        #expect(status == .completed)
    }

    @Test("suspension returns to where the apprentice was")
    func suspendReinstate() throws {
        let suspended = try L.apply(.suspend, to: .probation, by: .employerAdmin).get()
        #expect(suspended == .suspended)
        #expect(try L.apply(.reinstate, to: suspended, by: .programAdmin, statusBeforeSuspension: .probation).get() == .probation)
        #expect(try L.apply(.reinstate, to: suspended, by: .programAdmin, statusBeforeSuspension: .active).get() == .active)
    }

    @Test("refused moves say why", arguments: [
        (L.Transition.complete, ApprenticeStatus.cancelled, L.Actor.programAdmin, "cancelled"),
        (.cancel(.other), .completed, .programAdmin, "final"),
        (.endProbation, .active, .employerAdmin, "on probation"),
        (.reinstate, .active, .employerAdmin, "suspended"),
        (.suspend, .probation, .mentor, "Only the employer"),
        (.cancel(.voluntaryQuit), .active, .apprentice, "Only the employer"),
        (.transfer, .active, .employerAdmin, "Only the sponsor"),
        (.complete, .probation, .programAdmin, "active"),
        (.agreementSigned, .pendingAgreement, .employerAdmin, "by itself"),
    ])
    func refusals(transition: L.Transition, status: ApprenticeStatus, actor: L.Actor, reason: String) {
        switch L.apply(transition, to: status, by: actor) {
        case .success(let next): Issue.record("\(transition) from \(status) by \(actor) was allowed → \(next)")
        case .failure(let refusal): #expect(refusal.description.contains(reason), "\(refusal.description)")
        }
    }

    @Test("a transfer keeps the status")
    func transfer() throws {
        #expect(try L.apply(.transfer, to: .suspended, by: .programAdmin).get() == .suspended)
        #expect(try L.apply(.transfer, to: .active, by: .programAdmin).get() == .active)
    }
}

@Suite("Applicant pipeline")
struct ApplicantPipelineTests {
    @Test("the sponsor screens and refers; the employer interviews and hires")
    func path() {
        #expect(ApplicantPipeline.canMove(from: .new, to: .screening, by: .programAdmin))
        #expect(ApplicantPipeline.canMove(from: .screening, to: .referred, by: .programAdmin))
        #expect(ApplicantPipeline.canMove(from: .referred, to: .interviewing, by: .employerAdmin))
        #expect(ApplicantPipeline.canMove(from: .interviewing, to: .hired, by: .employerAdmin))
    }

    @Test("moves that skip steps or come from the wrong party are refused")
    func refused() {
        #expect(!ApplicantPipeline.canMove(from: .new, to: .hired, by: .programAdmin))
        #expect(!ApplicantPipeline.canMove(from: .new, to: .screening, by: .employerAdmin))
        #expect(!ApplicantPipeline.canMove(from: .screening, to: .referred, by: .employerAdmin))
        #expect(!ApplicantPipeline.canMove(from: .hired, to: .declined, by: .programAdmin))
        #expect(!ApplicantPipeline.canMove(from: .declined, to: .screening, by: .programAdmin))
        #expect(ApplicantStatus.allCases.filter(\.isOpen) == [.new, .screening, .referred, .interviewing])
    }

    @Test("inquiries go new → agreement sent → signed → active, and can be declined until active")
    func inquiries() {
        #expect(InquiryStatus.new.next == [.agreementSent, .declined])
        #expect(InquiryStatus.agreementSigned.next.contains(.active))
        #expect(InquiryStatus.active.next.isEmpty)
    }
}

@Suite("Program calendar and entry rules")
struct ProgramCalendarTests {
    @Test("impossible dates are refused", arguments: ["2026-02-30", "2025-13-01", "2026-2-01", "01/02/2026", "", "2026-00-10"])
    func impossible(text: String) {
        #expect(ProgramCalendar.day(text) == nil)
    }

    @Test("a real date round-trips, leap day included")
    func roundTrip() throws {
        let day = try #require(ProgramCalendar.day("2024-02-29"))
        #expect(ProgramCalendar.dayString(day) == "2024-02-29")
    }

    @Test("probation of 6 months from 2026-01-15 ends 2026-07-14")
    func probationEnd() throws {
        let start = try #require(ProgramCalendar.day("2026-01-15"))
        #expect(ProgramCalendar.dayString(ProgramCalendar.probationEnd(start: start, months: 6)) == "2026-07-14")
        #expect(ProgramCalendar.dayString(ProgramCalendar.termEnd(start: start, months: 24)) == "2028-01-14")
    }

    @Test("age rules: 18+ adult, 16–17 need consent, under 16 refused")
    func ages() throws {
        let today = try #require(ProgramCalendar.day("2026-11-25"))
        #expect(ApplicantRules.checkAge(birthDate: try #require(ProgramCalendar.day("2008-11-25")), today: today) == .adult)
        #expect(ApplicantRules.checkAge(birthDate: try #require(ProgramCalendar.day("2008-11-26")), today: today) == .minorWithConsentRequired)
        #expect(ApplicantRules.checkAge(birthDate: try #require(ProgramCalendar.day("2011-01-01")), today: today) == .tooYoung)
        #expect(ApplicantRules.checkAge(birthDate: try #require(ProgramCalendar.day("2027-01-01")), today: today) == .implausible)
        #expect(ApplicantRules.checkAge(birthDate: try #require(ProgramCalendar.day("1900-01-01")), today: today) == .implausible)
        // A program that takes apprentices from 17 refuses a 16-year-old.
        #expect(ApplicantRules.checkAge(birthDate: try #require(ProgramCalendar.day("2010-01-01")), today: today, minimumAge: 17) == .tooYoung)
    }

    @Test("students apply with the date they expect the diploma; registration needs it by the start")
    func diploma() throws {
        let today = try #require(ProgramCalendar.day("2026-11-25"))
        let byStart = EntryRequirements.standard
        #expect(ApplicantRules.checkDiploma(.highSchool, expected: nil, today: today, entry: byStart) == .met)
        #expect(ApplicantRules.checkDiploma(.noDiploma, expected: nil, today: today, entry: byStart) == .expectedDateMissing)
        #expect(ApplicantRules.checkDiploma(.noDiploma, expected: ProgramCalendar.day("2027-06-01"), today: today, entry: byStart) == .expected)
        #expect(ApplicantRules.checkDiploma(.noDiploma, expected: ProgramCalendar.day("2026-06-01"), today: today, entry: byStart) == .expectedDateInPast)
        #expect(ApplicantRules.checkDiploma(.noDiploma, expected: ProgramCalendar.day("2031-06-01"), today: today, entry: byStart) == .expectedDateTooFar)
        let none = EntryRequirements(minimumAge: 16, diplomaByStart: false)
        #expect(ApplicantRules.checkDiploma(.noDiploma, expected: nil, today: today, entry: none) == .met)
        #expect(!ApplicantRules.meetsEducation(.noDiploma, entry: byStart))
        #expect(ApplicantRules.meetsEducation(.ged, entry: byStart))
        #expect(ApplicantRules.meetsEducation(.noDiploma, entry: none))
    }
}
