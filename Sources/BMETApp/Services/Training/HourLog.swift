import BMETDomain
import Fluent
import SQLKit
import Vapor

/// One row of hours as typed: a day, a skill set, how long, what was done.
struct HourEntryInput: Content {
    var date: String?
    var skillSetCode: String?
    /// Hours as typed, e.g. "7.5" or "7,5"; quarter hours at most.
    var hours: String?
    var description: String?
    /// Skill codes practised, comma separated.
    var skills: String?
    var workOrder: String?
    var clientKey: String?
}

/// Logging hours, the mentor's decisions, corrections and closed months.
enum HourLog {
    static let descriptionLimit = FieldLimits.limit(for: "description")

    /// The apprentice's own record, if `actor` may log hours on it.
    static func requireOwner(_ apprentice: Apprentice, _ actor: User) throws {
        guard actor.role == .apprentice, apprentice.$user.id != nil, apprentice.$user.id == actor.id else {
            throw Abort(.forbidden, reason: "Only the apprentice logs their own hours.")
        }
    }

    /// Checks every row, then stores them all in one transaction, or none. Rows whose client key was already
    /// stored are returned as they are (a retried submission), not stored twice. Errors are keyed
    /// `prefix + field`, e.g. `entries.3.hours`.
    static func log(_ rows: [(prefix: String, input: HourEntryInput)], for apprentice: Apprentice, by actor: User,
                    today: Date = ProgramCalendar.today(), on db: any Database) async throws -> [HourEntry] {
        try requireOwner(apprentice, actor)
        if let refusal = HourRules.refusal(for: apprentice.status) { throw ValidationFailure(errors: ["form": refusal], message: refusal) }
        let apprenticeID = try apprentice.requireID()
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        let start = ProgramCalendar.day(apprentice.startDate) ?? today

        var errors = FieldErrors()
        var checked: [(input: HourEntryInput, day: String, set: String, minutes: Int, skills: [String], key: String)] = []
        for (prefix, input) in rows {
            if let entry = validate(input, prefix: prefix, standards: standards, start: start, today: today, into: &errors) {
                let key = input.clientKey?.trimmed.nilIfEmpty ?? UUID().uuidString
                checked.append((input, entry.entryDate, entry.skillSetCode, entry.minutes, entry.skillCodeList, String(key.prefix(100))))
            }
        }
        if rows.isEmpty { errors["form"] = "Enter the hours of at least one day." }
        guard errors.isEmpty else { throw ValidationFailure(errors: errors) }

        let valid = checked
        let actorID = try actor.requireID()
        return try await db.writeTransaction { db in
            try await TrainingLock.lock(apprenticeID, movesProgress: false, on: db)
            var stored: [HourEntry] = []
            var fresh: [(HourEntryInput, String, String, Int, [String], String)] = []
            // A retried submission names keys already stored; the day limit needs what each day holds. One statement for both.
            let (known, loggedByDay) = try await keysAndDays(apprenticeID, keys: valid.map(\.key), days: Array(Set(valid.map(\.day))), on: db)
            for row in valid {
                if known.contains(row.key), let existing = try await HourEntry.query(on: db).filter(\.$apprentice.$id == apprenticeID).filter(\.$clientKey == row.key).first() {
                    try requireSameSubmission(existing, day: row.day, set: row.set, minutes: row.minutes, skills: row.skills, input: row.input,
                                              field: (rows.first { $0.input.clientKey?.trimmed == row.key }?.prefix ?? "") + "clientKey")
                    stored.append(existing) // the same submission again
                } else { fresh.append(row) }
            }
            // The 24-hour limit counts what is already logged (pending or approved) plus this submission.
            var byDay: [String: Int] = [:]
            for row in fresh { byDay[row.1, default: 0] += row.3 }
            var dayErrors = FieldErrors()
            for (day, adding) in byDay {
                if let refusal = HourRules.dayLimitRefusal(day: day, logged: loggedByDay[day] ?? 0, adding: adding) {
                    for (prefix, input) in rows where ProgramCalendar.day(input.date ?? "").map(ProgramCalendar.dayString) == day {
                        dayErrors[prefix + "hours"] = refusal
                    }
                }
            }
            guard dayErrors.isEmpty else { throw ValidationFailure(errors: dayErrors) }
            for (input, day, set, minutes, skills, key) in fresh {
                let entry = HourEntry()
                entry.id = UUID()
                entry.$apprentice.id = apprenticeID
                entry.entryDate = day
                entry.skillSetCode = set
                entry.minutes = minutes
                entry.description = input.description?.trimmed ?? ""
                entry.skillCodes = skills.joined(separator: ",")
                entry.workOrder = input.workOrder?.trimmed.nilIfEmpty
                entry.clientKey = key
                entry.status = .pending
                entry.$createdBy.id = actorID
                entry.createdAt = Date()
                try await insert(entry, on: db)
                entry.isNewlyStored = true
                stored.append(entry)
            }
            return stored
        }
    }

