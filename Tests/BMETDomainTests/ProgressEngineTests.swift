import Foundation
import Testing

@testable import BMETDomain

/// `YYYY-MM-DD` as a calendar day; the tests only use valid dates.
private func day(_ text: String) -> Date {
    guard let date = ProgramCalendar.day(text) else { fatalError("bad test date \(text)") }
    return date
}

/// An active apprentice on the mock standards (hybrid, 2,000 hours, skills A-01 A-02 B-01, course RTI-1,
/// credential `cred`), started on Monday 2026-01-05 with a 24-month term. Tests change one thing at a time.
private func snapshot(
    _ standards: ProgramStandards = .mock(),
    status: ApprenticeStatus = .active,
    start: String = "2026-01-05",
    today: String = "2026-06-03"
) -> TrainingRecordSnapshot {
    let startDate = day(start)
    return TrainingRecordSnapshot(
        standards: standards,
        status: status,
        startDate: startDate,
        probationEnd: ProgramCalendar.probationEnd(start: startDate, months: standards.probationaryPeriod.months),
        termEnd: ProgramCalendar.termEnd(start: startDate, months: standards.termMonths),
        today: day(today)
    )
}

/// `minutes` approved in each of the `count` weeks before the week of `today`.
private func weeks(before today: String, count: Int, minutes: Int) -> [Date: Int] {
    let current = ProgressEngine.weekStart(of: day(today))
    var result: [Date: Int] = [:]
    for index in 1...count {
        result[ProgramCalendar.calendar.date(byAdding: .day, value: -7 * index, to: current)!] = minutes
    }
    return result
}

/// Everything the hybrid mock asks for, done.
private func allMet(_ record: inout TrainingRecordSnapshot) {
    record.approvedMinutesBySkillSet = ["A": 1000 * 60, "B": 1000 * 60]
    record.skillRatings = ["A-01": "proficient", "A-02": "proficient", "B-01": "proficient"]
    record.credentials = ["cred": .init(status: .passed, date: day("2026-05-01"))]
    record.completedCourses = [.init(courseCode: "RTI-1", hours: 144, completedOn: day("2026-04-01"))]
    record.lastApprovedEntryDate = record.today
}

@Suite("Progress engine")
struct ProgressEngineTests {
    // MARK: Hours and skills

    @Test("skill-set totals add credit to approved minutes; unknown skill sets are ignored")
    func skillSetTotals() throws {
        var record = snapshot()
        record.approvedMinutesBySkillSet = ["A": 600 * 60 + 30, "B": 90, "Z": 6000]
        record.creditedHoursBySkillSet = ["A": 100, "B": 1600, "Z": 50]
        let progress = ProgressEngine.evaluate(record)

        let a = try #require(progress.skillSets.first { $0.code == "A" })
        #expect(a.title == "Set A")
        #expect(a.requiredHours == 1000)
        #expect(a.approvedHours == 600.5)
        #expect(a.creditedHours == 100)
        #expect(a.totalHours == 700.5)
        #expect(abs(a.fraction - 0.7005) < 1e-12)

        let b = try #require(progress.skillSets.first { $0.code == "B" })
        #expect(b.approvedHours == 1.5)
        #expect(b.totalHours == 1601.5)
        #expect(b.fraction == 1, "capped at 1")

        #expect(progress.skillSets.map(\.code) == ["A", "B"])
        #expect(progress.approvedHours == 602)
        #expect(progress.creditedHours == 1700)
        #expect(progress.totalHours == 2302)
        #expect(progress.hoursFraction == 1)
        #expect(progress.minimumHours == 2000)
        #expect(progress.maximumHours == 3000)
    }

    @Test("hours fraction is total over minimum, and 1 when the minimum is 0")
    func hoursFraction() {
        var record = snapshot()
        record.approvedMinutesBySkillSet = ["A": 500 * 60]
        #expect(ProgressEngine.evaluate(record).hoursFraction == 0.25)

        var standards = ProgramStandards.mock()
        standards.minimumOJLHours = 0
        standards.skillSets[0].hours = 0
        record.standards = standards
        let progress = ProgressEngine.evaluate(record)
        #expect(progress.hoursFraction == 1)
        #expect(progress.skillSets[0].fraction == 1)
    }

