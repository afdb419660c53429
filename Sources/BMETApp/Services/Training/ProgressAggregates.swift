import BMETDomain
import Fluent
import SQLKit
import Vapor

/// Keeps the running totals behind progress in step with the records, inside the caller's transaction
/// (which holds the apprentice's `TrainingLock`), and recomputes them from the records to find drift.
enum ProgressAggregates {
    /// Adds (or, with negative minutes, removes) approved time.
    static func addApproved(minutes: Int, entries: Int, apprenticeID: UUID, skillSetCode: String, entryDate: String, on db: any Database) async throws {
        let sql = try db.sql()
        try await add(sets: [SetKey(apprenticeID: apprenticeID, skillSetCode: skillSetCode): (minutes, entries)],
                      weeks: [WeekKey(apprenticeID: apprenticeID, weekStart: weekKey(entryDate)): minutes], on: sql)
    }

    struct SetKey: Hashable { var apprenticeID: UUID; var skillSetCode: String }
    struct WeekKey: Hashable { var apprenticeID: UUID; var weekStart: String }

    /// Adds approved minutes (and entries) per skill set and per week, plain SQL (this runs in every approval, inside the
    /// writer): one additive upsert per table for an approval's few keys, and as many rows per statement as the bind
    /// limit allows for an import's hundreds of thousands.
    static func add(sets: [SetKey: (minutes: Int, entries: Int)], weeks: [WeekKey: Int], on sql: any SQLDatabase) async throws {
        /// Inserts the rows, adding each counted column to the row already there for the same key.
        func upsertAdding(_ table: String, _ columns: [String], key: [String], counted: [String], _ rows: [[any Encodable & Sendable]]) async throws {
            let perStatement = BulkWriter.bindsPerStatement / columns.count
            for start in stride(from: 0, to: rows.count, by: perStatement) {
                let insert = sql.insert(into: table).columns(columns)
                for row in rows[start..<min(rows.count, start + perStatement)] { _ = insert.values(row) }
                try await (try insert.onConflict(with: key) { update in
                    update.values = counted.map {
                        SQLColumnAssignment(setting: SQLColumn($0), to: SQLBinaryExpression(SQLColumn($0, table: table), .add, SQLExcludedColumn(SQLColumn($0))))
                    }
                    return update
                }).run()
            }
        }
        try await upsertAdding(SkillSetTotal.schema, ["id", "apprentice_id", "skill_set_code", "approved_minutes", "approved_entries"],
                               key: ["apprentice_id", "skill_set_code"], counted: ["approved_minutes", "approved_entries"],
                               sets.filter { $0.value.minutes != 0 || $0.value.entries != 0 }
                                   .map { [TimeOrderedID.make(), $0.key.apprenticeID, $0.key.skillSetCode, $0.value.minutes, $0.value.entries] })
        try await upsertAdding(WeekTotal.schema, ["id", "apprentice_id", "week_start", "approved_minutes"],
                               key: ["apprentice_id", "week_start"], counted: ["approved_minutes"],
                               weeks.filter { $0.value != 0 }.map { [TimeOrderedID.make(), $0.key.apprenticeID, $0.key.weekStart, $0.value] })
    }

    /// Records a new assessment as the skill's current state.
    static func recordAssessment(_ assessment: SkillAssessment, on db: any Database) async throws {
        let apprenticeID = assessment.$apprentice.id
        if let state = try await SkillState.query(on: db).filter(\.$apprentice.$id == apprenticeID).filter(\.$skillCode == assessment.skillCode).first() {
            state.ratingCode = assessment.ratingCode
            state.signsOff = assessment.signsOff
            state.assessmentCount += 1
            state.lastAssessedAt = assessment.createdAt
            try await state.update(on: db)
        } else {
            let state = SkillState()
            state.$apprentice.id = apprenticeID
            state.skillCode = assessment.skillCode
            state.ratingCode = assessment.ratingCode
            state.signsOff = assessment.signsOff
            state.assessmentCount = 1
            state.lastAssessedAt = assessment.createdAt
            try await state.create(on: db)
        }
    }

    static func weekKey(_ entryDate: String) -> String {
        ProgramCalendar.day(entryDate).map { ProgramCalendar.dayString(ProgressEngine.weekStart(of: $0)) } ?? entryDate
    }

    // MARK: Verification

    /// Approved minutes and entries per skill set and day, summed by the database: a few hundred rows per
    /// apprentice instead of every entry, so checking national data takes minutes, not hours.
    static func approvedByDay(apprenticeID: UUID, on db: any Database) async throws -> [(skillSetCode: String, entryDate: String, minutes: Int, entries: Int)] {
        let sql = try db.sql()
        // CAST: PostgreSQL sums a bigint into a numeric, which does not decode as Int.
        return try await sql.raw("""
            SELECT skill_set_code, entry_date, CAST(SUM(minutes) AS BIGINT) AS minutes, COUNT(*) AS entries FROM \(ident: HourEntry.schema)
            WHERE apprentice_id = \(bind: apprenticeID) AND status = \(bind: HourEntry.Status.approved.rawValue) GROUP BY skill_set_code, entry_date
            """).all().map { row in
            (try row.decode(column: "skill_set_code", as: String.self), try row.decode(column: "entry_date", as: String.self),
             try row.decode(column: "minutes", as: Int.self), try row.decode(column: "entries", as: Int.self))
        }
    }

