import Foundation

/// Turns an apprentice's aggregated training record into progress against the program's standards.
///
/// Pure and deterministic: the caller passes the records and today's date, so every number on a page can be
/// reproduced in a test.
public enum ProgressEngine {
    public static func evaluate(_ snapshot: TrainingRecordSnapshot) -> ApprenticeProgress {
        let standards = snapshot.standards
        let work = onTheJob(snapshot)
        let monthsElapsed = monthsBetween(snapshot.startDate, snapshot.today)
        let credentials = credentials(snapshot)
        let instruction = instruction(snapshot, monthsElapsed: monthsElapsed)
        let requirements = requirements(snapshot, work: work, credentials: credentials, instruction: instruction)
        let eligibility = eligibility(snapshot, requirements: requirements)
        let pace = pace(snapshot)
        let projection = projection(snapshot, work: work, pace: pace)
        return ApprenticeProgress(
            skillSets: work.skillSets,
            approvedHours: Double(work.approvedMinutes) / 60,
            creditedHours: work.creditedHours,
            totalHours: Double(work.totalMinutes) / 60,
            minimumHours: standards.minimumOJLHours,
            maximumHours: standards.maximumOJLHours,
            hoursFraction: fraction(Double(work.totalMinutes) / 60, of: standards.minimumOJLHours),
            skillsTotal: work.skillsTotal,
            skillsSignedOff: work.skillsSignedOff,
            skillsCredited: work.skillsCredited,
            instruction: instruction,
            credentials: credentials,
            nextCredentialDeadline: nextDeadline(credentials, today: snapshot.today),
            monthsElapsed: monthsElapsed,
            probation: probation(snapshot),
            eligibility: eligibility,
            requirements: requirements,
            weeklyPaceHours: pace.hoursPerWeek,
            projectedCompletion: projection.date,
            outlook: outlook(snapshot, eligibility: eligibility, pace: pace, projection: projection),
            wage: wage(snapshot, work: work, credentials: credentials, monthsElapsed: monthsElapsed)
        )
    }

    /// Monday of that day's ISO week, UTC midnight: the key weekly hours are grouped by.
    public static func weekStart(of day: Date) -> Date {
        let start = ProgramCalendar.calendar.startOfDay(for: day)
        let weekday = ProgramCalendar.calendar.component(.weekday, from: start)  // 1 = Sunday … 7 = Saturday
        return adding(days: -((weekday + 5) % 7), to: start)
    }

    /// Whole calendar months from `start` to `end`, 0 if `end` is before `start`.
    ///
    /// Counted by the calendar, not by month lengths: a month is complete on the same day number of a later
    /// month, so Jan 31 → Feb 28 is 0 months and Jan 31 → Mar 1 is 1.
    public static func monthsBetween(_ start: Date, _ end: Date) -> Int {
        guard end >= start else { return 0 }
        let calendar = ProgramCalendar.calendar
        let from = calendar.dateComponents([.year, .month, .day], from: start)
        let to = calendar.dateComponents([.year, .month, .day], from: end)
        var months = ((to.year ?? 0) - (from.year ?? 0)) * 12 + ((to.month ?? 0) - (from.month ?? 0))
        if (to.day ?? 0) < (from.day ?? 0) { months -= 1 }
        return max(0, months)
    }

    // MARK: - Small pieces

    static func probation(_ snapshot: TrainingRecordSnapshot) -> ApprenticeProgress.Probation {
        switch snapshot.status {
        case .pendingAgreement: .notStarted
        case .probation: .inProbation(endsOn: snapshot.probationEnd)
        case .active, .suspended, .cancelled, .completed: .completed
        }
    }

    /// `value / whole`, capped at 1; 1 when nothing is required.
    static func fraction(_ value: Double, of whole: Int) -> Double {
        whole > 0 ? min(1, max(0, value / Double(whole))) : 1
    }

    static func adding(days: Int, to date: Date) -> Date {
        ProgramCalendar.calendar.date(byAdding: .day, value: days, to: date) ?? date
    }

    /// Calendar days from `start` to `end`, negative when `end` is earlier.
    static func days(from start: Date, to end: Date) -> Int {
        let calendar = ProgramCalendar.calendar
        return calendar.dateComponents([.day], from: calendar.startOfDay(for: start), to: calendar.startOfDay(for: end))
            .day ?? 0
    }

    /// Integer division rounded up, for positive operands.
    static func divideRoundingUp(_ numerator: Int, _ denominator: Int) -> Int {
        (numerator + denominator - 1) / denominator
    }
}