    @Test("the latest rating decides the sign-off", arguments: [
        // (ratings in the order given; the snapshot carries the last one, signed off)
        (["proficient", "developing"], false),
        (["developing", "proficient"], true),
        (["developing"], false),
        (["no-such-level"], false),
    ])
    func latestRatingSignsOff(history: [String], signedOff: Bool) {
        var record = snapshot()
        record.skillRatings = ["A-01": history.last!]
        let progress = ProgressEngine.evaluate(record)
        #expect(progress.skillsSignedOff == (signedOff ? 1 : 0))
        #expect(progress.skillSets[0].skillsSignedOff == (signedOff ? 1 : 0))
    }

    @Test("ratings of unknown skills are ignored")
    func unknownSkills() {
        var record = snapshot()
        record.skillRatings = ["A-02": "proficient", "Z-99": "proficient"]
        record.creditedSkills = ["Z-01"]
        let progress = ProgressEngine.evaluate(record)
        #expect(progress.skillsTotal == 3)
        #expect(progress.skillsSignedOff == 1)
        #expect(progress.skillsCredited == 0)
        #expect(progress.skillSets.map(\.skillsSignedOff) == [1, 0])
        #expect(progress.skillSets.map(\.skillsTotal) == [2, 1])
    }

    @Test("credited skills are signed off, and a credited skill that is also rated counts once")
    func creditedSkills() {
        var record = snapshot()
        record.creditedSkills = ["A-01", "B-01"]
        record.skillRatings = ["A-01": "proficient"]
        let progress = ProgressEngine.evaluate(record)
        #expect(progress.skillsSignedOff == 2)
        #expect(progress.skillsCredited == 2)
        #expect(progress.skillSets.map(\.skillsSignedOff) == [1, 1])
        #expect(progress.skillSets.map(\.skillsCredited) == [1, 1])
        #expect(progress.eligibility.missing.contains("1 skill not yet signed off (A-02)"))
    }

    // MARK: Eligibility

    @Test("eligibility lists exactly what each approach still needs", arguments: [
        (TrainingApproach.hybrid, [
            "1,234.5 more on-the-job hours (765.5 of 2,000)",
            "3 skills not yet signed off (A-01, A-02, B-01)",
            "A Credential not passed",
            "Related instruction not completed: Basics",
        ]),
        (.timeBased, [
            "1,234.5 more on-the-job hours (765.5 of 2,000)",
            "Related instruction not completed: Basics",
        ]),
        (.competencyBased, [
            "3 skills not yet signed off (A-01, A-02, B-01)",
            "A Credential not passed",
            "Related instruction not completed: Basics",
        ]),
    ])
    func eligibilityByApproach(approach: TrainingApproach, missing: [String]) {
        var standards = ProgramStandards.mock()
        standards.approach = approach
        var record = snapshot(standards)
        record.approvedMinutesBySkillSet = ["A": 765 * 60 + 30]
        let eligibility = ProgressEngine.evaluate(record).eligibility
        #expect(!eligibility.isEligible)
        #expect(eligibility.missing == missing)
    }

    @Test("time-based completion needs only hours and instruction")
    func timeBasedEligible() {
        var standards = ProgramStandards.mock()
        standards.approach = .timeBased
        var record = snapshot(standards)
        record.approvedMinutesBySkillSet = ["B": 2000 * 60]
        record.completedCourses = [.init(courseCode: "RTI-1", hours: 144, completedOn: day("2026-04-01"))]
        let progress = ProgressEngine.evaluate(record)
        #expect(progress.eligibility == .init(isEligible: true, missing: []))
        #expect(progress.outlook == .eligible)
    }

    @Test("a hybrid apprentice with everything met is eligible")
    func hybridEligible() {
        var record = snapshot()
        allMet(&record)
        let progress = ProgressEngine.evaluate(record)
        #expect(progress.eligibility == .init(isEligible: true, missing: []))
        #expect(progress.outlook == .eligible)
        #expect(progress.outlook.label == "Ready to complete")
        #expect(progress.projectedCompletion == record.today)
    }

