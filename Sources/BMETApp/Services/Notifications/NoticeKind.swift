/// The catalogue of e-mail notices: who gets each one, whether they may turn it off, and how it is delivered
/// unless they choose otherwise. `docs/NOTIFICATIONS.md` explains each one; keep the two in step.
enum NoticeKind: String, Codable, Sendable, CaseIterable {
    case hoursPending = "hours.pending"
    case assessmentRequested = "assessment.requested"
    case wageRaiseDue = "wage.raise-due"
    case probationEnding = "probation.ending"
    case apprenticeAtRisk = "apprentice.at-risk"
    case reviewOverdue = "review.overdue"
    case hoursRejected = "hours.rejected"
    case credentialDeadline = "credential.deadline"
    case hoursMissing = "hours.missing"
    /// The apprentice's own milestones: agreement signed by all, probation ended, completion approved, certificate
    /// issued, a credential revoked.
    case milestone = "milestone"
    /// The same milestones, told to the employer's administrators.
    case apprenticeMilestone = "apprentice.milestone"

    /// How a notice reaches its recipient.
    enum Delivery: String, Codable, Sendable, CaseIterable {
        /// Its own e-mail within a few minutes.
        case immediate
        /// A line in one e-mail a day.
        case digest
        case off

        var label: String {
            switch self {
            case .immediate: "Right away"
            case .digest: "In the daily summary"
            case .off: "Off"
            }
        }
    }

    var recipientRole: Role {
        switch self {
        case .hoursPending, .assessmentRequested: .mentor
        case .wageRaiseDue, .probationEnding, .apprenticeAtRisk, .reviewOverdue, .apprenticeMilestone: .employerAdmin
        case .hoursRejected, .credentialDeadline, .hoursMissing, .milestone: .apprentice
        }
    }

    /// Required notices can move between immediate and digest but not be switched off: an owed raise, a
    /// late review (DOL records) and rejected hours (the apprentice must fix them) must reach someone.
    var isRequired: Bool {
        switch self {
        case .wageRaiseDue, .reviewOverdue, .hoursRejected: true
        default: false
        }
    }

    var defaultDelivery: Delivery {
        switch self {
        case .hoursPending, .assessmentRequested, .apprenticeAtRisk, .reviewOverdue: .digest
        case .wageRaiseDue, .probationEnding, .hoursRejected, .credentialDeadline, .hoursMissing, .milestone, .apprenticeMilestone: .immediate
        }
    }

    var choices: [Delivery] { isRequired ? [.immediate, .digest] : Delivery.allCases }

    var label: String {
        switch self {
        case .hoursPending: "Hours waiting for your approval"
        case .assessmentRequested: "Assessment requests"
        case .wageRaiseDue: "Wage raise due"
        case .probationEnding: "Probation ending"
        case .apprenticeAtRisk: "Apprentice at risk"
        case .reviewOverdue: "Progress review overdue"
        case .hoursRejected: "Rejected hours"
        case .credentialDeadline: "Credential exam and expiry dates"
        case .hoursMissing: "No hours logged for two weeks"
        case .milestone: "Your milestones"
        case .apprenticeMilestone: "Apprentice milestones"
        }
    }

    var summary: String {
        switch self {
        case .hoursPending: "An apprentice you mentor logged hours that wait for your decision."
        case .assessmentRequested: "An apprentice asked you to assess a skill."
        case .wageRaiseDue: "An apprentice reached a wage step that has not been recorded yet."
        case .probationEnding: "An apprentice's probationary period ends within 14 days."
        case .apprenticeAtRisk: "An apprentice is at risk of not completing on time (at most once a month per apprentice)."
        case .reviewOverdue: "A quarterly progress review is more than 14 days past its period."
        case .hoursRejected: "Your mentor rejected hours you logged, with the reason."
        case .credentialDeadline: "A credential exam is within 14 days, or a credential expires within 60 days."
        case .hoursMissing: "You have logged no hours for 14 days."
        case .milestone: "Your agreement is signed by everyone, probation ended, completion was approved, a certificate was issued or revoked."
        case .apprenticeMilestone: "An apprentice's agreement is signed by everyone, probation ended, completion was approved, a certificate was issued or revoked."
        }
    }

    static func kinds(for role: Role) -> [NoticeKind] { allCases.filter { $0.recipientRole == role } }
}
