import BMETDomain
import Fluent
import SQLKit
import Vapor

extension Importer {
    static let hourColumns = ["id", "apprentice_id", "entry_date", "skill_set_code", "minutes", "description", "skill_codes", "work_order",
                              "client_key", "status", "created_by_id", "created_at"]

    /// Historical hours, checked like the week form (no future days, none before the start, quarter hours, at most 24 a
    /// day with what is already on record, the program's skill sets). Kept as approved entries marked imported (the
    /// decision says so, with the file), or summed per apprentice and skill set into credit for prior learning.
    /// The file comes a chunk of rows at a time; what has to outlive a chunk (the apprentices met so far, minutes per
    /// apprentice and day for the 24-hour check, credit per skill set) is kept here, compactly.
    struct HoursPlanner {
        private struct Target: Decodable { var id: UUID; var start_date: String; var program_version_id: UUID; var status: String; var full_name: String }
        /// One apprentice's day, with the day as yyyymmdd: 24 bytes a key, for millions of rows.
        private struct DayKey: Hashable { let apprentice: UUID; let day: Int32 }
        /// A date cell as read: the day's text and its week, or nil when it is not a date (a file spans a few hundred days).
        private struct DayFacts { let text: String; let number: Int32; let week: String }

        let actor: User
        let now: Date
        private let today: String
        private let asCredit: Bool
        private var apprenticeIDs: [String: UUID] = [:]
        private var missingRefs: Set<String> = []
        private var targets: [UUID: Target] = [:]
        private var standards: [UUID: ProgramStandards] = [:]
        private var dayMinutes: [DayKey: Int32] = [:]
        private var days: [String: DayFacts?] = [:]
        private var credit: [ProgressAggregates.SetKey: (minutes: Int, refs: [String], firstRow: ImportRow)] = [:]
        private let note = "Imported history, approved before the platform."

        init(actor: User, now: Date, mode: ImportBatch.Mode) {
            self.actor = actor
            self.now = now
            today = ProgramCalendar.dayString(ProgramCalendar.today(now))
            asCredit = mode == .priorLearning
        }

        /// Looks up the apprentices of `rows` not met before: their records, program and the minutes already on file per day.
        private mutating func meet(_ rows: [ImportRow], on db: any Database) async throws {
            let sql = try db.sql()
            let refs = Set(rows.map { $0["apprentice_ref"] }).filter { apprenticeIDs[$0] == nil && !missingRefs.contains($0) }
            guard !refs.isEmpty else { return }
            let found = try await Importer.refs(.apprentices, Array(refs), on: sql)
            for ref in refs where found[ref] == nil { missingRefs.insert(ref) }
            let ids = Array(Set(found.values).subtracting(targets.keys))
            apprenticeIDs.merge(found) { $1 }
            struct Day: Decodable { var apprentice_id: UUID; var entry_date: String; var minutes: Int }
            var start = 0
            while start < ids.count {
                let chunk = Array(ids[start..<min(ids.count, start + lookupChunk)])
                for t in try await sql.select().columns("id", "start_date", "program_version_id", "status", "full_name").from(Apprentice.schema)
                    .where("id", .in, chunk).all(decoding: Target.self) { targets[t.id] = t }
                for d in try await sql.raw("""
                    SELECT apprentice_id, entry_date, CAST(SUM(minutes) AS BIGINT) AS minutes FROM \(ident: HourEntry.schema)
                    WHERE apprentice_id IN (\(binds: chunk)) AND status IN (\(binds: [HourEntry.Status.pending.rawValue, HourEntry.Status.approved.rawValue]))
                    GROUP BY apprentice_id, entry_date
                    """).all(decoding: Day.self) {
                    if let facts = dayFacts(d.entry_date) { dayMinutes[DayKey(apprentice: d.apprentice_id, day: facts.number)] = Int32(d.minutes) }
                }
                start += lookupChunk
            }
            for versionID in Set(targets.values.map(\.program_version_id)) where standards[versionID] == nil {
                standards[versionID] = try await StandardsLibrary.standards(ofVersion: versionID, on: db)
            }
        }

        private mutating func dayFacts(_ cell: String) -> DayFacts? {
            if let known = days[cell] { return known }
            let facts = ProgramCalendar.day(cell).map { day -> DayFacts in
                let text = ProgramCalendar.dayString(day)
                return DayFacts(text: text, number: Int32(text.replacingOccurrences(of: "-", with: "")) ?? 0, week: ProgressAggregates.weekKey(text))
            }
            days[cell] = facts
            return facts
        }