    /// Ids of the apprentice's entries stored under these client keys, and the minutes already logged (pending or
    /// approved) on these days: one plain-row statement, as this is every write's path. (The cast: PostgreSQL's SUM of
    /// a bigint is a numeric.)
    private static func keysAndDays(_ apprenticeID: UUID, keys: [String], days: [String], on db: any Database) async throws -> (keys: Set<String>, minutes: [String: Int]) {
        guard !keys.isEmpty || !days.isEmpty else { return ([], [:]) }
        let sql = try db.sql()
        struct Row: Decodable { var kind: String; var value: String; var minutes: Int }
        let rows = try await sql.raw("""
            SELECT 'key' AS kind, client_key AS value, CAST(0 AS BIGINT) AS minutes FROM hour_entries
            WHERE apprentice_id = \(bind: apprenticeID) AND client_key IN (\(binds: keys.isEmpty ? [""] : keys))
            UNION ALL
            SELECT 'day' AS kind, entry_date AS value, CAST(SUM(minutes) AS BIGINT) AS minutes FROM hour_entries
            WHERE apprentice_id = \(bind: apprenticeID) AND entry_date IN (\(binds: days.isEmpty ? [""] : days)) AND status IN ('pending', 'approved')
            GROUP BY entry_date
            """).all(decoding: Row.self)
        return (Set(rows.filter { $0.kind == "key" }.map(\.value)),
                Dictionary(rows.filter { $0.kind == "day" }.map { ($0.value, $0.minutes) }, uniquingKeysWith: +))
    }

    /// Stores a new entry in one plain INSERT (the same columns and encodings Fluent writes; no model reflection on
    /// the write path). The entry must carry its id.
    private static func insert(_ entry: HourEntry, on db: any Database) async throws {
        let sql = try db.sql()
        try await sql.raw("""
            INSERT INTO hour_entries (id, apprentice_id, entry_date, skill_set_code, minutes, description, skill_codes, work_order,
                client_key, status, corrects_id, created_by_id, created_at)
            VALUES (\(bind: entry.requireID()), \(bind: entry.$apprentice.id), \(bind: entry.entryDate), \(bind: entry.skillSetCode),
                \(bind: entry.minutes), \(bind: entry.description), \(bind: entry.skillCodes), \(bind: entry.workOrder), \(bind: entry.clientKey),
                \(bind: entry.status.rawValue), \(bind: entry.$corrects.id), \(bind: entry.$createdBy.id), \(bind: entry.createdAt))
            """).run()
        entry.$id.exists = true
    }

