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
    static func planHours(_ rows: [ImportRow], actor: User, now: Date, into plan: inout ImportPlan, on db: any Database,
                          progress: (String, Int, Int) -> Void, flush: (Flush, every: Int)? = nil) async throws {
        guard let sql = db as? any SQLDatabase else { throw SQLRequired() }
        let apprenticeIDs = try await refs(.apprentices, rows.map { $0["apprentice_ref"] }, on: sql)
        struct Target: Decodable { var id: UUID; var start_date: String; var program_version_id: UUID; var status: String; var full_name: String }
        struct Day: Decodable { var apprentice_id: UUID; var entry_date: String; var minutes: Int }
        var targets: [UUID: Target] = [:]
        var dayMinutes: [String: Int] = [:]
        let ids = Array(Set(apprenticeIDs.values))
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(ids.count, start + lookupChunk)])
            for t in try await sql.select().columns("id", "start_date", "program_version_id", "status", "full_name").from(Apprentice.schema)
                .where("id", .in, chunk).all(decoding: Target.self) { targets[t.id] = t }
            for d in try await sql.raw("""
                SELECT apprentice_id, entry_date, CAST(SUM(minutes) AS BIGINT) AS minutes FROM \(ident: HourEntry.schema)
                WHERE apprentice_id IN (\(binds: chunk)) AND status IN (\(binds: [HourEntry.Status.pending.rawValue, HourEntry.Status.approved.rawValue]))
                GROUP BY apprentice_id, entry_date
                """).all(decoding: Day.self) { dayMinutes[d.apprentice_id.uuidString + d.entry_date] = d.minutes }
            start += lookupChunk
        }
        var standards: [UUID: ProgramStandards] = [:]
        for versionID in Set(targets.values.map(\.program_version_id)) {
            standards[versionID] = try await StandardsLibrary.standards(ofVersion: versionID, on: db)
        }
        let today = ProgramCalendar.dayString(ProgramCalendar.today(now))
        let asCredit = plan.mode == .priorLearning
        var credit: [ProgressAggregates.SetKey: (minutes: Int, refs: [String], firstRow: ImportRow)] = [:]
        let note = "Imported history, approved before the platform."

        for (number, row) in rows.enumerated() {
            if number % 50_000 == 0 { progress("Checking", number, rows.count) }
            if number > 0, let flush, number % flush.every == 0 { try await flush.0(&plan) }
            guard let id = apprenticeIDs[row["apprentice_ref"]], let target = targets[id] else {
                plan.issue(row, "apprentice_ref", "No apprentice was imported as \(row["apprentice_ref"]); import the apprentices file first."); continue
            }
            guard let program = standards[target.program_version_id] else { continue }
            var ok = true
            let date = row["date"]
            if let day = ProgramCalendar.day(date) {
                let text = ProgramCalendar.dayString(day)
                if text > today { plan.issue(row, "date", "\(text) is in the future."); ok = false }
                else if text < target.start_date { plan.issue(row, "date", "\(text) is before \(target.full_name)'s start on \(target.start_date)."); ok = false }
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
            guard ok, let day = ProgramCalendar.day(date) else { continue }
            let dayText = ProgramCalendar.dayString(day)
            let dayKey = id.uuidString + dayText
            dayMinutes[dayKey, default: 0] += minutes
            if dayMinutes[dayKey]! > HourRules.maxMinutesPerDay {
                plan.issue(row, "hours", "\(target.full_name) would have more than 24 hours on \(dayText)."); continue
            }
            let key = ProgressAggregates.SetKey(apprenticeID: id, skillSetCode: code)
            plan.apprentices.insert(id)
            if asCredit {
                credit[key, default: (0, [], row)].minutes += minutes
                credit[key]!.refs.append(row["hours_ref"])
                continue
            }
            let entryID = UUID()
            plan.add(HourEntry.schema, hourColumns, [entryID, id, dayText, code, minutes, description, "", String?.none,
                                                     "import:" + row["hours_ref"], HourEntry.Status.approved.rawValue, actor.id, now])
            plan.add(HourDecision.schema, ["id", "entry_id", "action", "comment", "actor_id", "created_at"],
                     [UUID(), entryID, HourDecision.Action.approve.rawValue, note, actor.id, now])
            plan.sets[key, default: (0, 0)].minutes += minutes
            plan.sets[key, default: (0, 0)].entries += 1
            plan.weeks[ProgressAggregates.WeekKey(apprenticeID: id, weekStart: ProgressAggregates.weekKey(dayText)), default: 0] += minutes
            plan.refs.append((row["hours_ref"], entryID))
        }

        // Credit for prior learning: whole hours per skill set, at most the set's planned hours with what is credited already.
        guard asCredit, !credit.isEmpty else { return }
        struct Credited: Decodable { var apprentice_id: UUID; var skill_set_code: String; var hours: Int }
        var already: [ProgressAggregates.SetKey: Int] = [:]
        let creditIDs = Array(Set(credit.keys.map(\.apprenticeID)))
        start = 0
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