        /// Checks one chunk of rows and adds what they store to `plan`.
        mutating func plan(_ rows: [ImportRow], into plan: inout ImportPlan, on db: any Database) async throws {
            try await meet(rows, on: db)
            for row in rows {
                guard let id = apprenticeIDs[row["apprentice_ref"]], let target = targets[id] else {
                    plan.issue(row, "apprentice_ref", "No apprentice was imported as \(row["apprentice_ref"]); import the apprentices file first."); continue
                }
                guard let program = standards[target.program_version_id] else { continue }
                var ok = true
                let day = dayFacts(row["date"])
                if let day {
                    if day.text > today { plan.issue(row, "date", "\(day.text) is in the future."); ok = false }
                    else if day.text < target.start_date { plan.issue(row, "date", "\(day.text) is before \(target.full_name)'s start on \(target.start_date)."); ok = false }
                } else { plan.issue(row, "date", "Enter the date as YYYY-MM-DD."); ok = false }
                let code = row["skill_set"].uppercased()
                if program.skillSet(code: code) == nil {
                    plan.issue(row, "skill_set", "\(code) is not a skill set of the program (\(program.skillSets.map(\.code).joined(separator: ", "))).")
                    ok = false
                }
                // The week form's own parsing ("7.5", "7,5", "7:30"; quarter hours, no sign).
                guard let minutes = HourRules.minutes(row["hours"]), minutes <= HourRules.maxMinutesPerDay else {
                    plan.issue(row, "hours", "Enter hours in quarter hours, more than 0 and at most 24 (e.g. 7.75)."); continue
                }
                let description = row["description"].isEmpty ? "Imported history" : row["description"]
                if description.count > FieldLimits.limit(for: "description") {
                    plan.issue(row, "description", "At most \(FieldLimits.limit(for: "description")) characters."); ok = false
                }
                guard ok, let day else { continue }
                let dayKey = DayKey(apprentice: id, day: day.number)
                let onDay = dayMinutes[dayKey, default: 0] + Int32(minutes)
                dayMinutes[dayKey] = onDay
                if onDay > HourRules.maxMinutesPerDay {
                    plan.issue(row, "hours", "\(target.full_name) would have more than 24 hours on \(day.text)."); continue
                }
                let key = ProgressAggregates.SetKey(apprenticeID: id, skillSetCode: code)
                plan.apprentices.insert(id)
                if asCredit {
                    credit[key, default: (0, [], row)].minutes += minutes
                    credit[key]!.refs.append(row["hours_ref"])
                    continue
                }
                let entryID = TimeOrderedID.make()
                plan.add(HourEntry.schema, hourColumns, [entryID, id, day.text, code, minutes, description, "", String?.none,
                                                         "import:" + row["hours_ref"], HourEntry.Status.approved.rawValue, actor.id, now])
                plan.add(HourDecision.schema, ["id", "entry_id", "action", "comment", "actor_id", "created_at"],
                         [TimeOrderedID.make(), entryID, HourDecision.Action.approve.rawValue, note, actor.id, now])
                plan.sets[key, default: (0, 0)].minutes += minutes
                plan.sets[key, default: (0, 0)].entries += 1
                plan.weeks[ProgressAggregates.WeekKey(apprenticeID: id, weekStart: day.week), default: 0] += minutes
                plan.refs.append((row["hours_ref"], entryID))
            }
        }

        /// After the last chunk: credit for prior learning, whole hours per skill set, at most the set's planned hours
        /// with what is credited already.
        func finish(into plan: inout ImportPlan, on db: any Database) async throws {
            guard asCredit, !credit.isEmpty else { return }
            let sql = try db.sql()
            struct Credited: Decodable { var apprentice_id: UUID; var skill_set_code: String; var hours: Int }
            var already: [ProgressAggregates.SetKey: Int] = [:]
            let creditIDs = Array(Set(credit.keys.map(\.apprenticeID)))
            var start = 0
            while start < creditIDs.count {
                let chunk = Array(creditIDs[start..<min(creditIDs.count, start + lookupChunk)])
                for c in try await sql.raw("""
                    SELECT apprentice_id, skill_set_code, CAST(SUM(hours) AS BIGINT) AS hours FROM \(ident: PriorLearningCredit.schema)
                    WHERE apprentice_id IN (\(binds: chunk)) GROUP BY apprentice_id, skill_set_code
                    """).all(decoding: Credited.self) { already[.init(apprenticeID: c.apprentice_id, skillSetCode: c.skill_set_code)] = c.hours }
                start += lookupChunk
            }
            for (key, total) in credit.sorted(by: { $0.value.firstRow.line < $1.value.firstRow.line }) {
                guard let target = targets[key.apprenticeID], let set = standards[target.program_version_id]?.skillSet(code: key.skillSetCode) else { continue }
                let hours = total.minutes / 60
                if total.minutes % 60 != 0 {
                    plan.issue(total.firstRow, "hours", "Credit is granted in whole hours: \(target.full_name)'s \(key.skillSetCode) rows add up to \(Double(total.minutes) / 60) hours.")
                    continue
                }
                if hours + (already[key] ?? 0) > set.hours {
                    plan.issue(total.firstRow, "hours", "\(target.full_name)'s credit in \(key.skillSetCode) would be \(hours + (already[key] ?? 0)) hours; the skill set plans \(set.hours).")
                    continue
                }
                let creditID = UUID()
                plan.add(PriorLearningCredit.schema, ["id", "apprentice_id", "skill_set_code", "hours", "skill_codes", "reason", "granted_by_id", "created_at"],
                         [creditID, key.apprenticeID, key.skillSetCode, hours, "", "Imported: \(total.refs.count) entries of earlier on-the-job learning.", actor.id, now])
                for ref in total.refs { plan.refs.append((ref, creditID)) }
            }
        }
    }
}