    /// Changes a pending entry (only its author, only while no mentor has decided).
    static func edit(_ entry: HourEntry, _ input: HourEntryInput, apprentice: Apprentice, by actor: User,
                     today: Date = ProgramCalendar.today(), on db: any Database) async throws {
        try requireOwner(apprentice, actor)
        guard entry.status == .pending else {
            throw ValidationFailure(errors: ["form": "This entry is \(entry.status.label.lowercased()) and locked. Submit a correction instead."],
                                    message: "This entry is locked (\(entry.status.label.lowercased())); submit a correction instead.")
        }
        let replacement = try await validateSingle(input, apprentice: apprentice, excluding: entry.id, today: today, on: db)
        let entryID = try entry.requireID()
        try await db.writeTransaction { db in
            try await TrainingLock.lock(try apprentice.requireID(), movesProgress: false, on: db)
            guard let fresh = try await HourEntry.find(entryID, on: db), fresh.status == .pending else {
                throw ValidationFailure(errors: ["form": "A mentor decided on this entry meanwhile; it can no longer be changed."])
            }
            try await checkDayLimit(day: replacement.entryDate, adding: replacement.minutes, apprenticeID: apprentice.requireID(), excluding: entryID, on: db)
            fresh.entryDate = replacement.entryDate
            fresh.skillSetCode = replacement.skillSetCode
            fresh.minutes = replacement.minutes
            fresh.description = replacement.description
            fresh.skillCodes = replacement.skillCodes
            fresh.workOrder = replacement.workOrder
            try await fresh.update(on: db)
        }
    }

    /// Why a rejected entry cannot be fixed and resubmitted, or nil: once only (any fix of it, whatever became of that,
    /// ends it), and not a rejected correction of approved hours, which is fixed by correcting those hours again.
    static func resubmitRefusal(_ rejected: HourEntry, on db: any Database) async throws -> String? {
        guard rejected.status == .rejected else { return "Only rejected hours are fixed and resubmitted." }
        if let originalID = rejected.$corrects.id, try await HourEntry.find(originalID, on: db)?.status != .rejected {
            return "This was a correction of approved hours: correct those hours again from their own entry."
        }
        if try await HourEntry.query(on: db).filter(\.$corrects.$id == rejected.requireID()).count() > 0 {
            return "These hours were already fixed and resubmitted; see the entry that replaced them."
        }
        return nil
    }

    /// Submits a correction of an approved entry (a new pending entry; the original counts until the correction is
    /// approved) or fixes a rejected one in one step (a new pending entry linked to the rejection, which stays on record).
    static func correct(_ original: HourEntry, _ input: HourEntryInput, apprentice: Apprentice, by actor: User,
                        today: Date = ProgramCalendar.today(), on db: any Database) async throws -> HourEntry {
        try requireOwner(apprentice, actor)
        if let refusal = HourRules.refusal(for: apprentice.status) { throw ValidationFailure(errors: ["form": refusal], message: refusal) }
        guard original.status == .approved || original.status == .rejected else {
            throw ValidationFailure(errors: ["form": "Only an approved or rejected entry is corrected; this one is \(original.status.label.lowercased())."])
        }
        if original.status == .rejected, let refusal = try await resubmitRefusal(original, on: db) {
            throw ValidationFailure(errors: ["form": refusal], message: refusal)
        }
        let correction = try await validateSingle(input, apprentice: apprentice, excluding: original.id, today: today, on: db)
        let originalID = try original.requireID()
        let apprenticeID = try apprentice.requireID()
        let key = input.clientKey?.trimmed.nilIfEmpty.map { String($0.prefix(100)) } ?? UUID().uuidString
        return try await db.writeTransaction { db in
            try await TrainingLock.lock(apprenticeID, movesProgress: false, on: db)
            if let existing = try await HourEntry.query(on: db).filter(\.$apprentice.$id == apprenticeID).filter(\.$clientKey == key).first() {
                guard existing.$corrects.id == originalID else { throw keyConflict(key, field: "clientKey") }
                try requireSameSubmission(existing, day: correction.entryDate, set: correction.skillSetCode, minutes: correction.minutes,
                                          skills: correction.skillCodeList, input: input, field: "clientKey")
                return existing
            }
            if try await HourEntry.query(on: db).filter(\.$corrects.$id == originalID).filter(\.$status == .pending).first() != nil {
                throw ValidationFailure(errors: ["form": "A correction of this entry is already waiting for approval."])
            }
            // Checked again under the lock: two resubmissions at once leave one.
            if original.status == .rejected, let fresh = try await HourEntry.find(originalID, on: db), let refusal = try await resubmitRefusal(fresh, on: db) {
                throw ValidationFailure(errors: ["form": refusal], message: refusal)
            }
            try await checkDayLimit(day: correction.entryDate, adding: correction.minutes, apprenticeID: apprenticeID, excluding: originalID, on: db)
            correction.$apprentice.id = apprenticeID
            correction.clientKey = key
            correction.status = .pending
            correction.$corrects.id = originalID
            correction.$createdBy.id = try actor.requireID()
            correction.createdAt = Date()
            try await correction.create(on: db)
            return correction
        }
    }

