import BMETDomain
import Fluent
import SQLKit
import Vapor

/// Builds an apprentice's progress from the running totals and the small per-apprentice tables, never from
/// the full hour or assessment history. Rows are read with SQLKit into plain `Decodable` structs: decoding Fluent
/// models by reflection was the largest cost of a progress read in the profile (see docs/PERFORMANCE.md).
enum ProgressReader {
    /// Weeks of totals read for the pace (the engine looks at the 12 before the current one).
    static let paceWeeks = 13

    // The rows one apprentice's progress is built from, with explicit column names: SQLRowDecoder's snake-case
    // conversion cost about 8% of an approval in the profile (docs/PERFORMANCE.md).
    struct SetRow: Decodable {
        var apprenticeId: UUID; var skillSetCode: String; var approvedMinutes: Int
        enum CodingKeys: String, CodingKey { case apprenticeId = "apprentice_id", skillSetCode = "skill_set_code", approvedMinutes = "approved_minutes" }
    }
    struct WeekRow: Decodable {
        var apprenticeId: UUID; var weekStart: String; var approvedMinutes: Int
        enum CodingKeys: String, CodingKey { case apprenticeId = "apprentice_id", weekStart = "week_start", approvedMinutes = "approved_minutes" }
    }
    struct CreditRow: Decodable {
        var apprenticeId: UUID; var skillSetCode: String; var hours: Int; var skillCodes: String
        enum CodingKeys: String, CodingKey { case apprenticeId = "apprentice_id", skillSetCode = "skill_set_code", hours, skillCodes = "skill_codes" }
    }
    struct StateRow: Decodable {
        var apprenticeId: UUID; var skillCode: String; var ratingCode: String
        enum CodingKeys: String, CodingKey { case apprenticeId = "apprentice_id", skillCode = "skill_code", ratingCode = "rating_code" }
    }
    struct InstructionRow: Decodable {
        var apprenticeId: UUID; var courseCode: String; var status: String; var eventDate: String; var hours: Int?
        enum CodingKeys: String, CodingKey { case apprenticeId = "apprentice_id", courseCode = "course_code", status, eventDate = "event_date", hours }
    }
    struct CredentialRow: Decodable {
        var apprenticeId: UUID; var credentialCode: String; var status: String; var eventDate: String?; var expiresOn: String?
        enum CodingKeys: String, CodingKey {
            case apprenticeId = "apprentice_id", credentialCode = "credential_code", status, eventDate = "event_date", expiresOn = "expires_on"
        }
    }
    struct StepRow: Decodable {
        var apprenticeId: UUID; var step: Int?
        enum CodingKeys: String, CodingKey { case apprenticeId = "apprentice_id", step }
    }
    struct LastDayRow: Decodable {
        var apprenticeId: UUID; var lastDay: String?
        enum CodingKeys: String, CodingKey { case apprenticeId = "apprentice_id", lastDay = "last_day" }
    }

    /// The rows one apprentice's progress is built from.
    struct Records {
        var sets: [SetRow] = []
        var weeks: [WeekRow] = []
        var lastApprovedEntryDate: String?
        var credits: [CreditRow] = []
        var states: [StateRow] = []
        /// Oldest first, so the latest record of a course or credential wins.
        var instruction: [InstructionRow] = []
        var credentials: [CredentialRow] = []
        var recordedStep = 0
    }

    static func snapshot(of apprentice: Apprentice, today: Date = ProgramCalendar.today(), on db: any Database) async throws -> TrainingRecordSnapshot {
        let id = try apprentice.requireID()
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        let records = try await read([id], today: today, on: db)[id] ?? .init()
        return snapshot(of: apprentice, standards: standards, records: records, today: today)
    }