    /// One difference between a stored total and the same total recomputed from the records.
    struct Drift: CustomStringConvertible {
        let apprenticeID: UUID
        let what: String
        let stored: String
        let recomputed: String
        var description: String { "apprentice \(apprenticeID): \(what): stored \(stored), recomputed \(recomputed)" }
    }

    /// Recomputes one apprentice's totals from the raw records and lists every difference; with `repair`,
    /// rewrites the totals to the recomputed values.
    static func verify(apprenticeID: UUID, repair: Bool, on db: any Database) async throws -> [Drift] {
        var drifts: [Drift] = []
        var bySet: [String: (minutes: Int, entries: Int)] = [:]
        var byWeek: [String: Int] = [:]
        for day in try await approvedByDay(apprenticeID: apprenticeID, on: db) {
            bySet[day.skillSetCode, default: (0, 0)].minutes += day.minutes
            bySet[day.skillSetCode, default: (0, 0)].entries += day.entries
            byWeek[weekKey(day.entryDate), default: 0] += day.minutes
        }
        let setTotals = try await SkillSetTotal.query(on: db).filter(\.$apprentice.$id == apprenticeID).all()
        for code in Set(bySet.keys).union(setTotals.map(\.skillSetCode)).sorted() {
            let stored = setTotals.first { $0.skillSetCode == code }
            let expected = bySet[code] ?? (0, 0)
            if (stored?.approvedMinutes ?? 0) != expected.minutes || (stored?.approvedEntries ?? 0) != expected.entries {
                drifts.append(Drift(apprenticeID: apprenticeID, what: "approved minutes in skill set \(code)",
                                    stored: "\(stored?.approvedMinutes ?? 0) min / \(stored?.approvedEntries ?? 0) entries",
                                    recomputed: "\(expected.minutes) min / \(expected.entries) entries"))
            }
        }
        let weekTotals = try await WeekTotal.query(on: db).filter(\.$apprentice.$id == apprenticeID).all()
        for week in Set(byWeek.keys).union(weekTotals.map(\.weekStart)).sorted() {
            let stored = weekTotals.first { $0.weekStart == week }?.approvedMinutes ?? 0
            let expected = byWeek[week] ?? 0
            if stored != expected {
                drifts.append(Drift(apprenticeID: apprenticeID, what: "approved minutes in the week of \(week)", stored: "\(stored)", recomputed: "\(expected)"))
            }
        }
        let assessments = try await SkillAssessment.query(on: db).filter(\.$apprentice.$id == apprenticeID).sort(\.$createdAt).all()
        var latest: [String: (rating: String, signsOff: Bool, count: Int)] = [:]
        for assessment in assessments {
            let count = (latest[assessment.skillCode]?.count ?? 0) + 1
            latest[assessment.skillCode] = (assessment.ratingCode, assessment.signsOff, count)
        }
        let states = try await SkillState.query(on: db).filter(\.$apprentice.$id == apprenticeID).all()
        for code in Set(latest.keys).union(states.map(\.skillCode)).sorted() {
            let stored = states.first { $0.skillCode == code }
            let expected = latest[code]
            if stored?.ratingCode != expected?.rating || stored?.assessmentCount != expected?.count || stored?.signsOff != expected?.signsOff {
                drifts.append(Drift(apprenticeID: apprenticeID, what: "state of skill \(code)",
                                    stored: stored.map { "\($0.ratingCode) after \($0.assessmentCount) assessments" } ?? "none",
                                    recomputed: expected.map { "\($0.rating) after \($0.count) assessments" } ?? "none"))
            }
        }
        if repair && !drifts.isEmpty {
            try await db.writeTransaction { db in
                try await TrainingLock.lock(apprenticeID, on: db)
                try await SkillSetTotal.query(on: db).filter(\.$apprentice.$id == apprenticeID).delete()
                try await WeekTotal.query(on: db).filter(\.$apprentice.$id == apprenticeID).delete()
                try await SkillState.query(on: db).filter(\.$apprentice.$id == apprenticeID).delete()
                let approved = try await HourEntry.query(on: db).filter(\.$apprentice.$id == apprenticeID).filter(\.$status == .approved)
                    .field(\.$skillSetCode).field(\.$entryDate).field(\.$minutes).all()
                for entry in approved {
                    try await addApproved(minutes: entry.minutes, entries: 1, apprenticeID: apprenticeID, skillSetCode: entry.skillSetCode, entryDate: entry.entryDate, on: db)
                }
                for assessment in assessments { try await recordAssessment(assessment, on: db) }
            }
        }
        return drifts
    }
}
