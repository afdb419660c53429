import Foundation

/// Approved minutes over the last full weeks, and how many weeks they are spread over.
struct WeeklyPace: Sendable {
    var minutes: Int
    var weeks: Int

    var hoursPerWeek: Double { Double(minutes) / 60 / Double(weeks) }
}

/// When the on-the-job requirements are met at the recent pace, and which requirement sets the date.
enum Projection: Sendable {
    /// Hours remain; met on this date at the weekly hours pace.
    case hours(Date)
    /// Hours are met but skills remain; met on this date at the rate skills were signed off so far.
    case skills(Date)
    /// Nothing on the job remains.
    case met(Date)
    /// Work remains but there is no pace to project from.
    case unknown

    var date: Date? {
        switch self {
        case .hours(let date), .skills(let date), .met(let date): date
        case .unknown: nil
        }
    }
}

extension ProgressEngine {
    /// The most weeks the pace looks back: recent enough to notice a slowdown, long enough to smooth out a holiday.
    static let paceWeeks = 12
    /// Nobody is called at risk on pace in their first weeks: hours take time to be logged and approved, and a new
    /// apprentice's first fortnight says little about two years.
    public static let observationWeeks = 8

    /// Only finished weeks count: the current week would drag the pace down every Monday.
    static func pace(_ snapshot: TrainingRecordSnapshot) -> WeeklyPace {
        let currentWeek = weekStart(of: snapshot.today)
        let from = adding(days: -7 * paceWeeks, to: currentWeek)
        var minutes = 0
        for (week, weekMinutes) in snapshot.approvedMinutesByWeek {
            let monday = weekStart(of: week)
            if monday >= from && monday < currentWeek { minutes += weekMinutes }
        }
        // A new apprentice's few weeks are not averaged over twelve.
        let weeksSinceStart = days(from: weekStart(of: snapshot.startDate), to: currentWeek) / 7
        return WeeklyPace(minutes: minutes, weeks: min(paceWeeks, max(1, weeksSinceStart)))
    }

    /// Projects only what the approach requires: hours first, then skills once the hours are met.
    static func projection(_ snapshot: TrainingRecordSnapshot, work: OnTheJobTotals, pace: WeeklyPace) -> Projection {
        let approach = snapshot.standards.approach
        let today = snapshot.today
        let remainingMinutes = approach.requiresHours ? snapshot.standards.minimumOJLHours * 60 - work.totalMinutes : 0
        if remainingMinutes > 0 {
            guard pace.minutes > 0 else { return .unknown }
            // remaining / (minutes / weeks) weeks, in whole days, without floating-point rounding.
            let days = divideRoundingUp(remainingMinutes * 7 * pace.weeks, pace.minutes)
            return .hours(adding(days: days, to: today))
        }
        let remainingSkills = approach.requiresCompetencies ? work.unsignedSkills.count : 0
        if remainingSkills > 0 {
            guard work.skillsRated > 0 else { return .unknown }
            // At least a week, so a first sign-off on day one does not project an absurd rate.
            let elapsedDays = max(7, days(from: snapshot.startDate, to: today))
            let days = divideRoundingUp(remainingSkills * elapsedDays, work.skillsRated)
            return .skills(adding(days: days, to: today))
        }
        return .met(today)
    }

    static func outlook(
        _ snapshot: TrainingRecordSnapshot,
        eligibility: ApprenticeProgress.Eligibility,
        pace: WeeklyPace,
        projection: Projection
    ) -> ApprenticeProgress.Outlook {
        switch snapshot.status {
        case .completed, .cancelled: return .finished
        case .pendingAgreement: return .notStarted
        case .probation, .active, .suspended: break
        }
        if eligibility.isEligible { return .eligible }
        var reasons: [String] = []
        if snapshot.status == .suspended { reasons.append("Suspended") }
        // The observation period: the pace and the projection are not judged yet.
        let twoWeeksAgo = adding(days: -14, to: snapshot.today)
        let justStarted = snapshot.startDate >= adding(days: -7 * observationWeeks, to: snapshot.today)
        if !justStarted && (snapshot.lastApprovedEntryDate.map { $0 < twoWeeksAgo } ?? true) {
            reasons.append("No approved hours in the last two weeks")
        }
        let termEnd = ProgramCalendar.dayString(snapshot.termEnd)
        switch projection {
        case .unknown where !justStarted:
            reasons.append("No recent pace to project from")
        case .hours(let date) where date > snapshot.termEnd && !justStarted:
            reasons.append(
                "At \(ProgressText.number(pace.hoursPerWeek)) h a week the hours are met on "
                    + "\(ProgramCalendar.dayString(date)), after the term ends on \(termEnd)")
        case .skills(let date) where date > snapshot.termEnd && !justStarted:
            // A rate such as "0.3 skills a week" reads oddly, so this one names only the date.
            reasons.append(
                "At the rate skills are signed off so far they are all signed off on "
                    + "\(ProgramCalendar.dayString(date)), after the term ends on \(termEnd)")
        default:
            break
        }
        return reasons.isEmpty ? .onTrack : .atRisk(reasons: reasons)
    }
}
