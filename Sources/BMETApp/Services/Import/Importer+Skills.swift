import BMETDomain
import Fluent
import SQLKit
import Vapor

extension Importer {
    static let assessmentColumns = ["id", "apprentice_id", "skill_code", "rating_code", "rating_label", "signs_off", "observed",
                                    "evidence_file", "evidence_name", "assessor_id", "created_at"]

    /// Skill sign-offs, checked like the assessment form: a skill and a rating level of the apprentice's program, an
    /// apprentice in probation or active, assessed by a mentor at the apprentice's employer (named by e-mail: an
    /// assessment always has an assessor with an account, as `skill_assessments.assessor_id` requires), on a day
    /// between the start and today. Appended as assessments dated on that day; the skill states are rebuilt from the
    /// whole history in the same transaction (`rebuildSkillStates`), so a later real assessment stays the current one.
    static func planSkills(_ rows: [ImportRow], actor: User, now: Date, into plan: inout ImportPlan, on db: any Database) async throws {
        let sql = try db.sql()
        let apprenticeIDs = try await refs(.apprentices, rows.map { $0["apprentice_ref"] }, on: sql)
        struct Target: Decodable { var id: UUID; var start_date: String; var program_version_id: UUID; var status: String; var full_name: String
            var employer_id: UUID; var user_id: UUID? }
        struct Assessor: Decodable { var id: UUID; var email: String; var role: String; var employer_id: UUID?; var is_active: Bool }
        var targets: [UUID: Target] = [:]
        let ids = Array(Set(apprenticeIDs.values))
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(ids.count, start + lookupChunk)])
            for t in try await sql.select().columns("id", "start_date", "program_version_id", "status", "full_name", "employer_id", "user_id")
                .from(Apprentice.schema).where("id", .in, chunk).all(decoding: Target.self) { targets[t.id] = t }
            start += lookupChunk
        }
        var assessors: [String: Assessor] = [:]
        let emails = Array(Set(rows.map { Check.normalizedEmail($0["assessor_email"]) }))
        start = 0
        while start < emails.count {
            let chunk = Array(emails[start..<min(emails.count, start + lookupChunk)])
            for a in try await sql.select().columns("id", "email", "role", "employer_id", "is_active").from(User.schema)
                .where("email", .in, chunk).all(decoding: Assessor.self) { assessors[a.email] = a }
            start += lookupChunk
        }
        var standards: [UUID: ProgramStandards] = [:]
        for versionID in Set(targets.values.map(\.program_version_id)) {
            standards[versionID] = try await StandardsLibrary.standards(ofVersion: versionID, on: db)
        }
        let today = ProgramCalendar.dayString(ProgramCalendar.today(now))
        let limit = FieldLimits.limit(for: "observed")
        // One sign-off per apprentice, skill and day: the history's order is its dates.
        var seen: [String: Int] = [:]
        for row in rows {
            guard let id = apprenticeIDs[row["apprentice_ref"]], let target = targets[id], let program = standards[target.program_version_id] else {
                plan.issue(row, "apprentice_ref", "No apprentice was imported as \(row["apprentice_ref"]); import the apprentices file first."); continue
            }
            if target.status != ApprenticeStatus.probation.rawValue && target.status != ApprenticeStatus.active.rawValue {
                plan.issue(row, "apprentice_ref", "Skills are assessed while the apprenticeship is in probation or active; \(target.full_name)'s is \(target.status).")
            }
            let code = row["skill"].uppercased()
            let skill = program.skill(code: code)
            if skill == nil { plan.issue(row, "skill", "\(code) is not a skill of the program (codes such as \(program.skillSets.first?.skills.first?.code ?? "OS-01")).") }
            let level = program.ratingLevel(code: row["rating"].lowercased())
            if level == nil { plan.issue(row, "rating", "Choose a rating: \(program.ratingScale.map(\.code).joined(separator: ", ")).") }
            var day: String?
            if let parsed = ProgramCalendar.day(row["assessed_on"]) {
                let text = ProgramCalendar.dayString(parsed)
                if text > today { plan.issue(row, "assessed_on", "\(text) is in the future.") }
                else if text < target.start_date { plan.issue(row, "assessed_on", "\(text) is before \(target.full_name)'s start on \(target.start_date).") }
                else { day = text }
            } else { plan.issue(row, "assessed_on", "Enter the date as YYYY-MM-DD.") }
            let email = Check.normalizedEmail(row["assessor_email"])
            let assessor = assessors[email]
            if let assessor {
                if assessor.role != Role.mentor.rawValue || assessor.employer_id != target.employer_id || !assessor.is_active {
                    plan.issue(row, "assessor_email", "\(email) is not an active mentor at \(target.full_name)'s employer; only such a mentor signs skills off.")
                } else if assessor.id == target.user_id {
                    plan.issue(row, "assessor_email", "An apprentice does not assess themselves.")
                }
            } else { plan.issue(row, "assessor_email", "No account has the e-mail \(email); import the people file first.") }
            let note = row["note"]
            if note.count > limit - 10 { plan.issue(row, "note", "At most \(limit - 10) characters.") }
            if let day, skill != nil {
                let key = "\(id)|\(code)|\(day)"
                if let first = seen[key] { plan.issue(row, "assessed_on", "Row \(first) already signs \(code) off for \(target.full_name) on \(day).") }
                else { seen[key] = row.line }
            }
            guard let day, let skill, let level, let assessor, let dayDate = ProgramCalendar.day(day) else { continue }
            let assessmentID = UUID()
            // Midday of the assessed day (the history shows that day whatever the reader's zone), never after the import
            // itself, so whatever is assessed after the import is later and stays the skill's state.
            plan.add(SkillAssessment.schema, assessmentColumns, [
                assessmentID, id, skill.skill.code, level.code, level.label, level.signsOff,
                note.isEmpty ? "Imported: assessed before the platform." : "Imported: \(note)", String?.none, String?.none, assessor.id,
                min(dayDate.addingTimeInterval(12 * 3600), now),
            ])
            plan.refs.append((row["assessment_ref"], assessmentID))
            plan.apprentices.insert(id)
            plan.skillStates.insert(id)
        }
    }

    /// Rewrites these apprentices' skill states from their whole assessment history (the latest assessment of each
    /// skill is its state), the way `bmet verify aggregates` recomputes them; a chunk of apprentices at a time.
    static func rebuildSkillStates(_ apprentices: [UUID], on sql: any SQLDatabase) async throws {
        struct Row: Decodable { var apprentice_id: UUID; var skill_code: String; var rating_code: String; var signs_off: Bool; var created_at: Date }
        var start = 0
        while start < apprentices.count {
            let chunk = Array(apprentices[start..<min(apprentices.count, start + lookupChunk)])
            start += lookupChunk
            var latest: [String: (row: Row, count: Int)] = [:]
            for row in try await sql.select().columns("apprentice_id", "skill_code", "rating_code", "signs_off", "created_at").from(SkillAssessment.schema)
                .where("apprentice_id", .in, chunk).orderBy("created_at").all(decoding: Row.self) {
                let key = "\(row.apprentice_id)|\(row.skill_code)"
                latest[key] = (row, (latest[key]?.count ?? 0) + 1)
            }
            try await sql.delete(from: SkillState.schema).where("apprentice_id", .in, chunk).run()
            try await insert(SkillState.schema, ["id", "apprentice_id", "skill_code", "rating_code", "signs_off", "assessment_count", "last_assessed_at"],
                             latest.values.map { [UUID(), $0.row.apprentice_id, $0.row.skill_code, $0.row.rating_code, $0.row.signs_off, $0.count, $0.row.created_at] },
                             on: sql)
        }
    }
}