    @Test("long skill lists are cut after five; one skill is singular")
    func skillListText() {
        var standards = ProgramStandards.mock()
        standards.skillSets[0].skills = (1...12).map { Skill(code: String(format: "S-%02d", $0), title: "Skill \($0)") }
        var record = snapshot(standards)
        record.skillRatings = ["B-01": "proficient"]
        #expect(ProgressEngine.evaluate(record).eligibility.missing.contains(
            "12 skills not yet signed off (S-01, S-02, S-03, S-04, S-05 and 7 more)"))
    }

    @Test("missing hours round up and done hours round down to a tenth", arguments: [
        (119_999, "0.1 more on-the-job hours (1,999.9 of 2,000)"),
        (119_940, "1 more on-the-job hour (1,999 of 2,000)"),
        (0, "2,000 more on-the-job hours (0 of 2,000)"),
        (60_030, "999.5 more on-the-job hours (1,000.5 of 2,000)"),
    ])
    func hoursText(minutes: Int, text: String) {
        var record = snapshot()
        record.approvedMinutesBySkillSet = ["A": minutes]
        #expect(ProgressEngine.evaluate(record).eligibility.missing.first == text)
    }

    @Test("only an apprentice in good standing is eligible", arguments: [
        (ApprenticeStatus.suspended, ["The apprenticeship is suspended"]),
        (.cancelled, ["The apprenticeship is cancelled"]),
        (.pendingAgreement, ["The agreement is not signed yet"]),
        (.completed, ["Already completed"]),
        (.probation, []),
        (.active, []),
    ])
    func statusBlocksEligibility(status: ApprenticeStatus, missing: [String]) {
        var record = snapshot(status: status)
        allMet(&record)
        let eligibility = ProgressEngine.evaluate(record).eligibility
        #expect(eligibility.missing == missing)
        #expect(eligibility.isEligible == missing.isEmpty)
    }

    @Test("the status sentence comes before the unmet requirements")
    func statusFirst() {
        let missing = ProgressEngine.evaluate(snapshot(status: .suspended)).eligibility.missing
        #expect(missing.first == "The apprenticeship is suspended")
        #expect(missing.count == 5)
    }

    // MARK: Credentials

    @Test("an expired credential does not count; one expiring today still does")
    func expiredCredential() throws {
        var record = snapshot(today: "2026-08-03")  // 6 months in
        allMet(&record)
        record.credentials["cred"] = .init(status: .passed, date: day("2021-08-02"), expires: day("2026-08-02"))
        var progress = ProgressEngine.evaluate(record)
        var credential = try #require(progress.credentials.first)
        #expect(credential.isExpired)
        #expect(!credential.isPassed)
        #expect(progress.eligibility.missing == ["A Credential expired on 2026-08-02"])
        #expect(progress.wage.reachedStep == 2, "the credential wage step is not reached")

        record.credentials["cred"]?.expires = day("2026-08-03")
        progress = ProgressEngine.evaluate(record)
        credential = try #require(progress.credentials.first)
        #expect(!credential.isExpired)
        #expect(credential.isPassed)
        #expect(progress.eligibility.isEligible)
    }

    @Test("a failed credential is neither passed nor expired")
    func failedCredential() throws {
        var record = snapshot()
        record.credentials["cred"] = .init(status: .failed, date: day("2026-01-01"), expires: day("2026-02-01"))
        let credential = try #require(ProgressEngine.evaluate(record).credentials.first)
        #expect(credential.status == .failed)
        #expect(!credential.isExpired)
        #expect(!credential.isPassed)
        #expect(CredentialStatus.failed.label == "Failed — retake")
        #expect(CredentialStatus.allCases.map(\.label) == ["Planned", "Scheduled", "Passed", "Failed — retake"])
    }

    @Test("credentials follow the standards, and the next deadline is the earliest scheduled exam from today")
    func credentialsAndDeadline() {
        var standards = ProgramStandards.mock()
        standards.credentials = ["c1", "c2", "c3", "c4"].map {
            CredentialRequirement(code: $0, name: $0.uppercased(), issuer: "Issuer", required: $0 != "c4")
        }
        var record = snapshot(standards, today: "2026-06-01")
        record.credentials = [
            "c1": .init(status: .scheduled, date: day("2026-07-01")),
            "c2": .init(status: .scheduled, date: day("2026-06-15")),
            "c3": .init(status: .scheduled, date: day("2026-05-01")),  // stale
            "zz": .init(status: .scheduled, date: day("2026-06-02")),  // unknown
        ]
        let progress = ProgressEngine.evaluate(record)
        #expect(progress.credentials.map(\.code) == ["c1", "c2", "c3", "c4"])
        #expect(progress.credentials.map(\.required) == [true, true, true, false])
        #expect(progress.credentials[3].status == nil)
        #expect(progress.nextCredentialDeadline?.code == "c2")

        record.credentials["c2"]?.date = day("2026-06-01")
        #expect(ProgressEngine.evaluate(record).nextCredentialDeadline?.code == "c2", "today still counts")
        record.credentials = [:]
        #expect(ProgressEngine.evaluate(record).nextCredentialDeadline == nil)
    }

    // MARK: Pace and projection

    @Test("40 h a week for 12 weeks with 1,000 h left projects 175 days out")
    func projection() {
        var record = snapshot(today: "2026-06-03")  // a Wednesday
        record.approvedMinutesBySkillSet = ["A": 1000 * 60]
        record.approvedMinutesByWeek = weeks(before: "2026-06-03", count: 12, minutes: 40 * 60)
        record.approvedMinutesByWeek[day("2026-03-02")] = 99_999  // 13 weeks back: outside the window
        record.lastApprovedEntryDate = day("2026-05-29")
        let progress = ProgressEngine.evaluate(record)
        #expect(progress.weeklyPaceHours == 40)
        #expect(progress.projectedCompletion == day("2026-11-25"))
        #expect(progress.outlook == .onTrack)
        #expect(progress.outlook.code == "on-track")
    }

    @Test("the current week is ignored for pace: it is not over")
    func currentWeekIgnored() {
        var record = snapshot(today: "2026-06-03")
        record.approvedMinutesBySkillSet = ["A": 1000 * 60]
        record.approvedMinutesByWeek = [day("2026-06-01"): 40 * 60]
        record.lastApprovedEntryDate = day("2026-06-02")
        let progress = ProgressEngine.evaluate(record)
        #expect(progress.weeklyPaceHours == 0)
        #expect(progress.projectedCompletion == nil)
        #expect(progress.outlook == .atRisk(reasons: ["No recent pace to project from"]))
    }

    @Test("a new apprentice's pace is averaged over the full weeks since the start only")
    func shortHistory() {
        var record = snapshot(start: "2026-05-06", today: "2026-06-03")  // started on a Wednesday
        record.approvedMinutesByWeek = weeks(before: "2026-06-03", count: 4, minutes: 20 * 60)
        record.approvedMinutesByWeek[day("2026-06-01")] = 50 * 60
        #expect(ProgressEngine.evaluate(record).weeklyPaceHours == 20)

        // In the first week there is no full week yet: one week is the floor.
        record = snapshot(start: "2026-06-01", today: "2026-06-03")
        record.approvedMinutesByWeek = [day("2026-06-01"): 16 * 60]
        #expect(ProgressEngine.evaluate(record).weeklyPaceHours == 0)
    }

    @Test("pace keys are read as weeks even when they are not Mondays")
    func nonMondayKeys() {
        var record = snapshot(today: "2026-06-03")
        record.approvedMinutesByWeek = [day("2026-05-31"): 12 * 60 * 12]  // Sunday of the previous week
        #expect(ProgressEngine.evaluate(record).weeklyPaceHours == 12)
    }

    @Test("at risk when the projection falls after the term ends")
    func projectionAfterTerm() {
        var record = snapshot(today: "2027-06-02")  // term ends 2028-01-04
        record.approvedMinutesBySkillSet = ["A": 740 * 60]  // 1,260 h left
        record.approvedMinutesByWeek = weeks(before: "2027-06-02", count: 12, minutes: 1890)  // 31.5 h a week
        record.lastApprovedEntryDate = day("2027-05-28")
        let progress = ProgressEngine.evaluate(record)
        #expect(progress.weeklyPaceHours == 31.5)
        #expect(progress.projectedCompletion == day("2028-03-08"))
        #expect(progress.outlook == .atRisk(reasons: [
            "At 31.5 h a week the hours are met on 2028-03-08, after the term ends on 2028-01-04",
        ]))
        #expect(progress.outlook.label == "At risk")
        #expect(progress.outlook.code == "at-risk")
    }

    @Test("at risk when nothing was approved in the last 14 days", arguments: [
        ("2026-05-20", true),  // 14 days before today: still recent
        ("2026-05-19", false),  // 15 days
        (nil, false),
    ])
    func staleHours(lastEntry: String?, onTrack: Bool) {
        var record = snapshot(today: "2026-06-03")
        record.approvedMinutesBySkillSet = ["A": 1000 * 60]
        record.approvedMinutesByWeek = weeks(before: "2026-06-03", count: 12, minutes: 40 * 60)
        record.lastApprovedEntryDate = lastEntry.map(day)
        let outlook = ProgressEngine.evaluate(record).outlook
        #expect(outlook == (onTrack ? .onTrack : .atRisk(reasons: ["No approved hours in the last two weeks"])))
    }

    @Test("the first eight weeks are an observation period: nobody is at risk on pace yet")
    func gracePeriod() {
        let record = snapshot(start: "2026-04-08", today: "2026-06-03")
        #expect(ProgressEngine.evaluate(record).outlook == .onTrack)
        let later = snapshot(start: "2026-04-07", today: "2026-06-03")
        #expect(ProgressEngine.evaluate(later).outlook == .atRisk(reasons: [
            "No approved hours in the last two weeks", "No recent pace to project from",
        ]))
    }

    @Test("a suspended apprentice is at risk")
    func suspended() {
        var record = snapshot(status: .suspended, today: "2026-06-03")
        record.approvedMinutesBySkillSet = ["A": 1000 * 60]
        record.approvedMinutesByWeek = weeks(before: "2026-06-03", count: 12, minutes: 40 * 60)
        record.lastApprovedEntryDate = day("2026-06-01")
        #expect(ProgressEngine.evaluate(record).outlook == .atRisk(reasons: ["Suspended"]))
    }

    @Test("with the hours met, skills are projected at the rate they were signed off (credit excluded)")
    func skillProjection() {
        var standards = ProgramStandards.mock()
        standards.approach = .competencyBased
        var record = snapshot(standards, today: "2026-03-02")  // 56 days after the start
        record.creditedSkills = ["B-01"]
        record.skillRatings = ["A-01": "proficient"]
        record.lastApprovedEntryDate = day("2026-03-01")
        // Competency-based: hours are not a requirement, so no pace is needed.
        let progress = ProgressEngine.evaluate(record)
        #expect(progress.projectedCompletion == day("2026-04-27"))
        #expect(progress.outlook == .onTrack)

        // Hybrid with the hours met: same projection; nobody rated yet → nothing to project from.
        var hybrid = snapshot(today: "2026-03-02")
        hybrid.approvedMinutesBySkillSet = ["A": 2000 * 60]
        hybrid.creditedSkills = ["B-01"]
        hybrid.skillRatings = ["A-01": "proficient"]
        #expect(ProgressEngine.evaluate(hybrid).projectedCompletion == day("2026-04-27"))
        hybrid.skillRatings = [:]
        #expect(ProgressEngine.evaluate(hybrid).projectedCompletion == nil)
    }

    @Test("at risk when skills are projected after the term ends")
    func skillProjectionAfterTerm() {
        var record = snapshot(today: "2027-01-04")  // 364 days in, term ends 2028-01-04
        record.approvedMinutesBySkillSet = ["A": 2000 * 60]
        record.skillRatings = ["A-01": "proficient"]
        record.lastApprovedEntryDate = day("2027-01-01")
        let progress = ProgressEngine.evaluate(record)
        #expect(progress.projectedCompletion == day("2029-01-01"))  // 2 skills × 364 days
        #expect(progress.outlook == .atRisk(reasons: [
            "At the rate skills are signed off so far they are all signed off on 2029-01-01, after the term ends on 2028-01-04",
        ]))
    }

    // MARK: Status

    @Test("finished, not started and probation follow the status", arguments: [
        (ApprenticeStatus.completed, ApprenticeProgress.Outlook.finished, "finished", "Finished"),
        (.cancelled, .finished, "finished", "Finished"),
        (.pendingAgreement, .notStarted, "not-started", "Not started"),
    ])
    func statusOutlook(status: ApprenticeStatus, outlook: ApprenticeProgress.Outlook, code: String, label: String) {
        let progress = ProgressEngine.evaluate(snapshot(status: status))
        #expect(progress.outlook == outlook)
        #expect(progress.outlook.code == code)
        #expect(progress.outlook.label == label)
    }

    @Test("probation follows the status")
    func probation() {
        let record = snapshot(status: .probation)
        #expect(ProgressEngine.evaluate(record).probation == .inProbation(endsOn: day("2026-07-04")))
        #expect(ProgressEngine.evaluate(snapshot(status: .pendingAgreement)).probation == .notStarted)
        for status in [ApprenticeStatus.active, .suspended, .cancelled, .completed] {
            #expect(ProgressEngine.evaluate(snapshot(status: status)).probation == .completed)
        }
    }

    // MARK: Wage

    @Test("a met hours trigger waits for the credential step before it")
    func wageInOrder() throws {
        var record = snapshot(today: "2026-08-01")  // 6 months in
        record.approvedMinutesBySkillSet = ["A": 2100 * 60]
        record.recordedWageStep = 1
        var wage = ProgressEngine.evaluate(record).wage
        #expect(wage.reachedStep == 2)
        #expect(wage.recordedStep == 1)
        #expect(wage.dueSteps.map(\.step) == [2])
        #expect(wage.nextStep?.step == 3)
        #expect(wage.nextStepNeeds == "A Credential passed")

        record.credentials["cred"] = .init(status: .passed, date: day("2026-07-15"))
        record.recordedWageStep = 2
        wage = ProgressEngine.evaluate(record).wage
        #expect(wage.reachedStep == 4)
        #expect(wage.dueSteps.map(\.step) == [3, 4])
        #expect(wage.nextStep == nil)
        #expect(wage.nextStepNeeds == nil)

        record.recordedWageStep = 4
        #expect(ProgressEngine.evaluate(record).wage.dueSteps.isEmpty)
    }

    @Test("the next wage step says what it needs", arguments: [
        ("2026-04-10", 0, false, "3 more months"),
        ("2026-06-05", 0, false, "1 more month"),
        ("2026-08-01", 750 * 60, true, "1,250 more hours"),
        ("2026-08-01", 1999 * 60, true, "1 more hour"),
        ("2026-08-01", 1999 * 60 + 30, true, "0.5 more hours"),
    ])
    func wageNeeds(today: String, minutes: Int, passed: Bool, needs: String) {
        var record = snapshot(today: today)
        record.approvedMinutesBySkillSet = ["A": minutes]
        if passed { record.credentials["cred"] = .init(status: .passed) }
        #expect(ProgressEngine.evaluate(record).wage.nextStepNeeds == needs)
    }

    @Test("skills triggers count sign-offs, credit included")
    func wageSkills() {
        var standards = ProgramStandards.mock()
        standards.wageSchedule = [
            WageStep(step: 1, title: "Start", trigger: .start),
            WageStep(step: 2, title: "Skills", trigger: .skills(3)),
        ]
        var record = snapshot(standards)
        record.creditedSkills = ["B-01"]
        var wage = ProgressEngine.evaluate(record).wage
        #expect(wage.reachedStep == 1)
        #expect(wage.dueSteps.isEmpty)
        #expect(wage.nextStepNeeds == "2 more skills signed off")

        record.skillRatings = ["A-01": "proficient", "A-02": "proficient"]
        wage = ProgressEngine.evaluate(record).wage
        #expect(wage.reachedStep == 2)
        #expect(wage.dueSteps.map(\.step) == [2])
    }

    // MARK: Instruction

    @Test("instruction counts each course once by its latest completion, per program year")
    func instructionByYear() {
        var standards = ProgramStandards.mock()
        standards.courses = [
            Course(code: "RTI-1", title: "Basics", hours: 144),
            Course(code: "RTI-2", title: "Electronics", hours: 90),
            Course(code: "RTI-3", title: "Anatomy", hours: 60),
        ]
        var record = snapshot(standards, today: "2028-03-01")  // 25 months in: year 3
        record.completedCourses = [
            .init(courseCode: "RTI-1", hours: 150, completedOn: day("2026-09-01")),  // retake, latest
            .init(courseCode: "RTI-1", hours: 144, completedOn: day("2026-06-01")),
            .init(courseCode: "RTI-3", hours: 60, completedOn: day("2028-01-05")),  // exactly 24 months: year 3
            .init(courseCode: "RTI-X", hours: 500, completedOn: day("2026-06-01")),  // unknown
        ]
        let instruction = ProgressEngine.evaluate(record).instruction
        #expect(instruction.totalHours == 210)
        #expect(instruction.plannedHours == 294)
        #expect(instruction.completedCourses == ["RTI-1", "RTI-3"])
        #expect(instruction.missingCourses == ["Electronics"])
        #expect(instruction.byYear == [
            .init(year: 1, hours: 150, recommended: 144),
            .init(year: 2, hours: 0, recommended: 144),
            .init(year: 3, hours: 60, recommended: 144),
        ])
    }

    @Test("a new apprentice has one instruction year, even before the start")
    func instructionFirstYear() {
        let record = snapshot(start: "2026-07-01", today: "2026-06-03")
        let progress = ProgressEngine.evaluate(record)
        #expect(progress.monthsElapsed == 0)
        #expect(progress.instruction.byYear == [.init(year: 1, hours: 0, recommended: 144)])
        #expect(progress.instruction.missingCourses == ["Basics"])
    }

    // MARK: Calendar helpers

    @Test("months are whole calendar months", arguments: [
        ("2026-01-31", "2026-02-28", 0),
        ("2026-01-31", "2026-03-01", 1),
        ("2024-01-31", "2024-02-29", 0),
        ("2026-01-15", "2026-02-14", 0),
        ("2026-01-15", "2026-02-15", 1),
        ("2026-01-05", "2028-01-05", 24),
        ("2026-01-05", "2028-01-04", 23),
        ("2026-03-01", "2026-02-01", 0),
        ("2026-03-01", "2026-03-01", 0),
    ])
    func monthsBetween(start: String, end: String, months: Int) {
        #expect(ProgressEngine.monthsBetween(day(start), day(end)) == months)
    }

    @Test("a week starts on Monday", arguments: [
        ("2026-06-07", "2026-06-01"),  // Sunday
        ("2026-06-01", "2026-06-01"),  // Monday
        ("2026-06-06", "2026-06-01"),  // Saturday
        ("2026-01-01", "2025-12-29"),  // Thursday across a year
    ])
    func weekStart(date: String, monday: String) {
        #expect(ProgressEngine.weekStart(of: day(date)) == day(monday))
    }

    @Test("weekStart ignores the time of day")
    func weekStartTime() {
        let lateSunday = day("2026-06-07").addingTimeInterval(23 * 3600 + 59 * 60)
        #expect(ProgressEngine.weekStart(of: lateSunday) == day("2026-06-01"))
    }

    // MARK: Shipped standards

    @Test("a first-day apprentice on the shipped standards")
    func shippedStandards() throws {
        let standards = try StandardsDocument.load(contentsOf: ShippedStandards.url)
        var record = snapshot(standards, status: .probation, start: "2026-06-01", today: "2026-06-01")
        record.credentials["cabt"] = .init(status: .scheduled, date: day("2026-09-15"))
        let progress = ProgressEngine.evaluate(record)
        #expect(progress.skillSets.count == 10)
        #expect(progress.skillsTotal == 196)
        #expect(progress.minimumHours == 4000)
        #expect(progress.maximumHours == 6000)
        #expect(progress.credentials.map(\.code) == ["cabt", "it-fundamentals", "cbet-candidate"])
        #expect(progress.nextCredentialDeadline?.code == "cabt")
        #expect(progress.wage.reachedStep == 1)
        #expect(progress.wage.nextStepNeeds == "6 more months")
        #expect(progress.eligibility.missing.first == "4,000 more on-the-job hours (0 of 4,000)")
        #expect(progress.eligibility.missing.count == 6)
        #expect(progress.instruction.byYear.count == 1)
        #expect(progress.outlook == .onTrack)
    }
}
