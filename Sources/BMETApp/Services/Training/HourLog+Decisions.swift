import BMETDomain
import Fluent
import SQLKit
import Vapor

// The mentor's decisions on hour entries: approve, reject, undo. This is the busiest write after logging, so it reads
// and writes plain rows (no Fluent reflection), and an approval's progress summary is computed before the transaction
// queues for the SQLite writer, not inside it (see `ProgressSummaries.plan`).
extension HourLog {
    enum Decision: String, Codable, CaseIterable {
        case approve, reject, undo
    }

    /// An entry a decision was about, as the callers report it.
    struct DecidedEntry: Sendable {
        let id: UUID
        let apprenticeID: UUID
        let entryDate: String
        let minutes: Int
    }

    struct DecisionResult: Sendable {
        var decided: [DecidedEntry] = []
        /// Entries someone else decided first, or that can no longer take this decision, with why.
        var skipped: [(entry: DecidedEntry, reason: String)] = []
    }

    /// Whether `actor` may decide on this apprentice's hours: a mentor at the apprentice's employer, never the apprentice.
    static func canDecide(_ actor: User, on apprentice: Apprentice) -> Bool {
        actor.role == .mentor && actor.employerID != nil && actor.employerID == apprentice.$employer.id && actor.id != apprentice.$user.id
    }

    /// Of these entries, the rejected ones with a fix waiting or approved.
    static func fixedRejections(_ ids: [UUID], on sql: any SQLDatabase) async throws -> Set<UUID> {
        struct Row: Decodable { var correctsID: UUID; enum CodingKeys: String, CodingKey { case correctsID = "corrects_id" } }
        guard !ids.isEmpty else { return [] }
        let rows = try await sql.raw("""
            SELECT corrects_id FROM \(ident: HourEntry.schema)
            WHERE corrects_id IN (\(binds: ids)) AND status IN (\(binds: [HourEntry.Status.pending.rawValue, HourEntry.Status.approved.rawValue]))
            """).all(decoding: Row.self)
        return Set(rows.map(\.correctsID))
    }

    /// The columns of an entry a decision needs.
    struct DecisionRow: Decodable, Sendable {
        var id: UUID
        var apprenticeID: UUID
        var entryDate: String
        var skillSetCode: String
        var minutes: Int
        var status: String
        var correctsID: UUID?

        enum CodingKeys: String, CodingKey {
            case id, minutes, status
            case apprenticeID = "apprentice_id", entryDate = "entry_date", skillSetCode = "skill_set_code", correctsID = "corrects_id"
        }

        var entryStatus: HourEntry.Status? { HourEntry.Status(rawValue: status) }
        var decided: DecidedEntry { DecidedEntry(id: id, apprenticeID: apprenticeID, entryDate: entryDate, minutes: minutes) }

        static func read(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: DecisionRow] {
            guard !ids.isEmpty else { return [:] }
            let rows = try await sql.raw("""
                SELECT id, apprentice_id, entry_date, skill_set_code, minutes, status, corrects_id FROM \(ident: HourEntry.schema)
                WHERE id IN (\(binds: ids))
                """).all(decoding: DecisionRow.self)
            return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        }
    }

