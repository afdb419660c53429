import BMETDomain
import Fluent
import SQLKit
import Vapor

/// CSV import of an existing program (employers, people, apprentices, historical hours). A dry run (`plan`) lists every
/// problem by row and column and stores nothing; `run` plans again inside one write transaction and stores every row
/// or none, with multi-row INSERTs; rows whose external id was imported before are left as they are.
enum Importer {
    /// External ids looked up per query.
    static let lookupChunk = 2_000

    /// Hour rows read, checked and handed to `flush` at a time (tests pass fewer).
    static let flushEvery = 20_000
    typealias Flush = (inout ImportPlan) async throws -> Void

    /// `flush`, when given, takes the rows planned so far after every `flushEvery` hour rows: `run` writes them, a dry
    /// run drops them, so a large hours file is never held as rows (only its bytes).
    static func plan(_ kind: ImportKind, data: Data, mode: ImportBatch.Mode, by actor: User, on db: any Database,
                     now: Date = Date(), progress: (String, Int, Int) -> Void = { _, _, _ in }, flush: Flush? = nil,
                     flushEvery: Int = Importer.flushEvery) async throws -> ImportPlan {
        guard actor.role == .programAdmin else { throw Abort(.forbidden, reason: "Only the sponsor imports records.") }
        let sql = try db.sql()
        var reader = ImportTable.Reader(data, as: kind)
        var plan = ImportPlan(kind: kind, mode: kind == .hours ? mode : .approved)

        if kind == .hours {
            // A chunk at a time. Once the file shows a problem nothing will be stored, but every chunk is still checked,
            // so the dry run lists every problem of the file.
            var hours = HoursPlanner(actor: actor, now: now, mode: plan.mode)
            progress("Checking", 0, 1)
            while let chunk = reader.next(flushEvery) {
                let fresh = try await freshRows(chunk, into: &plan, on: sql)
                try await hours.plan(fresh, into: &plan, on: db)
                progress("Checking", plan.rowCount, max(plan.rowCount, Int(Double(plan.rowCount) / max(reader.fraction, 0.000_1))))
                if let flush { try await flush(&plan) }
            }
            plan.issues += reader.issues
            if plan.issues.isEmpty { try await hours.finish(into: &plan, on: db) }
            plan.issues.sort { ($0.row, $0.column) < ($1.row, $1.column) }
            return plan
        }

        // The other files are a program's people and records, not its history: read whole, checked for their shape first.
        var rows: [ImportRow] = []
        while let chunk = reader.next(10_000) { rows += chunk }
        plan.issues = reader.issues
        var fresh: [ImportRow] = []
        if plan.issues.isEmpty { fresh = try await freshRows(rows, into: &plan, on: sql) }
        guard plan.issues.isEmpty else {
            plan.issues.sort { ($0.row, $0.column) < ($1.row, $1.column) }
            return plan
        }
        progress("Checking", 0, fresh.count)
        switch kind {
        case .employers: try await planEmployers(fresh, actor: actor, now: now, into: &plan, on: db)
        case .people: try await planPeople(fresh, actor: actor, now: now, into: &plan, on: sql)
        case .apprentices: try await planApprentices(fresh, actor: actor, now: now, into: &plan, on: db)
        case .credentials: try await planCredentials(fresh, actor: actor, now: now, into: &plan, on: db)
        case .skills: try await planSkills(fresh, actor: actor, now: now, into: &plan, on: db)
        case .hours: break
        }
        plan.issues.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        return plan
    }

    /// Counts `rows` into the plan, refuses cells no form would take, and returns the rows whose external id was not
    /// imported before (the others are left as they are).
    private static func freshRows(_ rows: [ImportRow], into plan: inout ImportPlan, on sql: any SQLDatabase) async throws -> [ImportRow] {
        plan.rowCount += rows.count
        // The same refusal as every form and JSON body: no control or text-direction characters (a line break only in a description).
        for row in rows {
            for (column, value) in row.cells where !InputText.isAcceptable(value, multiLine: column == "description" || column == "note") {
                plan.issue(row, column, "This cell holds a control or text-direction character that cannot be accepted. Remove it and check the file again.")
            }
        }
        let known = try await refs(plan.kind, rows.map { $0[plan.kind.refColumn] }, on: sql)
        let fresh = rows.filter { known[$0[plan.kind.refColumn]] == nil }
        plan.unchanged += rows.count - fresh.count
        return fresh
    }

    /// What an import did: its batch, or none when every row was imported before (then nothing at all is stored).
    struct Outcome: Sendable {
        let batch: ImportBatch?
        let rowCount: Int
        let created: Int
        let unchanged: Int
    }

