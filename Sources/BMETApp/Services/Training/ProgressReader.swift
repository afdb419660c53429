import BMETDomain
import Fluent
import Vapor

/// Builds an apprentice's progress from the running totals and the small per-apprentice tables, never from
/// the full hour or assessment history.
enum ProgressReader {
    /// Weeks of totals read for the pace (the engine looks at the 12 before the current one).
    static let paceWeeks = 13

    static func snapshot(of apprentice: Apprentice, today: Date = ProgramCalendar.today(), on db: any Database) async throws -> TrainingRecordSnapshot {
        let id = try apprentice.requireID()
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        let start = ProgramCalendar.day(apprentice.startDate) ?? today
        let sets = try await SkillSetTotal.query(on: db).filter(\.$apprentice.$id == id).all()
        let since = ProgramCalendar.dayString(ProgramCalendar.calendar.date(byAdding: .day, value: -7 * paceWeeks, to: ProgressEngine.weekStart(of: today)) ?? today)
        let weeks = try await WeekTotal.query(on: db).filter(\.$apprentice.$id == id).filter(\.$weekStart >= since).all()
        let lastEntry = try await HourEntry.query(on: db).filter(\.$apprentice.$id == id).filter(\.$status == .approved)
            .sort(\.$entryDate, .descending).field(\.$entryDate).first()
        let credits = try await PriorLearningCredit.query(on: db).filter(\.$apprentice.$id == id).all()
        let states = try await SkillState.query(on: db).filter(\.$apprentice.$id == id).all()
        let instruction = try await InstructionRecord.query(on: db).filter(\.$apprentice.$id == id).sort(\.$createdAt).all()
        let credentialRecords = try await CredentialRecord.query(on: db).filter(\.$apprentice.$id == id).sort(\.$createdAt).all()
        let recordedStep = try await WageRaise.query(on: db).filter(\.$apprentice.$id == id).max(\.$step) ?? 0

        var credited: [String: Int] = [:]
        var creditedSkills = Set<String>()
        for credit in credits {
            credited[credit.skillSetCode, default: 0] += credit.hours
            creditedSkills.formUnion(credit.skillCodes.split(separator: ",").map(String.init))
        }
        // A course's state is its latest record; only completed courses count.
        var latestCourse: [String: InstructionRecord] = [:]
        for record in instruction { latestCourse[record.courseCode] = record }
        let completed = latestCourse.values.filter { $0.status == .completed }.compactMap { record in
            ProgramCalendar.day(record.eventDate).map { TrainingRecordSnapshot.CompletedCourse(courseCode: record.courseCode, hours: record.hours ?? 0, completedOn: $0) }
        }
        var credentials: [String: TrainingRecordSnapshot.CredentialState] = [:]
        for record in credentialRecords {
            credentials[record.credentialCode] = .init(status: record.status, date: record.eventDate.flatMap(ProgramCalendar.day),
                                                       expires: record.expiresOn.flatMap(ProgramCalendar.day))
        }
        return TrainingRecordSnapshot(
            standards: standards, status: apprentice.status, startDate: start,
            probationEnd: ProgramCalendar.day(apprentice.probationEnd) ?? start, termEnd: ProgramCalendar.day(apprentice.termEnd) ?? start, today: today,
            approvedMinutesBySkillSet: Dictionary(sets.map { ($0.skillSetCode, $0.approvedMinutes) }, uniquingKeysWith: +),
            approvedMinutesByWeek: Dictionary(weeks.compactMap { w in ProgramCalendar.day(w.weekStart).map { ($0, w.approvedMinutes) } }, uniquingKeysWith: +),
            lastApprovedEntryDate: lastEntry.flatMap { ProgramCalendar.day($0.entryDate) },
            creditedHoursBySkillSet: credited, creditedSkills: creditedSkills,
            skillRatings: Dictionary(states.map { ($0.skillCode, $0.ratingCode) }, uniquingKeysWith: { $1 }),
            completedCourses: completed, credentials: credentials, recordedWageStep: recordedStep)
    }

    static func progress(of apprentice: Apprentice, today: Date = ProgramCalendar.today(), on db: any Database) async throws -> ApprenticeProgress {
        ProgressEngine.evaluate(try await snapshot(of: apprentice, today: today, on: db))
    }
}
