import BMETDomain
import Fluent
import SQLKit
import Vapor

extension Importer {
    /// Why an import cannot be undone.
    struct UndoRefused: Error { let reason: String }

    /// Removes exactly what the import created, in one transaction, while nothing recorded since touches it: an undo
    /// never takes away someone's later work. Audited; the batch stays listed as undone.
    static func undo(_ batchID: UUID, by actor: User, on db: any Database, now: Date = Date()) async throws -> ImportBatch {
        guard actor.role == .programAdmin else { throw Abort(.forbidden, reason: "Only the sponsor undoes imports.") }
        return try await db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw SQLRequired() }
            guard let batch = try await ImportBatch.find(batchID, on: db) else { throw Abort(.notFound) }
            if batch.undoneAt != nil { throw UndoRefused(reason: "This import was already undone.") }
            guard let kind = ImportKind(rawValue: batch.kind) else { throw Abort(.notFound) }
            struct Ref: Decodable { var record_id: UUID }
            let ids = Array(Set(try await sql.select().column("record_id").from(ImportRef.schema).where("batch_id", .equal, batchID)
                .all(decoding: Ref.self).map(\.record_id)))
            if let touch = try await touched(kind, mode: ImportBatch.Mode(rawValue: batch.mode) ?? .approved, ids: ids, since: batch.createdAt, on: sql) {
                throw UndoRefused(reason: "This import cannot be undone: \(touch). Undo or remove that first.")
            }
            try await remove(kind, mode: ImportBatch.Mode(rawValue: batch.mode) ?? .approved, ids: ids, on: sql)
            try await sql.delete(from: ImportRef.schema).where("batch_id", .equal, batchID).run()
            batch.undoneAt = now
            batch.$undoneBy.id = try actor.requireID()
            try await batch.update(on: db)
            try await AuditLog.record(.importUndone, .importBatch(batchID),
                                      "Undid the import of \(batch.kind) from \(batch.fileName): \(ids.count) records removed", by: actor, on: db, now: now)
            return batch
        }
    }

    /// The first later record that touches what the import made, in words; nil when nothing does.
    private static func touched(_ kind: ImportKind, mode: ImportBatch.Mode, ids: [UUID], since: Date, on sql: any SQLDatabase) async throws -> String? {
        func count(_ query: (ArraySlice<UUID>) -> SQLQueryString) async throws -> Int {
            struct N: Decodable { var n: Int }
            var total = 0
            var start = 0
            while start < ids.count {
                total += try await sql.raw(query(ids[start..<min(ids.count, start + lookupChunk)])).first(decoding: N.self)?.n ?? 0
                start += lookupChunk
            }
            return total
        }
        switch kind {
        case .employers:
            if try await count({ "SELECT COUNT(*) AS n FROM users WHERE employer_id IN (\(binds: Array($0)))" }) > 0 { return "people now work at these employers" }
            if try await count({ "SELECT COUNT(*) AS n FROM apprentices WHERE employer_id IN (\(binds: Array($0)))" }) > 0 { return "apprentices are registered at these employers" }
        case .people:
            if try await count({ "SELECT COUNT(*) AS n FROM apprentices WHERE mentor_id IN (\(binds: Array($0)))" }) > 0 { return "apprentices are assigned to these mentors" }
            if try await count({ "SELECT COUNT(*) AS n FROM user_sessions WHERE user_id IN (\(binds: Array($0)))" }) > 0 { return "some of these people have signed in" }
            if try await count({ "SELECT COUNT(*) AS n FROM hour_decisions WHERE actor_id IN (\(binds: Array($0)))" }) > 0 { return "some of these people decided on hours" }
            if try await count({ "SELECT COUNT(*) AS n FROM skill_assessments WHERE assessor_id IN (\(binds: Array($0)))" }) > 0 { return "some of these people assessed skills" }
        case .apprentices:
            let checks: [(String, String)] = [
                ("hour_entries", "hours are logged for these apprentices"), ("prior_learning_credits", "credit for prior learning was granted to these apprentices"),
                ("skill_assessments", "skills of these apprentices were assessed"), ("agreement_signatures", "agreements of these apprentices were signed"),
                ("instruction_records", "instruction is recorded for these apprentices"), ("credential_records", "credentials are recorded for these apprentices"),
                ("completion_requests", "a completion was requested"), ("progress_reviews", "progress reviews were written"),
                ("disability_invitations", "an apprentice was invited to self-identify"), ("rapids_export_marks", "the apprentices went into a RAPIDS export"),
                ("invitations", "an apprentice was invited to an account"),
            ]
            for (table, words) in checks {
                if try await count({ "SELECT COUNT(*) AS n FROM \(ident: table) WHERE apprentice_id IN (\(binds: Array($0)))" }) > 0 { return words }
            }
            if try await count({ "SELECT COUNT(*) AS n FROM apprentice_events WHERE kind <> 'imported' AND apprentice_id IN (\(binds: Array($0)))" }) > 0 {
                return "the status of an imported apprentice changed since"
            }
            if try await count({ "SELECT COUNT(*) AS n FROM wage_raises WHERE step > 1 AND apprentice_id IN (\(binds: Array($0)))" }) > 0 { return "a wage raise was recorded" }
            if try await count({ "SELECT COUNT(*) AS n FROM users WHERE id IN (SELECT user_id FROM apprentices WHERE id IN (\(binds: Array($0))))" }) > 0 {
                return "an imported apprentice has an account now"
            }
        case .credentials:
            // A later record of the same credential for the same apprentice (a retake, a new status).
            if try await count({ """
                SELECT COUNT(*) AS n FROM credential_records later JOIN credential_records imported
                  ON later.apprentice_id = imported.apprentice_id AND later.credential_code = imported.credential_code
                WHERE imported.id IN (\(binds: Array($0))) AND later.id <> imported.id AND later.created_at > \(bind: since)
                """ }) > 0 { return "a later record of an imported credential was made" }
        case .skills:
            // A later assessment of the same skill (recorded after the import): undoing would change what it follows.
            if try await count({ """
                SELECT COUNT(*) AS n FROM skill_assessments later JOIN skill_assessments imported
                  ON later.apprentice_id = imported.apprentice_id AND later.skill_code = imported.skill_code
                WHERE imported.id IN (\(binds: Array($0))) AND later.created_at > \(bind: since)
                """ }) > 0 { return "a skill signed off by the import was assessed again since" }
        case .hours:
            guard mode == .approved else { return nil }
            if try await count({ "SELECT COUNT(*) AS n FROM hour_decisions WHERE action <> 'approve' AND entry_id IN (\(binds: Array($0)))" }) > 0 {
                return "a decision on an imported entry was changed (undone or corrected)"
            }
            if try await count({ "SELECT COUNT(*) AS n FROM hour_entries WHERE corrects_id IN (\(binds: Array($0)))" }) > 0 { return "an imported entry has a correction" }
        }
        return nil
    }

    private static func remove(_ kind: ImportKind, mode: ImportBatch.Mode, ids: [UUID], on sql: any SQLDatabase) async throws {
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(ids.count, start + lookupChunk)])
            start += lookupChunk
            switch kind {
            case .employers:
                try await sql.delete(from: Employer.schema).where("id", .in, chunk).run()
            case .people:
                try await sql.delete(from: User.schema).where("id", .in, chunk).run()
            case .apprentices:
                for table in [ApprenticeEvent.schema, WageRaise.schema, ApprenticeWageStep.schema, RegistrationData.schema, SkillSetTotal.schema,
                              WeekTotal.schema, SkillState.schema, ProgressSummaries.schema] {
                    try await sql.delete(from: table).where("apprentice_id", .in, chunk).run()
                }
                try await sql.delete(from: Apprentice.schema).where("id", .in, chunk).run()
            case .credentials:
                struct Owner: Decodable { var apprentice_id: UUID }
                let owners = try await sql.select().column("apprentice_id").from(CredentialRecord.schema).where("id", .in, chunk).all(decoding: Owner.self)
                try await sql.delete(from: CredentialRecord.schema).where("id", .in, chunk).run()
                for owner in Set(owners.map(\.apprentice_id)) { try await ProgressSummaries.bump(owner, on: sql) }
            case .skills:
                struct Owner: Decodable { var apprentice_id: UUID }
                let owners = Set(try await sql.select().column("apprentice_id").from(SkillAssessment.schema).where("id", .in, chunk).all(decoding: Owner.self).map(\.apprentice_id))
                try await sql.delete(from: SkillAssessment.schema).where("id", .in, chunk).run()
                try await rebuildSkillStates(Array(owners), on: sql)
                for owner in owners { try await ProgressSummaries.bump(owner, on: sql) }
            case .hours where mode == .priorLearning:
                struct Credit: Decodable { var apprentice_id: UUID }
                let owners = try await sql.select().column("apprentice_id").from(PriorLearningCredit.schema).where("id", .in, chunk).all(decoding: Credit.self)
                try await sql.delete(from: PriorLearningCredit.schema).where("id", .in, chunk).run()
                for owner in Set(owners.map(\.apprentice_id)) { try await ProgressSummaries.bump(owner, on: sql) }
            case .hours:
                // Take the entries' minutes back out of the running totals before the entries go.
                struct Entry: Decodable { var apprentice_id: UUID; var skill_set_code: String; var entry_date: String; var minutes: Int }
                let entries = try await sql.select().columns("apprentice_id", "skill_set_code", "entry_date", "minutes").from(HourEntry.schema)
                    .where("id", .in, chunk).where("status", .equal, HourEntry.Status.approved.rawValue).all(decoding: Entry.self)
                var sets: [ProgressAggregates.SetKey: (minutes: Int, entries: Int)] = [:]
                var weeks: [ProgressAggregates.WeekKey: Int] = [:]
                for e in entries {
                    let key = ProgressAggregates.SetKey(apprenticeID: e.apprentice_id, skillSetCode: e.skill_set_code)
                    sets[key, default: (0, 0)].minutes -= e.minutes
                    sets[key, default: (0, 0)].entries -= 1
                    weeks[.init(apprenticeID: e.apprentice_id, weekStart: ProgressAggregates.weekKey(e.entry_date)), default: 0] -= e.minutes
                }
                try await ProgressAggregates.add(sets: sets, weeks: weeks, on: sql)
                try await sql.delete(from: HourDecision.schema).where("entry_id", .in, chunk).run()
                try await sql.delete(from: HourEntry.schema).where("id", .in, chunk).run()
                for owner in Set(entries.map(\.apprentice_id)) { try await ProgressSummaries.bump(owner, on: sql) }
            }
        }
    }
}