    /// Every table's rows for `ids` (at most `chunkSize`), one statement per table.
    static func read(_ ids: [UUID], today: Date, on db: any Database) async throws -> [UUID: Records] {
        guard !ids.isEmpty else { return [:] }
        let sql = try db.sql()
        var records: [UUID: Records] = [:]
        func rows<Row: Decodable>(_ type: Row.Type, _ query: SQLQueryString) async throws -> [Row] {
            try await sql.raw(query).all(decoding: Row.self)
        }
        let since = paceSince(today)
        for row in try await rows(SetRow.self, "SELECT apprentice_id, skill_set_code, approved_minutes FROM \(ident: SkillSetTotal.schema) WHERE apprentice_id IN (\(binds: ids))") {
            records[row.apprenticeId, default: .init()].sets.append(row)
        }
        for row in try await rows(WeekRow.self, """
            SELECT apprentice_id, week_start, approved_minutes FROM \(ident: WeekTotal.schema)
            WHERE apprentice_id IN (\(binds: ids)) AND week_start >= \(bind: since)
            """) {
            records[row.apprenticeId, default: .init()].weeks.append(row)
        }
        for row in try await rows(CreditRow.self, "SELECT apprentice_id, skill_set_code, hours, skill_codes FROM \(ident: PriorLearningCredit.schema) WHERE apprentice_id IN (\(binds: ids))") {
            records[row.apprenticeId, default: .init()].credits.append(row)
        }
        for row in try await rows(StateRow.self, "SELECT apprentice_id, skill_code, rating_code FROM \(ident: SkillState.schema) WHERE apprentice_id IN (\(binds: ids))") {
            records[row.apprenticeId, default: .init()].states.append(row)
        }
        for row in try await rows(InstructionRow.self, """
            SELECT apprentice_id, course_code, status, event_date, hours FROM \(ident: InstructionRecord.schema)
            WHERE apprentice_id IN (\(binds: ids)) ORDER BY created_at
            """) {
            records[row.apprenticeId, default: .init()].instruction.append(row)
        }
        for row in try await rows(CredentialRow.self, """
            SELECT apprentice_id, credential_code, status, event_date, expires_on FROM \(ident: CredentialRecord.schema)
            WHERE apprentice_id IN (\(binds: ids)) ORDER BY created_at
            """) {
            records[row.apprenticeId, default: .init()].credentials.append(row)
        }
        for row in try await rows(StepRow.self, "SELECT apprentice_id, MAX(step) AS step FROM \(ident: WageRaise.schema) WHERE apprentice_id IN (\(binds: ids)) GROUP BY apprentice_id") {
            records[row.apprenticeId, default: .init()].recordedStep = row.step ?? 0
        }
        for (id, day) in try await latestEntryDays(ids, statuses: [.approved], on: sql) {
            records[id, default: .init()].lastApprovedEntryDate = day
        }
        return records
    }

    /// The latest day with an entry in one of `statuses`, per apprentice (those with none are left out): a correlated
    /// MAX, which both databases answer with seeks into the (apprentice_id, status, entry_date) index instead of reading
    /// every entry.
    static func latestEntryDays(_ ids: [UUID], statuses: [HourEntry.Status], on sql: any SQLDatabase) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.raw("""
            SELECT a.id AS apprentice_id, (SELECT MAX(h.entry_date) FROM \(ident: HourEntry.schema) h
              WHERE h.apprentice_id = a.id AND h.status IN (\(binds: statuses.map(\.rawValue)))) AS last_day
            FROM \(ident: Apprentice.schema) a WHERE a.id IN (\(binds: ids))
            """).all(decoding: LastDayRow.self)
        return Dictionary(rows.compactMap { row in row.lastDay.map { (row.apprenticeId, $0) } }, uniquingKeysWith: { $1 })
    }

    /// Progress of many apprentices with one query per table (in chunks), not one round of queries per apprentice:
    /// the cohort and sponsor pages list hundreds or thousands of people.
    static func progress(of apprentices: [Apprentice], today: Date = ProgramCalendar.today(), on db: any Database) async throws -> [UUID: ApprenticeProgress] {
        var records: [UUID: Records] = [:]
        let ids = apprentices.compactMap(\.id)
        for chunk in stride(from: 0, to: ids.count, by: chunkSize).map({ Array(ids[$0..<min(ids.count, $0 + chunkSize)]) }) {
            records.merge(try await read(chunk, today: today, on: db)) { $1 }
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

    /// The records once these pending entries are approved: what the running totals hold after the approval commits.
    static func adding(approved entries: [ProgressSummaries.PlannedApproval], to records: Records, apprenticeID: UUID, today: Date) -> Records {
        var records = records
        let since = paceSince(today)
        for entry in entries {
            records.sets.append(SetRow(apprenticeId: apprenticeID, skillSetCode: entry.skillSetCode, approvedMinutes: entry.minutes))
            let week = ProgressAggregates.weekKey(entry.entryDate)
            if week >= since { records.weeks.append(WeekRow(apprenticeId: apprenticeID, weekStart: week, approvedMinutes: entry.minutes)) }
            if records.lastApprovedEntryDate.map({ $0 < entry.entryDate }) ?? true { records.lastApprovedEntryDate = entry.entryDate }
        }
        return records
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
        var latestCourse: [String: InstructionRow] = [:]
        for record in records.instruction { latestCourse[record.courseCode] = record }
        let completed = latestCourse.values.filter { $0.status == InstructionRecord.Status.completed.rawValue }.compactMap { record in
            ProgramCalendar.day(record.eventDate).map { TrainingRecordSnapshot.CompletedCourse(courseCode: record.courseCode, hours: record.hours ?? 0, completedOn: $0) }
        }
        var credentials: [String: TrainingRecordSnapshot.CredentialState] = [:]
        for record in records.credentials {
            guard let status = CredentialStatus(rawValue: record.status) else { continue }
            credentials[record.credentialCode] = .init(status: status, date: record.eventDate.flatMap(ProgramCalendar.day),
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
