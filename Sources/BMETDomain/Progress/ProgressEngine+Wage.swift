import Foundation

extension ProgressEngine {
    /// Steps are reached in order: a later step whose trigger is met still waits for the step before it.
    static func wage(
        _ snapshot: TrainingRecordSnapshot,
        work: OnTheJobTotals,
        credentials: [ApprenticeProgress.CredentialProgress],
        monthsElapsed: Int
    ) -> ApprenticeProgress.Wage {
        var reached: [WageStep] = []
        var next: (step: WageStep, needs: String)?
        for step in snapshot.standards.wageSchedule {
            if let needs = unmetNeed(of: step.trigger, work: work, credentials: credentials, monthsElapsed: monthsElapsed) {
                next = (step, needs)
                break
            }
            reached.append(step)
        }
        return ApprenticeProgress.Wage(
            reachedStep: reached.map(\.step).max() ?? 0,
            recordedStep: snapshot.recordedWageStep,
            dueSteps: reached.filter { $0.step > snapshot.recordedWageStep },
            nextStep: next?.step,
            nextStepNeeds: next?.needs
        )
    }

    /// The day a reached step became due, where the record says it: the start, the month anniversary, the day the
    /// credential was passed. Nil for hours and skills, whose day is not kept; the caller then uses today.
    public static func dueDate(of trigger: WageTrigger, startDate: Date, credentials: [ApprenticeProgress.CredentialProgress]) -> Date? {
        switch trigger.kind {
        case .start: startDate
        case .months: ProgramCalendar.calendar.date(byAdding: .month, value: trigger.value ?? 0, to: startDate)
        case .credential: credentials.first { $0.code == trigger.credential && $0.isPassed }?.date
        case .hours, .skills: nil
        }
    }

    /// What is still missing for a trigger, in words; nil when it is met.
    static func unmetNeed(
        of trigger: WageTrigger,
        work: OnTheJobTotals,
        credentials: [ApprenticeProgress.CredentialProgress],
        monthsElapsed: Int
    ) -> String? {
        switch trigger.kind {
        case .start:
            return nil
        case .hours:
            let minutes = (trigger.value ?? 0) * 60 - work.totalMinutes
            return minutes > 0 ? ProgressText.moreHours(minutes: minutes) : nil
        case .months:
            let months = (trigger.value ?? 0) - monthsElapsed
            return months > 0 ? ProgressText.counted(months, "more month", "more months") : nil
        case .skills:
            let skills = (trigger.value ?? 0) - work.skillsSignedOff
            return skills > 0 ? ProgressText.counted(skills, "more skill signed off", "more skills signed off") : nil
        case .credential:
            let code = trigger.credential ?? ""
            let credential = credentials.first { $0.code == code }
            if credential?.isPassed == true { return nil }
            return "\(credential?.name ?? code) passed"
        }
    }
}