    /// Imports the file in one transaction, or throws `ImportRefused` with every problem and stores nothing.
    @discardableResult
    static func run(_ kind: ImportKind, data: Data, fileName: String, mode: ImportBatch.Mode, by actor: User, on db: any Database,
                    now: Date = Date(), progress: @escaping @Sendable (String, Int, Int) -> Void = { _, _, _ in },
                    flushEvery: Int = Importer.flushEvery) async throws -> Outcome {
        try await db.writeTransaction { db -> Outcome in
            let sql = try db.sql()
            var batch: ImportBatch?
            var written = 0
            // Writes what is planned so far (creating the batch on the first rows); once a problem is found nothing will be
            // stored, so the rows are dropped and checking goes on to list every problem.
            func write(_ plan: inout ImportPlan) async throws {
                guard plan.issues.isEmpty, plan.created > 0 else { plan.dropRows(); return }
                if batch == nil {
                    let made = ImportBatch()
                    made.id = UUID()
                    made.kind = kind.rawValue
                    made.fileName = String(fileName.prefix(200))
                    made.mode = plan.mode.rawValue
                    made.rowCount = plan.rowCount
                    made.createdCount = plan.created
                    made.unchangedCount = plan.unchanged
                    made.$createdBy.id = try actor.requireID()
                    made.createdAt = now
                    try await made.create(on: db)
                    batch = made
                }
                let batchID = try batch!.requireID()
                // Exact for a file written at once; for a chunked hours file, each row makes a row per table and an id.
                let held = plan.tables.reduce(0) { $0 + $1.rows.count } + plan.refs.count
                let total = max(written + held, plan.created * (plan.tables.count + 1))
                for table in plan.tables {
                    try await insert(table.name, table.columns, table.rows, on: sql) { written += $0; progress("Writing", written, total) }
                }
                try await insert(ImportRef.schema, ["id", "batch_id", "kind", "external_id", "record_id"],
                                 plan.refs.map { [TimeOrderedID.make(), batchID, kind.rawValue, $0.externalID, $0.recordID] }, on: sql) { written += $0; progress("Writing", written, total) }
                // The running totals move with the rows (additive upserts), so they are never held for the whole file either.
                try await ProgressAggregates.add(sets: plan.sets, weeks: plan.weeks, on: sql)
                plan.dropRows()
            }
            var plan = try await Importer.plan(kind, data: data, mode: mode, by: actor, on: db, now: now, progress: progress, flush: { try await write(&$0) },
                                              flushEvery: flushEvery)
            guard plan.issues.isEmpty else { throw ImportRefused(issues: plan.issues) }
            guard plan.created > 0 else { return Outcome(batch: nil, rowCount: plan.rowCount, created: 0, unchanged: plan.unchanged) }
            try await write(&plan)
            guard let batch, let batchID = batch.id else { throw Abort(.internalServerError, reason: "The import wrote no batch.") }
            // A file written in chunks made its batch at the first chunk: the counts are the whole file's only now.
            if batch.rowCount != plan.rowCount || batch.createdCount != plan.created || batch.unchangedCount != plan.unchanged {
                batch.rowCount = plan.rowCount
                batch.createdCount = plan.created
                batch.unchangedCount = plan.unchanged
                try await batch.update(on: db)
            }
            try await rebuildSkillStates(Array(plan.skillStates), on: sql)
            for id in plan.apprentices { try await ProgressSummaries.bump(id, on: sql) }
            try await AuditLog.record(.importCompleted, .importBatch(batchID),
                                      "Imported \(kind.rawValue) from \(batch.fileName): \(plan.created) created, \(plan.unchanged) already imported" + (kind == .hours ? " (hours as \(plan.mode.rawValue))" : ""),
                                      by: actor, on: db, now: now)
            return Outcome(batch: batch, rowCount: plan.rowCount, created: plan.created, unchanged: plan.unchanged)
        }
    }