    /// Approves, rejects or undoes a set of entries in one transaction. Each apprentice's record is locked first,
    /// so two mentors deciding the same entry at once leave one decision: the second finds it already decided and skips it.
    static func decide(_ entryIDs: [UUID], _ decision: Decision, comment: String?, by actor: User,
                       today: Date = ProgramCalendar.today(), on db: any Database) async throws -> DecisionResult {
        let note = comment?.trimmed ?? ""
        if decision == .reject && note.isEmpty { throw ValidationFailure(errors: ["comment": "Say why the hours are rejected, so the apprentice can fix them."]) }
        if note.count > 1000 { throw ValidationFailure(errors: ["comment": "At most 1,000 characters."]) }
        let ids = Array(Set(entryIDs))
        guard !ids.isEmpty else { throw ValidationFailure(errors: ["entries": "Choose at least one entry."]) }
        // The reads before the writer, on one reader connection held for them, statements inline (no hand-off each).
        let prepared = try await db.withDirectSQL { db in try await prepare(ids, decision, by: actor, today: today, on: db) }
        let (apprenticeIDs, apprentices, lockedMonths, planned) = (prepared.apprenticeIDs, prepared.apprentices, prepared.lockedMonths, prepared.plans)
        let actorID = try actor.requireID()

        return try await db.writeTransaction { db in
            let sql = try db.sql()
            var written = Set<UUID>()
            for id in apprenticeIDs {
                try await TrainingLock.lock(id, movesProgress: false, on: db)
                if let plan = planned[id], try await ProgressSummaries.writePlanned(plan, for: id, on: sql) {
                    written.insert(id)
                } else if decision != .reject {
                    try await TrainingLock.markMoved(id, on: sql)
                }
            }
            // The entries as they are now, under the locks, and the apprentices' status when no plan vouches for it.
            var current = try await DecisionRow.read(ids, on: sql)
            // Rejections already fixed and resubmitted: undoing one would let the hours count twice.
            let fixed = decision == .undo ? try await fixedRejections(ids, on: sql) : []
            let statuses = decision == .approve ? try await currentStatuses(apprenticeIDs.filter { !written.contains($0) }, on: sql) : [:]
            var result = DecisionResult()
            var changes = DecisionWrites()
            let now = Date()
            for entryID in ids {
                guard let entry = current[entryID], let status = entry.entryStatus else { continue }
                let apprenticeStatus = statuses[entry.apprenticeID] ?? apprentices[entry.apprenticeID]?.status ?? .pendingAgreement
                switch decision {
                case .approve, .reject:
                    guard status == .pending else { result.skipped.append((entry.decided, "already \(status.label.lowercased())")); continue }
                    if decision == .approve, let refusal = HourRules.refusal(for: apprenticeStatus) { result.skipped.append((entry.decided, refusal)); continue }
                    changes.set(entryID, to: decision == .approve ? .approved : .rejected, in: &current)
                    changes.decisions.append((entryID, decision == .approve ? .approve : .reject, note))
                    if decision == .approve {
                        if let originalID = entry.correctsID {
                            if current[originalID] == nil { current.merge(try await DecisionRow.read([originalID], on: sql)) { $1 } }
                            if let original = current[originalID], original.entryStatus == .approved {
                                changes.set(originalID, to: .corrected, in: &current)
                                changes.decisions.append((originalID, .corrected, "Replaced by the correction approved now."))
                                changes.approved.append((original, -1))
                            }
                        }
                        changes.approved.append((entry, 1))
                    }
                case .undo:
                    guard status == .approved || status == .rejected else {
                        result.skipped.append((entry.decided, "it is \(status.label.lowercased())")); continue
                    }
                    if lockedMonths.contains(String(entry.entryDate.prefix(7))) {
                        result.skipped.append((entry.decided, "\(entry.entryDate.prefix(7)) is closed for payroll")); continue
                    }
                    if status == .rejected && fixed.contains(entryID) {
                        result.skipped.append((entry.decided, "it was fixed and resubmitted")); continue
                    }
                    if status == .approved {
                        // An approved correction of approved hours cannot be undone: its original is already marked
                        // corrected. A fix of rejected hours can: its original never counted.
                        if let originalID = entry.correctsID {
                            if current[originalID] == nil { current.merge(try await DecisionRow.read([originalID], on: sql)) { $1 } }
                            guard current[originalID]?.entryStatus == .rejected else {
                                result.skipped.append((entry.decided, "it is an approved correction")); continue
                            }
                        }
                        changes.approved.append((entry, -1))
                    }
                    changes.set(entryID, to: .pending, in: &current)
                    changes.decisions.append((entryID, .undo, note))
                }
                result.decided.append(entry.decided)
            }
            try await changes.write(actorID: actorID, at: now, on: sql)
            // A plan holds only if the approval went exactly as planned; otherwise the summary is recomputed before commit.
            for id in written {
                let approvedNow = Set(changes.approved.filter { $0.row.apprenticeID == id && $0.sign > 0 }.map(\.row.id))
                if approvedNow != planned[id]?.entryIDs || changes.approved.contains(where: { $0.row.apprenticeID == id && $0.sign < 0 }) {
                    try await TrainingLock.markMoved(id, on: sql)
                }
            }
            for group in Dictionary(grouping: result.decided, by: \.apprenticeID) {
                let name = apprentices[group.key]?.fullName ?? "an apprentice"
                let minutes = group.value.reduce(0) { $0 + $1.minutes }
                let days = group.value.map(\.entryDate).sorted().joined(separator: ", ")
                let (action, verb): (AuditAction, String) = switch decision {
                case .approve: (.hoursApproved, "Approved")
                case .reject: (.hoursRejected, "Rejected")
                case .undo: (.hoursDecisionUndone, "Undid the decision on")
                }
                try await AuditLog.record(action, .apprentice(group.key), "\(verb) \(group.value.count) hour \(group.value.count == 1 ? "entry" : "entries") (\(HourRules.hoursText(minutes)) h) of \(name): \(days)",
                                          by: actor, on: db)
            }
            return result
        }
    }

    /// What a decision reads before it queues for the writer: the entries' apprentices (checked against the actor), the
    /// payroll-closed months an undo must respect, and for approvals the planned progress summaries.
    private struct Prepared: Sendable {
        let apprenticeIDs: [UUID]
        let apprentices: [UUID: Apprentice]
        let lockedMonths: Set<String>
        let plans: [UUID: ProgressSummaries.Plan]
    }

