import BMETDomain
import Fluent
import SQLKit
import Vapor

/// Builds an apprentice's progress from the running totals and the small per-apprentice tables, never from
/// the full hour or assessment history.
enum ProgressReader {
    /// Weeks of totals read for the pace (the engine looks at the 12 before the current one).
    static let paceWeeks = 13

    static func snapshot(of apprentice: Apprentice, today: Date = ProgramCalendar.today(), on db: any Database) async throws -> TrainingRecordSnapshot {
        let id = try apprentice.requireID()
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        let since = paceSince(today)
        let lastEntry = try await HourEntry.query(on: db).filter(\.$apprentice.$id == id).filter(\.$status == .approved)
            .sort(\.$entryDate, .descending).field(\.$entryDate).first()
        let records = Records(
            sets: try await SkillSetTotal.query(on: db).filter(\.$apprentice.$id == id).all(),
            weeks: try await WeekTotal.query(on: db).filter(\.$apprentice.$id == id).filter(\.$weekStart >= since).all(),
            lastApprovedEntryDate: lastEntry?.entryDate,
            credits: try await PriorLearningCredit.query(on: db).filter(\.$apprentice.$id == id).all(),
            states: try await SkillState.query(on: db).filter(\.$apprentice.$id == id).all(),
            instruction: try await InstructionRecord.query(on: db).filter(\.$apprentice.$id == id).sort(\.$createdAt).all(),
            credentials: try await CredentialRecord.query(on: db).filter(\.$apprentice.$id == id).sort(\.$createdAt).all(),
            recordedStep: try await WageRaise.query(on: db).filter(\.$apprentice.$id == id).max(\.$step) ?? 0)
        return snapshot(of: apprentice, standards: standards, records: records, today: today)
    }

    /// The rows one apprentice's progress is built from.
    struct Records {
        var sets: [SkillSetTotal] = []
        var weeks: [WeekTotal] = []
        var lastApprovedEntryDate: String?
        var credits: [PriorLearningCredit] = []
        var states: [SkillState] = []
        /// Oldest first, so the latest record of a course or credential wins.
        var instruction: [InstructionRecord] = []
        var credentials: [CredentialRecord] = []
        var recordedStep = 0
    }

    /// Progress of many apprentices with one query per table (in chunks), not one round of queries per apprentice:
    /// the cohort and sponsor pages list hundreds or thousands of people.
    static func progress(of apprentices: [Apprentice], today: Date = ProgramCalendar.today(), on db: any Database) async throws -> [UUID: ApprenticeProgress] {
        var records: [UUID: Records] = [:]
        let ids = apprentices.compactMap(\.id)
        let since = paceSince(today)
        for chunk in stride(from: 0, to: ids.count, by: chunkSize).map({ Array(ids[$0..<min(ids.count, $0 + chunkSize)]) }) {
            for row in try await SkillSetTotal.query(on: db).filter(\.$apprentice.$id ~~ chunk).all() { records[row.$apprentice.id, default: .init()].sets.append(row) }
            for row in try await WeekTotal.query(on: db).filter(\.$apprentice.$id ~~ chunk).filter(\.$weekStart >= since).all() {
                records[row.$apprentice.id, default: .init()].weeks.append(row)
            }
            for row in try await PriorLearningCredit.query(on: db).filter(\.$apprentice.$id ~~ chunk).all() { records[row.$apprentice.id, default: .init()].credits.append(row) }
            for row in try await SkillState.query(on: db).filter(\.$apprentice.$id ~~ chunk).all() { records[row.$apprentice.id, default: .init()].states.append(row) }
            for row in try await InstructionRecord.query(on: db).filter(\.$apprentice.$id ~~ chunk).sort(\.$createdAt).all() {
                records[row.$apprentice.id, default: .init()].instruction.append(row)
            }
            for row in try await CredentialRecord.query(on: db).filter(\.$apprentice.$id ~~ chunk).sort(\.$createdAt).all() {
                records[row.$apprentice.id, default: .init()].credentials.append(row)
            }
            for row in try await WageRaise.query(on: db).filter(\.$apprentice.$id ~~ chunk).field(\.$apprentice.$id).field(\.$step).all() {
                records[row.$apprentice.id, default: .init()].recordedStep = max(records[row.$apprentice.id]?.recordedStep ?? 0, row.step)
            }
            // The latest approved day per apprentice: a correlated MAX, which both databases answer with one seek into
            // the (apprentice_id, status, entry_date) index instead of reading every approved entry.
            if let sql = db as? any SQLDatabase {
                let rows = try await sql.raw("""
                    SELECT a.id AS apprentice_id, (SELECT MAX(h.entry_date) FROM \(ident: HourEntry.schema) h
                      WHERE h.apprentice_id = a.id AND h.status = \(bind: HourEntry.Status.approved.rawValue)) AS last_day
                    FROM \(ident: Apprentice.schema) a WHERE a.id IN (\(binds: chunk))
                    """).all()
                for row in rows {
                    let id = try row.decode(column: "apprentice_id", as: UUID.self)
                    records[id, default: .init()].lastApprovedEntryDate = try row.decode(column: "last_day", as: String?.self)
                }
            }
        }
        var standardsByVersion: [UUID: ProgramStandards] = [:]
        var result: [UUID: ApprenticeProgress] = [:]
        for apprentice in apprentices {
            guard let id = apprentice.id else { continue }
            let versionID = apprentice.$programVersion.id
            if standardsByVersion[versionID] == nil { standardsByVersion[versionID] = try await StandardsLibrary.standards(ofVersion: versionID, on: db) }
            result[id] = ProgressEngine.evaluate(snapshot(of: apprentice, standards: standardsByVersion[versionID]!, records: records[id] ?? .init(), today: today))
        }
        return result
    }

