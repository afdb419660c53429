import BMETDomain
import Foundation

/// What the outcomes page and its CSV files show. Plain values, computed by `Outcomes.report`.
struct OutcomeReport: Sendable, Equatable {
    /// Counts for one slice of the program (the whole filter, one employer, one state or one quarter).
    struct Figures: Sendable, Equatable {
        /// In the program now (probation or active); a snapshot, not limited by the date range.
        var active = 0
        /// Suspended now.
        var suspended = 0
        /// Started in the range (the cohort).
        var registrations = 0
        var completions = 0
        var cancelledDuringProbation = 0
        var cancelledAfterProbation = 0
        /// Of the cohort (started in the range): cancellations at any time since, split as above.
        var cohortCancelledDuringProbation = 0
        var cohortCancelledAfterProbation = 0
        /// Days from start to completion, summed over the completions in the range.
        var completionDays = 0

        var completionRate: Double? { OutcomeRules.completionRate(completions: completions, cancellationsAfterProbation: cancelledAfterProbation) }
        var retentionRate: Double? {
            OutcomeRules.retentionRate(started: registrations, cancelledDuringProbation: cohortCancelledDuringProbation, cancelledAfterProbation: cohortCancelledAfterProbation)
        }
        var averageDaysToCompletion: Double? { completions == 0 ? nil : Double(completionDays) / Double(completions) }
        var cancellations: Int { cancelledDuringProbation + cancelledAfterProbation }
    }

    struct Group: Sendable, Equatable {
        let key: String
        let label: String
        var figures = Figures()
    }

    struct CredentialRate: Sendable, Equatable {
        let code: String
        let name: String
        var passed = 0
        var failed = 0
        var rate: Double? { passed + failed == 0 ? nil : Double(passed) / Double(passed + failed) }
    }

    struct MentorLoad: Sendable, Equatable {
        let name: String
        let employer: String
        let apprentices: Int
    }

    var total = Figures()
    var quarters: [Group] = []
    var employers: [Group] = []
    var states: [Group] = []
    var credentials: [CredentialRate] = []
    var mentors: [MentorLoad] = []
    /// Completions in the range whose certificate was revoked since: left out of every completion figure.
    var revokedCompletions = 0
    /// Mentors with apprentices in the program, all of them (`mentors` may hold only the busiest; see `Outcomes.report`).
    var mentorCount = 0
}

/// Which part of the program a report covers. Employer staff always get their own employer, whatever they ask.
struct OutcomeFilter: Sendable, Equatable {
    var range = DayRange(from: nil, to: nil)
    var employerID: UUID?
    var state: String?
}