    private static func prepare(_ ids: [UUID], _ decision: Decision, by actor: User, today: Date, on db: any Database) async throws -> Prepared {
        let sql = try db.sql()

        let entries = try await DecisionRow.read(ids, on: sql)
        let apprenticeIDs = Set(entries.values.map(\.apprenticeID)).sorted { $0.uuidString < $1.uuidString }
        // Generations before the apprentices and their records are read: a plan made from those is written only if no
        // change came in since (entries are checked again inside the transaction).
        let generations = decision == .approve ? try await ProgressSummaries.generations(apprenticeIDs, on: sql) : [:]
        let apprentices = Dictionary(try await Apprentice.query(on: db).filter(\.$id ~~ apprenticeIDs).all().map { ($0.id!, $0) }, uniquingKeysWith: { $1 })
        guard entries.count == ids.count, entries.values.allSatisfy({ apprentices[$0.apprenticeID].map { canDecide(actor, on: $0) } ?? false }) else {
            throw Abort(.notFound, reason: "Some of these entries are not waiting for you.")
        }
        let lockedMonths: Set<String> = decision == .undo ? Set(try await HourPeriodLock.query(on: db).filter(\.$employer.$id == (actor.employerID ?? UUID()))
            .filter(\.$month ~~ Set(entries.values.map { String($0.entryDate.prefix(7)) })).all().map(\.month)) : []

        // An approval of pending entries (no corrections among them) moves progress in a way known in advance: the
        // summary after it is computed here, on a reader connection, in parallel with other requests.
        var plans: [UUID: ProgressSummaries.Plan] = [:]
        if decision == .approve {
            for id in apprenticeIDs {
                guard let apprentice = apprentices[id], HourRules.refusal(for: apprentice.status) == nil, let generation = generations[id] else { continue }
                let own = entries.values.filter { $0.apprenticeID == id }
                guard own.allSatisfy({ $0.entryStatus == .pending && $0.correctsID == nil }) else { continue }
                plans[id] = try await ProgressSummaries.plan(apprentice, generation: generation, approving: own.map {
                    .init(entryID: $0.id, skillSetCode: $0.skillSetCode, entryDate: $0.entryDate, minutes: $0.minutes)
                }, today: today, on: db)
            }
        }
        return Prepared(apprenticeIDs: apprenticeIDs, apprentices: apprentices, lockedMonths: lockedMonths, plans: plans)
    }

    /// The apprentices' status as stored now (inside the transaction).
    private static func currentStatuses(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: ApprenticeStatus] {
        guard !ids.isEmpty else { return [:] }
        struct Row: Decodable { var id: UUID; var status: String }
        let rows = try await sql.raw("SELECT id, status FROM \(ident: Apprentice.schema) WHERE id IN (\(binds: ids))").all(decoding: Row.self)
        return Dictionary(rows.compactMap { row in ApprenticeStatus(rawValue: row.status).map { (row.id, $0) } }, uniquingKeysWith: { $1 })
    }

    /// What a decision writes, collected and then written in a few statements: entry statuses, decision rows, totals.
    private struct DecisionWrites {
        var statuses: [(UUID, HourEntry.Status)] = []
        var decisions: [(UUID, HourDecision.Action, String)] = []
        /// Entries entering (+1) or leaving (-1) the approved totals.
        var approved: [(row: DecisionRow, sign: Int)] = []

        mutating func set(_ id: UUID, to status: HourEntry.Status, in current: inout [UUID: DecisionRow]) {
            statuses.append((id, status))
            current[id]?.status = status.rawValue
        }

        func write(actorID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
            // The last status set for an entry wins; each status in one statement.
            var final: [UUID: HourEntry.Status] = [:]
            for (id, status) in statuses { final[id] = status }
            for (status, group) in Dictionary(grouping: final, by: \.value) {
                try await sql.raw("UPDATE \(ident: HourEntry.schema) SET status = \(bind: status.rawValue) WHERE id IN (\(binds: group.map(\.key)))").run()
            }
            if !decisions.isEmpty {
                let rows = decisions.map { id, action, comment -> SQLQueryString in
                    "(\(bind: UUID()), \(bind: id), \(bind: action.rawValue), \(bind: comment), \(bind: actorID), \(bind: now))"
                }
                try await sql.raw("""
                    INSERT INTO \(ident: HourDecision.schema) (id, entry_id, action, comment, actor_id, created_at)
                    VALUES \(rows.joined(separator: ", "))
                    """).run()
            }
            var bySet: [ProgressAggregates.SetKey: (minutes: Int, entries: Int)] = [:]
            var byWeek: [ProgressAggregates.WeekKey: Int] = [:]
            for (row, sign) in approved {
                bySet[.init(apprenticeID: row.apprenticeID, skillSetCode: row.skillSetCode), default: (0, 0)].minutes += sign * row.minutes
                bySet[.init(apprenticeID: row.apprenticeID, skillSetCode: row.skillSetCode), default: (0, 0)].entries += sign
                byWeek[.init(apprenticeID: row.apprenticeID, weekStart: ProgressAggregates.weekKey(row.entryDate)), default: 0] += sign * row.minutes
            }
            try await ProgressAggregates.add(sets: bySet, weeks: byWeek, on: sql)
        }
    }
}

/// Thrown where plain SQL is the only path; both supported databases are SQL databases.