    private static func validateSingle(_ input: HourEntryInput, apprentice: Apprentice, excluding: UUID?, today: Date, on db: any Database) async throws -> HourEntry {
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        var errors = FieldErrors()
        let entry = validate(input, prefix: "", standards: standards, start: ProgramCalendar.day(apprentice.startDate) ?? today,
                             today: today, into: &errors)
        guard errors.isEmpty, let entry else { throw ValidationFailure(errors: errors) }
        return entry
    }

    /// Checks one row (`HourRules.check`); returns an unsaved entry with its fields set, or adds messages keyed
    /// `prefix + field`.
    private static func validate(_ input: HourEntryInput, prefix: String, standards: ProgramStandards, start: Date,
                                 today: Date, into errors: inout FieldErrors) -> HourEntry? {
        var rowErrors: [String: String] = [:]
        let row = HourRules.check(date: input.date, skillSetCode: input.skillSetCode, hours: input.hours, description: input.description,
                                  skills: input.skills, workOrder: input.workOrder, standards: standards, start: start, today: today,
                                  descriptionLimit: descriptionLimit, errors: &rowErrors)
        for (field, message) in rowErrors { errors[prefix + field] = message }
        guard let row else { return nil }
        let entry = HourEntry()
        entry.entryDate = row.day
        entry.skillSetCode = row.skillSetCode
        entry.minutes = row.minutes
        entry.description = row.description
        entry.skillCodes = row.skillCodes.joined(separator: ",")
        entry.workOrder = row.workOrder
        return entry
    }

    private static func checkDayLimit(day: String, adding: Int, apprenticeID: UUID, excluding: UUID?, on db: any Database) async throws {
        let query = HourEntry.query(on: db).filter(\.$apprentice.$id == apprenticeID).filter(\.$entryDate == day).filter(\.$status ~~ [.pending, .approved])
        if let excluding { query.filter(\.$id != excluding) }
        // Summed here: SQL SUM of a bigint is a numeric on PostgreSQL, which does not decode as Int.
        let logged = try await query.all(\.$minutes).reduce(0, +)
        if let refusal = HourRules.dayLimitRefusal(day: day, logged: logged, adding: adding) { throw ValidationFailure(errors: ["hours": refusal]) }
    }

    /// Closes a month of an employer's hours for payroll: decisions in it can no longer be undone.
    static func lockMonth(_ month: String, employerID: UUID, by actor: User, on db: any Database) async throws {
        guard actor.role == .programAdmin || (actor.role == .employerAdmin && actor.employerID == employerID) else { throw Abort(.forbidden) }
        guard month.range(of: #"^\d{4}-(0[1-9]|1[0-2])$"#, options: .regularExpression) != nil,
              let first = ProgramCalendar.day(month + "-01"), first <= ProgramCalendar.today() else {
            throw ValidationFailure(errors: ["month": "Choose a month that has started, as YYYY-MM."])
        }
        if try await HourPeriodLock.query(on: db).filter(\.$employer.$id == employerID).filter(\.$month == month).first() != nil {
            throw ValidationFailure(errors: ["month": "\(month) is already closed."])
        }
        let lock = HourPeriodLock()
        lock.$employer.id = employerID
        lock.month = month
        lock.$lockedBy.id = try actor.requireID()
        lock.lockedAt = Date()
        try await db.writeTransaction { db in
            try await lock.create(on: db)
            try await AuditLog.record(.monthClosed, .employer(employerID), "Closed \(month) for payroll: decisions in it can no longer be undone", by: actor, on: db)
        }
    }
}
