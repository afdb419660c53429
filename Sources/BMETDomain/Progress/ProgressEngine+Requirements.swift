import Foundation

extension ProgressEngine {
    /// Every credential of the standards, in their order; states for unknown codes are ignored.
    static func credentials(_ snapshot: TrainingRecordSnapshot) -> [ApprenticeProgress.CredentialProgress] {
        snapshot.standards.credentials.map { requirement in
            let state = snapshot.credentials[requirement.code]
            let passed = state?.status == .passed
            // A lapsed credential no longer counts toward completion or wages.
            let expired = passed && (state?.expires.map { $0 < snapshot.today } ?? false)
            return ApprenticeProgress.CredentialProgress(
                code: requirement.code,
                name: requirement.name,
                required: requirement.required,
                status: state?.status,
                date: state?.date,
                expires: state?.expires,
                isExpired: expired,
                isPassed: passed && !expired
            )
        }
    }

    /// The exam coming up first; past dates of a still "scheduled" exam are stale, not deadlines.
    static func nextDeadline(
        _ credentials: [ApprenticeProgress.CredentialProgress], today: Date
    ) -> ApprenticeProgress.CredentialProgress? {
        credentials
            .filter { $0.status == .scheduled && ($0.date.map { $0 >= today } ?? false) }
            .min { ($0.date ?? today) < ($1.date ?? today) }
    }

    /// Each course counts once, with its latest completion: a retaken course is not twice the instruction.
    static func instruction(_ snapshot: TrainingRecordSnapshot, monthsElapsed: Int) -> ApprenticeProgress.Instruction {
        let courses = snapshot.standards.courses
        let known = Set(courses.map(\.code))
        var latest: [String: TrainingRecordSnapshot.CompletedCourse] = [:]
        for completion in snapshot.completedCourses where known.contains(completion.courseCode) {
            if let earlier = latest[completion.courseCode], earlier.completedOn > completion.completedOn { continue }
            latest[completion.courseCode] = completion
        }
        var hoursByYear: [Int: Int] = [:]
        for completion in latest.values {
            let year = 1 + monthsBetween(snapshot.startDate, completion.completedOn) / 12
            hoursByYear[year, default: 0] += completion.hours
        }
        let currentYear = 1 + monthsElapsed / 12
        let lastYear = max(currentYear, hoursByYear.keys.max() ?? 1)
        return ApprenticeProgress.Instruction(
            totalHours: latest.values.reduce(0) { $0 + $1.hours },
            plannedHours: snapshot.standards.totalCourseHours,
            completedCourses: courses.filter { latest[$0.code] != nil }.map(\.code),
            missingCourses: courses.filter { latest[$0.code] == nil }.map(\.title),
            byYear: (1...lastYear).map {
                ApprenticeProgress.InstructionYear(
                    year: $0, hours: hoursByYear[$0] ?? 0,
                    recommended: snapshot.standards.annualInstructionHoursRecommended)
            }
        )
    }

    /// The requirements of the program's approach, each with its figures and whether it is met. Whole minutes, so a
    /// total of 3,999.99 hours is never shown as met.
    static func requirements(
        _ snapshot: TrainingRecordSnapshot,
        work: OnTheJobTotals,
        credentials: [ApprenticeProgress.CredentialProgress],
        instruction: ApprenticeProgress.Instruction
    ) -> [ApprenticeProgress.Requirement] {
        var requirements: [ApprenticeProgress.Requirement] = []
        let approach = snapshot.standards.approach
        if approach.requiresHours {
            let minimum = snapshot.standards.minimumOJLHours
            let remainingMinutes = minimum * 60 - work.totalMinutes
            let done = ProgressText.hours(minutesRoundedDown: work.totalMinutes)
            let credit = work.creditedHours > 0 ? " (\(MessageFormat.count(work.creditedHours)) credited for prior learning)" : ""
            requirements.append(.init(
                kind: .hours, label: "On-the-job hours", detail: "\(done) of the \(MessageFormat.count(minimum)) minimum\(credit)",
                met: remainingMinutes <= 0,
                missing: remainingMinutes > 0 ? "\(ProgressText.moreHours(minutes: remainingMinutes, "on-the-job")) (\(done) of \(MessageFormat.count(minimum)))" : nil))
        }
        if approach.requiresCompetencies {
            let credit = work.skillsCredited > 0 ? " (\(work.skillsCredited) credited for prior learning)" : ""
            let unsigned = work.unsignedSkills
            requirements.append(.init(
                kind: .skills, label: "Skills signed off", detail: "\(work.skillsSignedOff) of \(work.skillsTotal)\(credit)", met: unsigned.isEmpty,
                missing: unsigned.isEmpty ? nil : "\(ProgressText.counted(unsigned.count, "skill", "skills")) not yet signed off (\(ProgressText.list(unsigned)))"))
            for credential in credentials where credential.required {
                let detail: String
                let missing: String?
                if credential.isPassed {
                    detail = "Passed" + (credential.date.map { " on \(ProgramCalendar.dayString($0))" } ?? "")
                    missing = nil
                } else if credential.isExpired, let expires = credential.expires {
                    detail = "Expired on \(ProgramCalendar.dayString(expires))"
                    missing = "\(credential.name) expired on \(ProgramCalendar.dayString(expires))"
                } else {
                    detail = credential.status?.label ?? "Not recorded"
                    missing = "\(credential.name) not passed"
                }
                requirements.append(.init(kind: .credential, label: credential.name, detail: detail, met: credential.isPassed, missing: missing))
            }
        }
        let courses = instruction.missingCourses
        requirements.append(.init(
            kind: .instruction, label: "Related instruction",
            detail: "\(MessageFormat.count(instruction.totalHours)) hours; " + (courses.isEmpty ? "every course completed" : "missing: " + courses.joined(separator: ", ")),
            met: courses.isEmpty, missing: courses.isEmpty ? nil : "Related instruction not completed: \(courses.joined(separator: ", "))"))
        return requirements
    }

    /// The requirements, plus the status: only an apprentice in good standing completes.
    static func eligibility(_ snapshot: TrainingRecordSnapshot, requirements: [ApprenticeProgress.Requirement]) -> ApprenticeProgress.Eligibility {
        if snapshot.status == .completed {
            return ApprenticeProgress.Eligibility(isEligible: false, missing: ["Already completed"])
        }
        var missing: [String] = []
        switch snapshot.status {
        case .pendingAgreement: missing.append("The agreement is not signed yet")
        case .cancelled: missing.append("The apprenticeship is cancelled")
        case .suspended: missing.append("The apprenticeship is suspended")
        case .probation, .active, .completed: break
        }
        missing += requirements.compactMap(\.missing)
        return ApprenticeProgress.Eligibility(isEligible: missing.isEmpty, missing: missing)
    }
}
