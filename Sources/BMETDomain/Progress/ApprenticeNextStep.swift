import Foundation

/// The one next step an apprentice's dashboard offers, most urgent first. Pure: the app gathers the facts, this
/// decides, and the app words it with a link.
public enum ApprenticeNextStep: Equatable, Sendable {
    case signAgreement
    /// The apprentice signed; these parties still have to, in the order they are named.
    case waitForSignatures(missing: [Party])
    case commentOnReview(number: Int)
    case signReview(number: Int)
    case fixRejectedHours(count: Int)
    case downloadCertificate
    /// Completed, but the sponsor revoked the certificate: nothing to download; the sponsor explains.
    case certificateRevoked
    /// Suspended or cancelled: nothing to log; the employer says what happens next.
    case talkToEmployer(ApprenticeStatus)
    /// Every requirement met; the employer puts the apprentice forward (or already did, and the sponsor decides).
    case waitForCompletion(requested: Bool)
    case logThisWeek
    case prepareForExam(name: String, date: Date)
    /// The apprentice already asked for an assessment: the mentor has it, nothing to ask again.
    case waitForAssessment(skillCode: String, since: Date)
    case askForAssessment

    public enum Party: String, Sendable, Equatable { case employer, sponsor }

    public struct Facts: Sendable, Equatable {
        public var status: ApprenticeStatus
        public var signedByApprentice: Bool
        public var signedByEmployer: Bool
        public var signedBySponsor: Bool
        /// The earliest review not yet signed by the apprentice, and whether they have commented on it.
        public var unsignedReview: (number: Int, commented: Bool)?
        /// Rejected entries of the last 30 days that still stand.
        public var recentRejections: Int
        public var eligible: Bool
        public var completionRequested: Bool
        public var loggedThisWeek: Bool
        public var nextExam: (name: String, date: Date)?
        /// The oldest unanswered assessment request.
        public var openAssessmentRequest: (skillCode: String, since: Date)?
        public var certificateRevoked: Bool

        public init(status: ApprenticeStatus, signedByApprentice: Bool = true, signedByEmployer: Bool = true, signedBySponsor: Bool = true,
                    unsignedReview: (number: Int, commented: Bool)? = nil, recentRejections: Int = 0, eligible: Bool = false,
                    completionRequested: Bool = false, loggedThisWeek: Bool = false, nextExam: (name: String, date: Date)? = nil,
                    openAssessmentRequest: (skillCode: String, since: Date)? = nil, certificateRevoked: Bool = false) {
            self.certificateRevoked = certificateRevoked
            self.status = status
            self.signedByApprentice = signedByApprentice
            self.signedByEmployer = signedByEmployer
            self.signedBySponsor = signedBySponsor
            self.unsignedReview = unsignedReview
            self.recentRejections = recentRejections
            self.eligible = eligible
            self.completionRequested = completionRequested
            self.loggedThisWeek = loggedThisWeek
            self.nextExam = nextExam
            self.openAssessmentRequest = openAssessmentRequest
        }

        public static func == (a: Facts, b: Facts) -> Bool {
            a.status == b.status && a.signedByApprentice == b.signedByApprentice && a.signedByEmployer == b.signedByEmployer
                && a.signedBySponsor == b.signedBySponsor && a.unsignedReview?.number == b.unsignedReview?.number
                && a.unsignedReview?.commented == b.unsignedReview?.commented && a.recentRejections == b.recentRejections
                && a.eligible == b.eligible && a.completionRequested == b.completionRequested && a.loggedThisWeek == b.loggedThisWeek
                && a.nextExam?.name == b.nextExam?.name && a.nextExam?.date == b.nextExam?.date
                && a.openAssessmentRequest?.skillCode == b.openAssessmentRequest?.skillCode && a.openAssessmentRequest?.since == b.openAssessmentRequest?.since
                && a.certificateRevoked == b.certificateRevoked
        }
    }

    public static func decide(_ facts: Facts) -> ApprenticeNextStep {
        if facts.status == .pendingAgreement {
            if !facts.signedByApprentice { return .signAgreement }
            var missing: [Party] = []
            if !facts.signedByEmployer { missing.append(.employer) }
            if !facts.signedBySponsor { missing.append(.sponsor) }
            return .waitForSignatures(missing: missing)
        }
        if let review = facts.unsignedReview {
            return review.commented ? .signReview(number: review.number) : .commentOnReview(number: review.number)
        }
        if facts.recentRejections > 0 { return .fixRejectedHours(count: facts.recentRejections) }
        switch facts.status {
        case .completed: return facts.certificateRevoked ? .certificateRevoked : .downloadCertificate
        case .suspended, .cancelled: return .talkToEmployer(facts.status)
        case .pendingAgreement, .probation, .active: break
        }
        if facts.eligible { return .waitForCompletion(requested: facts.completionRequested) }
        if !facts.loggedThisWeek { return .logThisWeek }
        if let exam = facts.nextExam { return .prepareForExam(name: exam.name, date: exam.date) }
        if let request = facts.openAssessmentRequest { return .waitForAssessment(skillCode: request.skillCode, since: request.since) }
        return .askForAssessment
    }
}