    /// Ids per `IN (…)` list: well inside both databases' bind limits.
    static let chunkSize = 2_000

    private static func paceSince(_ today: Date) -> String {
        ProgramCalendar.dayString(ProgramCalendar.calendar.date(byAdding: .day, value: -7 * paceWeeks, to: ProgressEngine.weekStart(of: today)) ?? today)
    }

    static func snapshot(of apprentice: Apprentice, standards: ProgramStandards, records: Records, today: Date) -> TrainingRecordSnapshot {
        let start = ProgramCalendar.day(apprentice.startDate) ?? today
        var credited: [String: Int] = [:]
        var creditedSkills = Set<String>()
        for credit in records.credits {
            credited[credit.skillSetCode, default: 0] += credit.hours
            creditedSkills.formUnion(credit.skillCodes.split(separator: ",").map(String.init))
        }
        // A course's state is its latest record; only completed courses count.
        var latestCourse: [String: InstructionRecord] = [:]
        for record in records.instruction { latestCourse[record.courseCode] = record }
        let completed = latestCourse.values.filter { $0.status == .completed }.compactMap { record in
            ProgramCalendar.day(record.eventDate).map { TrainingRecordSnapshot.CompletedCourse(courseCode: record.courseCode, hours: record.hours ?? 0, completedOn: $0) }
        }
        var credentials: [String: TrainingRecordSnapshot.CredentialState] = [:]
        for record in records.credentials {
            credentials[record.credentialCode] = .init(status: record.status, date: record.eventDate.flatMap(ProgramCalendar.day),
                                                       expires: record.expiresOn.flatMap(ProgramCalendar.day))
        }
        return TrainingRecordSnapshot(
            standards: standards, status: apprentice.status, startDate: start,
            probationEnd: ProgramCalendar.day(apprentice.probationEnd) ?? start, termEnd: ProgramCalendar.day(apprentice.termEnd) ?? start, today: today,
            approvedMinutesBySkillSet: Dictionary(records.sets.map { ($0.skillSetCode, $0.approvedMinutes) }, uniquingKeysWith: +),
            approvedMinutesByWeek: Dictionary(records.weeks.compactMap { w in ProgramCalendar.day(w.weekStart).map { ($0, w.approvedMinutes) } }, uniquingKeysWith: +),
            lastApprovedEntryDate: records.lastApprovedEntryDate.flatMap { ProgramCalendar.day($0) },
            creditedHoursBySkillSet: credited, creditedSkills: creditedSkills,
            skillRatings: Dictionary(records.states.map { ($0.skillCode, $0.ratingCode) }, uniquingKeysWith: { $1 }),
            completedCourses: completed, credentials: credentials, recordedWageStep: records.recordedStep)
    }

    static func progress(of apprentice: Apprentice, today: Date = ProgramCalendar.today(), on db: any Database) async throws -> ApprenticeProgress {
        ProgressEngine.evaluate(try await snapshot(of: apprentice, today: today, on: db))
    }
}
