import Foundation
import Testing

@testable import BMETDomain

@Suite("Apprentice next step")
struct ApprenticeNextStepTests {
    let day = ProgramCalendar.day("2026-11-25")!

    @Test("before the agreement is signed: sign it, then wait for exactly the parties still missing")
    func agreement() {
        #expect(ApprenticeNextStep.decide(.init(status: .pendingAgreement, signedByApprentice: false, signedByEmployer: false, signedBySponsor: false)) == .signAgreement)
        #expect(ApprenticeNextStep.decide(.init(status: .pendingAgreement, signedByEmployer: false, signedBySponsor: false)) == .waitForSignatures(missing: [.employer, .sponsor]))
        // The employer signed first: only the sponsor is still to sign.
        #expect(ApprenticeNextStep.decide(.init(status: .pendingAgreement, signedByEmployer: true, signedBySponsor: false)) == .waitForSignatures(missing: [.sponsor]))
    }

    @Test("most urgent first: a review, then rejected hours, then the status, completion, this week's hours, an exam, an open request")
    func order() {
        var facts = ApprenticeNextStep.Facts(status: .active, unsignedReview: (2, false), recentRejections: 1, eligible: true,
                                             nextExam: ("CABT", day), openAssessmentRequest: ("OS-05", day))
        #expect(ApprenticeNextStep.decide(facts) == .commentOnReview(number: 2))
        facts.unsignedReview = (2, true)
        #expect(ApprenticeNextStep.decide(facts) == .signReview(number: 2))
        facts.unsignedReview = nil
        #expect(ApprenticeNextStep.decide(facts) == .fixRejectedHours(count: 1))
        facts.recentRejections = 0
        #expect(ApprenticeNextStep.decide(facts) == .waitForCompletion(requested: false))
        facts.completionRequested = true
        #expect(ApprenticeNextStep.decide(facts) == .waitForCompletion(requested: true))
        facts.eligible = false
        #expect(ApprenticeNextStep.decide(facts) == .logThisWeek)
        facts.loggedThisWeek = true
        #expect(ApprenticeNextStep.decide(facts) == .prepareForExam(name: "CABT", date: day))
        facts.nextExam = nil
        // An open request is not asked again.
        #expect(ApprenticeNextStep.decide(facts) == .waitForAssessment(skillCode: "OS-05", since: day))
        facts.openAssessmentRequest = nil
        #expect(ApprenticeNextStep.decide(facts) == .askForAssessment)
        #expect(ApprenticeNextStep.decide(.init(status: .suspended, loggedThisWeek: false)) == .talkToEmployer(.suspended))
        #expect(ApprenticeNextStep.decide(.init(status: .completed)) == .downloadCertificate)
        #expect(ApprenticeNextStep.decide(.init(status: .completed, certificateRevoked: true)) == .certificateRevoked)
    }

    @Test("a reached wage step is due from its month anniversary or its passed exam; hours and skills have no recorded day")
    func wageDueDates() {
        let start = ProgramCalendar.day("2026-01-15")!
        #expect(ProgressEngine.dueDate(of: .months(6), startDate: start, credentials: []) == ProgramCalendar.day("2026-07-15"))
        #expect(ProgressEngine.dueDate(of: .start, startDate: start, credentials: []) == start)
        let passed = ApprenticeProgress.CredentialProgress(code: "cabt", name: "CABT", required: true, status: .passed, date: day, isPassed: true)
        #expect(ProgressEngine.dueDate(of: .credential("cabt"), startDate: start, credentials: [passed]) == day)
        #expect(ProgressEngine.dueDate(of: .credential("cbet"), startDate: start, credentials: [passed]) == nil)
        #expect(ProgressEngine.dueDate(of: .hours(2000), startDate: start, credentials: []) == nil)
    }
}