    /// Multi-row INSERTs, as many rows per statement as the bind limit allows (the scale generator's `BulkWriter` way,
    /// but inside the caller's transaction).
    static func insert(_ table: String, _ columns: [String], _ rows: [[any Encodable & Sendable]], on sql: any SQLDatabase,
                       done: (Int) -> Void = { _ in }) async throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, BulkWriter.bindsPerStatement / columns.count)
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            let insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<end] { _ = insert.values(row) }
            try await insert.run()
            done(end - start)
            start = end
        }
    }

    /// Record ids of external ids already imported, of one kind.
    static func refs(_ kind: ImportKind, _ externalIDs: [String], on sql: any SQLDatabase) async throws -> [String: UUID] {
        struct Row: Decodable { var external_id: String; var record_id: UUID }
        var found: [String: UUID] = [:]
        let unique = Array(Set(externalIDs.filter { !$0.isEmpty }))
        var start = 0
        while start < unique.count {
            let chunk = Array(unique[start..<min(unique.count, start + lookupChunk)])
            for row in try await sql.select().column("external_id").column("record_id").from(ImportRef.schema)
                .where("kind", .equal, kind.rawValue).where("external_id", .in, chunk).all(decoding: Row.self) {
                found[row.external_id] = row.record_id
            }
            start += lookupChunk
        }
        return found
    }

    // MARK: Employers

    private static let employerColumns = ["id", "name", "address_line1", "address_line2", "city", "state", "zip", "phone", "created_by_id", "created_at"]

    private static func planEmployers(_ rows: [ImportRow], actor: User, now: Date, into plan: inout ImportPlan, on db: any Database) async throws {
        var names: Set<String> = []
        for row in rows {
            // The same rules as the "Add an employer" form.
            let input = EmployerInput(name: row["name"], addressLine1: row["address_line1"], addressLine2: row["address_line2"], city: row["city"],
                                      state: row["state"], zip: row["zip"], phone: row["phone"])
            let errors = input.validate()
            for (field, message) in errors.sorted(by: { $0.key < $1.key }) { plan.issue(row, column(field), message) }
            let state = row["state"].uppercased()
            let key = row["name"].lowercased() + "|" + state
            if errors.isEmpty {
                if names.contains(key) { plan.issue(row, "name", "Another row already has an employer with this name in \(state).") }
                else if try await Employer.query(on: db).filter(\.$name == row["name"]).filter(\.$state == state).first() != nil {
                    plan.issue(row, "name", "An employer with this name already exists in \(state); leave it out or use another name.")
                }
            }
            names.insert(key)
            let id = UUID()
            plan.add(Employer.schema, employerColumns, [id, row["name"], row["address_line1"], row["address_line2"].nilIfEmpty, row["city"], state,
                                                         row["zip"], row["phone"].nilIfEmpty, actor.id, now])
            plan.refs.append((row["employer_ref"], id))
        }
    }

    /// Column names of the file for the form's field names.
    static func column(_ field: String) -> String {
        switch field {
        case "addressLine1": "address_line1"
        case "addressLine2": "address_line2"
        case "birthDate": "birth_date"
        case "guardianName": "guardian_name"
        case "fullName": "full_name"
        default: field
        }
    }

    // MARK: People

    private static func planPeople(_ rows: [ImportRow], actor: User, now: Date, into plan: inout ImportPlan, on sql: any SQLDatabase) async throws {
        let employers = try await refs(.employers, rows.map { $0["employer_ref"] }, on: sql)
        struct Existing: Decodable { var email: String }
        var emails: [String: Int] = [:]
        let typed = rows.map { Check.normalizedEmail($0["email"]) }
        var start = 0
        var taken: Set<String> = []
        while start < typed.count {
            let chunk = Array(typed[start..<min(typed.count, start + lookupChunk)])
            for row in try await sql.select().column("email").from(User.schema).where("email", .in, chunk).all(decoding: Existing.self) { taken.insert(row.email) }
            start += lookupChunk
        }
        // The hash of a random secret nobody is told: each person sets their own password with "Forgot password".
        let unusable = try Bcrypt.hash(SecureToken.generate(), cost: 10)
        for (row, email) in zip(rows, typed) {
            var errors = FieldErrors()
            Check.required(row["full_name"], "fullName", "Full name", into: &errors)
            Check.email(row["email"], into: &errors)
            for (field, message) in errors.sorted(by: { $0.key < $1.key }) { plan.issue(row, column(field), message) }
            let role = Role(rawValue: row["role"].lowercased())
            if role != .employerAdmin && role != .mentor {
                plan.issue(row, "role", "Choose employer_admin or mentor (apprentices come with the apprentices file, program administrators are added with bmet admin).")
            }
            let employerID = employers[row["employer_ref"]]
            if employerID == nil { plan.issue(row, "employer_ref", "No employer was imported as \(row["employer_ref"]); import the employers file first.") }
            if errors["email"] == nil {
                if taken.contains(email) { plan.issue(row, "email", "An account with this e-mail already exists.") }
                else if let first = emails[email] { plan.issue(row, "email", "Row \(first) has the same e-mail.") }
            }
            emails[email] = emails[email] ?? row.line
            let id = UUID()
            plan.add(User.schema, ["id", "email", "full_name", "password_hash", "role", "employer_id", "is_active", "is_eeo_officer", "created_at"],
                     [id, email, row["full_name"], unusable, (role ?? .mentor).rawValue, employerID, true, false, now])
            plan.refs.append((row["person_ref"], id))
        }
    }
}

extension AuditLog.Subject {
    static func importBatch(_ id: UUID?) -> AuditLog.Subject { AuditLog.Subject(type: "import", id: id?.uuidString) }
}
