import BMETDomain
import Fluent
import SQLKit
import Vapor

/// Program outcomes, counted in the database: each query groups and counts, so the page stays fast on a big
/// program (only completions and cancellations come back one row each, and those are the rare events).
enum Outcomes {
    /// Refuses a filter the actor may not use, and pins employer staff to their own employer.
    /// Mentors and apprentices never reach this (the routes refuse them).
    static func scoped(_ filter: OutcomeFilter, for actor: User) throws -> OutcomeFilter {
        var filter = filter
        switch actor.role {
        case .programAdmin: break
        case .employerAdmin:
            if let asked = filter.employerID, asked != actor.employerID {
                throw Abort(.notFound, reason: "No employer with this id is visible to you.")
            }
            filter.employerID = actor.employerID ?? UUID()
        case .mentor, .apprentice, .instructionProvider:
            throw Abort(.forbidden, reason: "Reports are for the sponsor and employers.")
        }
        return filter
    }

    /// `mentorLimit`: keep only that many of the busiest mentors (a page); every mentor is counted in `mentorCount` either way.
    static func report(_ filter: OutcomeFilter, on db: any Database, today: Date = ProgramCalendar.today(), mentorLimit: Int? = nil) async throws -> OutcomeReport {
        let sql = try db.sql()
        var report = OutcomeReport()
        // Plain rows: a national program has thousands of employers, and this page is read often.
        struct EmployerRow: Decodable { var id: UUID; var name: String; var state: String }
        let employers = try await sql.raw("SELECT id, name, state FROM \(ident: Employer.schema)").all(decoding: EmployerRow.self)
        let employerName = Dictionary(employers.map { ($0.id, $0.name) }, uniquingKeysWith: { $1 })
        let employerState = Dictionary(employers.map { ($0.id, $0.state) }, uniquingKeysWith: { $1 })
        var byEmployer: [UUID: OutcomeReport.Figures] = [:]
        var byQuarter: [String: OutcomeReport.Figures] = [:]

        func add(_ employerID: UUID, _ change: (inout OutcomeReport.Figures) -> Void) {
            change(&report.total)
            change(&byEmployer[employerID, default: .init()])
        }
        /// Counts over time come back twice, grouped by employer and grouped by quarter, never by both: at a national
        /// program's size employer × month was tens of thousands of rows to decode on every load, per query.
        func add(_ bucket: Bucket, _ row: any SQLRow, _ change: (inout OutcomeReport.Figures) -> Void) throws {
            switch bucket {
            case .employer: add(try row.decode(column: "bucket", as: UUID.self), change)
            case .quarter: change(&byQuarter[try row.decode(column: "bucket", as: String.self), default: .init()])
            }
        }

        // Now: apprentices by employer and status.
        let statusRows = try await scopedApprentices(sql, filter)
            .column(SQLColumn("employer_id", table: "a")).column(SQLColumn("status", table: "a"))
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .groupBy(SQLColumn("employer_id", table: "a")).groupBy(SQLColumn("status", table: "a"))
            .all()
        for row in statusRows {
            let employerID = try row.decode(column: "employer_id", as: UUID.self)
            let status = ApprenticeStatus(rawValue: try row.decode(column: "status", as: String.self))
            let n = try row.decode(column: "n", as: Int.self)
            add(employerID) { figures in
                if status == .probation || status == .active { figures.active += n }
                if status == .suspended { figures.suspended += n }
            }
        }

        let (start, end) = filter.range.instants
        let startQuarter = QuarterOf(text: SQLColumn("start_date", table: "a"))
        let exitQuarter = QuarterOf(text: Dialect.month(of: SQLColumn("created_at", table: "e"), on: sql))
        for bucket in [Bucket.employer, .quarter] {
            func key(_ quarter: QuarterOf) -> any SQLExpression { bucket == .employer ? SQLColumn("employer_id", table: "a") : quarter }
            // The cohort: apprentices who started in the range, by start quarter.
            let cohortQuery = scopedApprentices(sql, filter)
                .column(SQLAlias(key(startQuarter), as: SQLIdentifier("bucket")))
                .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
                .groupBy(key(startQuarter))
            whereStarted(cohortQuery, in: filter.range)
            for row in try await cohortQuery.all() {
                let n = try row.decode(column: "n", as: Int.self)
                try add(bucket, row) { $0.registrations += n }
            }
            // …and how many of them were cancelled since, in probation or after (counted under their start quarter).
            let cohortExits = scopedApprentices(sql, filter)
                .column(SQLAlias(key(startQuarter), as: SQLIdentifier("bucket")))
                .column(SQLColumn("during_probation", table: "c"))
                .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
                .join(SQLAlias(SQLIdentifier(ApprenticeEvent.schema), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                      on: SQLColumn("apprentice_id", table: "c"), .equal, SQLColumn("id", table: "a"))
                .where(SQLColumn("kind", table: "c"), .equal, SQLBind("cancel"))
                .groupBy(key(startQuarter)).groupBy(SQLColumn("during_probation", table: "c"))
            whereStarted(cohortExits, in: filter.range)
            for row in try await cohortExits.all() {
                let inProbation = try row.decode(column: "during_probation", as: Bool.self)
                let n = try row.decode(column: "n", as: Int.self)
                try add(bucket, row) { figures in
                    if inProbation { figures.cohortCancelledDuringProbation += n } else { figures.cohortCancelledAfterProbation += n }
                }
            }
            // Exits in the range: completions and cancellations, with the days completions took.
            let exitQuery = scopedApprentices(sql, filter)
                .column(SQLAlias(key(exitQuarter), as: SQLIdentifier("bucket")))
                .column(SQLColumn("kind", table: "e")).column(SQLColumn("during_probation", table: "e"))
                .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
                .column(SQLAlias(SQLFunction("SUM", args: Dialect.days(from: SQLColumn("start_date", table: "a"), to: SQLColumn("created_at", table: "e"), on: sql)),
                                 as: SQLIdentifier("days")))
                .join(SQLAlias(SQLIdentifier(ApprenticeEvent.schema), as: SQLIdentifier("e")), method: SQLJoinMethod.inner,
                      on: SQLColumn("apprentice_id", table: "e"), .equal, SQLColumn("id", table: "a"))
                .where(SQLColumn("kind", table: "e"), .in, SQLBind.group(["cancel", "completed"]))
                .groupBy(key(exitQuarter)).groupBy(SQLColumn("kind", table: "e")).groupBy(SQLColumn("during_probation", table: "e"))
            if let start { exitQuery.where(SQLColumn("created_at", table: "e"), .greaterThanOrEqual, SQLBind(start)) }
            if let end { exitQuery.where(SQLColumn("created_at", table: "e"), .lessThan, SQLBind(end)) }
            // A completion whose certificate was revoked no longer counts as one (it is counted apart, below).
            exitQuery.where(SQLRaw("NOT (e.kind = 'completed' AND \(Self.revokedCertificate))"))
            for row in try await exitQuery.all() {
                let kind = try row.decode(column: "kind", as: String.self)
                let inProbation = try row.decode(column: "during_probation", as: Bool.self)
                let n = try row.decode(column: "n", as: Int.self)
                let days = try row.decodeNil(column: "days") ? 0 : try row.decode(column: "days", as: Int.self)
                try add(bucket, row) { figures in
                    if kind == "completed" {
                        figures.completions += n
                        figures.completionDays += max(0, days)
                    } else if inProbation {
                        figures.cancelledDuringProbation += n
                    } else {
                        figures.cancelledAfterProbation += n
                    }
                }
            }
        }

        // Revoked completions in the range, said on the page so the figures add up.
        let revoked = scopedApprentices(sql, filter)
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .join(SQLAlias(SQLIdentifier(ApprenticeEvent.schema), as: SQLIdentifier("e")), method: SQLJoinMethod.inner,
                  on: SQLColumn("apprentice_id", table: "e"), .equal, SQLColumn("id", table: "a"))
            .where(SQLColumn("kind", table: "e"), .equal, SQLBind("completed"))
            .where(SQLRaw(Self.revokedCertificate))
        if let start { revoked.where(SQLColumn("created_at", table: "e"), .greaterThanOrEqual, SQLBind(start)) }
        if let end { revoked.where(SQLColumn("created_at", table: "e"), .lessThan, SQLBind(end)) }
        report.revokedCompletions = try await revoked.first()?.decode(column: "n", as: Int.self) ?? 0

        // Groups, in a stable order.
        report.employers = byEmployer.map { id, figures in
            OutcomeReport.Group(key: id.uuidString, label: employerName[id] ?? "Unknown employer", figures: figures)
        }.sorted { $0.label < $1.label }
        var byState: [String: OutcomeReport.Figures] = [:]
        for (id, figures) in byEmployer { byState[employerState[id] ?? "?", default: .init()].merge(figures) }
        report.states = byState.map { OutcomeReport.Group(key: $0.key, label: USAddressRules.stateName($0.key) ?? $0.key, figures: $0.value) }
            .sorted { $0.key < $1.key }
        let dataQuarters = byQuarter.keys.sorted()
        let firstQuarter = filter.range.from ?? dataQuarters.first.map { String($0.prefix(4)) + "-" + quarterStartMonth($0) + "-01" }
        let lastQuarter = filter.range.to ?? ProgramCalendar.dayString(today)
        if let firstQuarter {
            report.quarters = OutcomeRules.quarters(from: firstQuarter, through: max(lastQuarter, firstQuarter))
                .map { OutcomeReport.Group(key: $0, label: $0.replacingOccurrences(of: "-", with: " "), figures: byQuarter[$0] ?? .init()) }
        }

        report.credentials = try await credentialRates(sql, filter, on: db)
        (report.mentors, report.mentorCount) = try await mentorLoad(sql, filter, employerName: employerName, limit: mentorLimit, on: db)
        return report
    }

    /// `apprentices a`, limited to the filter's employer and (through the employer) state.
    /// True for the apprentice `a` when their certificate was revoked (its reason is on the completion page).
    static let revokedCertificate = "EXISTS (SELECT 1 FROM \(IssuedCredential.schema) r WHERE r.apprentice_id = a.id AND r.kind = 'certificate' AND r.revoked_at IS NOT NULL)"

    private static func scopedApprentices(_ sql: any SQLDatabase, _ filter: OutcomeFilter) -> SQLSelectBuilder {
        let query = sql.select().from(SQLAlias(SQLIdentifier(Apprentice.schema), as: SQLIdentifier("a")))
        if let employerID = filter.employerID { query.where(SQLColumn("employer_id", table: "a"), .equal, SQLBind(employerID)) }
        if let state = filter.state {
            query.join(SQLAlias(SQLIdentifier(Employer.schema), as: SQLIdentifier("emp")), method: SQLJoinMethod.inner,
                       on: SQLColumn("id", table: "emp"), .equal, SQLColumn("employer_id", table: "a"))
                .where(SQLColumn("state", table: "emp"), .equal, SQLBind(state))
        }
        return query
    }

    private static func whereStarted(_ query: SQLSelectBuilder, in range: DayRange) {
        if let from = range.from { query.where(SQLColumn("start_date", table: "a"), .greaterThanOrEqual, SQLBind(from)) }
        if let to = range.to { query.where(SQLColumn("start_date", table: "a"), .lessThanOrEqual, SQLBind(to)) }
    }

    /// Exam results (passed or failed attempts) dated in the range, per credential.
    private static func credentialRates(_ sql: any SQLDatabase, _ filter: OutcomeFilter, on db: any Database) async throws -> [OutcomeReport.CredentialRate] {
        // Every credential record belongs to an apprentice (a foreign key), so the whole program's counts need no join:
        // at 20,000 apprentices the join was half of this statement's time.
        let scoped = filter.employerID != nil || filter.state != nil
        let query = scoped
            ? scopedApprentices(sql, filter)
                .join(SQLAlias(SQLIdentifier(CredentialRecord.schema), as: SQLIdentifier("cr")), method: SQLJoinMethod.inner,
                      on: SQLColumn("apprentice_id", table: "cr"), .equal, SQLColumn("id", table: "a"))
            : sql.select().from(SQLAlias(SQLIdentifier(CredentialRecord.schema), as: SQLIdentifier("cr")))
        query
            .column(SQLColumn("credential_code", table: "cr")).column(SQLColumn("status", table: "cr"))
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .where(SQLColumn("status", table: "cr"), .in, SQLBind.group([CredentialStatus.passed.rawValue, CredentialStatus.failed.rawValue]))
            .groupBy(SQLColumn("credential_code", table: "cr")).groupBy(SQLColumn("status", table: "cr"))
        if let from = filter.range.from { query.where(SQLColumn("event_date", table: "cr"), .greaterThanOrEqual, SQLBind(from)) }
        if let to = filter.range.to { query.where(SQLColumn("event_date", table: "cr"), .lessThanOrEqual, SQLBind(to)) }
        let rows = try await query.all()
        var names: [String: String] = [:]
        for versionID in try await ProgramVersion.query(on: db).all(\.$id) {
            for credential in (try? await StandardsLibrary.standards(ofVersion: versionID, on: db))?.credentials ?? [] where names[credential.code] == nil {
                names[credential.code] = credential.name
            }
        }
        var rates: [String: OutcomeReport.CredentialRate] = [:]
        for row in rows {
            let code = try row.decode(column: "credential_code", as: String.self)
            let status = try row.decode(column: "status", as: String.self)
            let n = try row.decode(column: "n", as: Int.self)
            if status == CredentialStatus.passed.rawValue { rates[code, default: .init(code: code, name: names[code] ?? code)].passed += n }
            else { rates[code, default: .init(code: code, name: names[code] ?? code)].failed += n }
        }
        return rates.values.sorted { $0.name < $1.name }
    }

    /// Apprentices in the program (any status but completed and cancelled) per mentor, busiest first.
    private static func mentorLoad(_ sql: any SQLDatabase, _ filter: OutcomeFilter, employerName: [UUID: String], limit: Int?,
                                   on db: any Database) async throws -> (mentors: [OutcomeReport.MentorLoad], count: Int) {
        if let limit { return try await busiestMentors(sql, filter, employerName: employerName, limit: limit) }
        let rows = try await scopedApprentices(sql, filter)
            .column(SQLColumn("mentor_id", table: "a")).column(SQLColumn("employer_id", table: "a"))
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .where(SQLColumn("status", table: "a"), .in, SQLBind.group(ApprenticeStatus.allCases.filter(\.isInProgram).map(\.rawValue)))
            .groupBy(SQLColumn("mentor_id", table: "a")).groupBy(SQLColumn("employer_id", table: "a"))
            .all()
        var counts: [(mentor: UUID, employer: UUID, n: Int)] = []
        for row in rows {
            counts.append((try row.decode(column: "mentor_id", as: UUID.self), try row.decode(column: "employer_id", as: UUID.self), try row.decode(column: "n", as: Int.self)))
        }
        // With a limit, names only for the mentors that can make the cut: those at least as busy as the limit-th busiest
        // (ties are broken by name below, so all of them are needed).
        var candidates = counts
        if let limit, counts.count > limit {
            let cut = counts.map(\.n).sorted(by: >)[limit - 1]
            candidates = counts.filter { $0.n >= cut }
        }
        let ids = Array(Set(candidates.map(\.mentor)))
        // Names as plain rows, in chunks: a national program has thousands of mentors, and decoding each as a Fluent
        // model (by reflection) was a fifth of this page's time.
        struct Name: Decodable {
            var id: UUID; var fullName: String
            enum CodingKeys: String, CodingKey { case id, fullName = "full_name" }
        }
        var names: [UUID: String] = [:]
        for start in stride(from: 0, to: ids.count, by: 2_000) {
            let chunk = Array(ids[start..<min(ids.count, start + 2_000)])
            for row in try await sql.raw("SELECT id, full_name FROM \(ident: User.schema) WHERE id IN (\(binds: chunk))")
                .all(decoding: Name.self) {
                names[row.id] = row.fullName
            }
        }
        let sorted = candidates.map { OutcomeReport.MentorLoad(name: names[$0.mentor] ?? "Unknown mentor", employer: employerName[$0.employer] ?? "", apprentices: $0.n) }
            .sorted { ($0.apprentices, $1.name) > ($1.apprentices, $0.name) }
        return (limit.map { Array(sorted.prefix($0)) } ?? sorted, counts.count)
    }

    /// The page's busiest mentors, ranked, cut and named by the database, and how many mentors there are: at a national
    /// program's size nearly every mentor ties at the standards' ratio, so naming "everyone who could make the cut" in
    /// Swift meant 8,000 names read and decoded per load (20,000 apprentices).
    private static func busiestMentors(_ sql: any SQLDatabase, _ filter: OutcomeFilter, employerName: [UUID: String],
                                       limit: Int) async throws -> (mentors: [OutcomeReport.MentorLoad], count: Int) {
        let inProgram = SQLBind.group(ApprenticeStatus.allCases.filter(\.isInProgram).map(\.rawValue))
        struct Busy: Decodable {
            var employerID: UUID; var fullName: String?; var n: Int
            enum CodingKeys: String, CodingKey { case employerID = "employer_id", fullName = "full_name", n }
        }
        let top = scopedApprentices(sql, filter)
            .column(SQLColumn("employer_id", table: "a")).column(SQLColumn("full_name", table: "u"))
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .join(SQLAlias(SQLIdentifier(User.schema), as: SQLIdentifier("u")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "u"), .equal, SQLColumn("mentor_id", table: "a"))
            .where(SQLColumn("status", table: "a"), .in, inProgram)
            .groupBy(SQLColumn("mentor_id", table: "a")).groupBy(SQLColumn("employer_id", table: "a")).groupBy(SQLColumn("full_name", table: "u"))
            .orderBy(SQLIdentifier("n"), SQLDirection.descending).orderBy(SQLColumn("full_name", table: "u"), SQLDirection.ascending)
            .orderBy(SQLColumn("mentor_id", table: "a"), SQLDirection.ascending)
            .limit(limit)
        let mentors = try await top.all(decoding: Busy.self).map {
            OutcomeReport.MentorLoad(name: $0.fullName ?? "Unknown mentor", employer: employerName[$0.employerID] ?? "", apprentices: $0.n)
        }.sorted { ($0.apprentices, $1.name) > ($1.apprentices, $0.name) } // the CSV's order, whatever the database's collation
        let groups = scopedApprentices(sql, filter).column(SQLLiteral.numeric("1"))
            .where(SQLColumn("status", table: "a"), .in, inProgram)
            .groupBy(SQLColumn("mentor_id", table: "a")).groupBy(SQLColumn("employer_id", table: "a"))
        let count = try await sql.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .from(SQLAlias(SQLGroupExpression(groups.select), as: SQLIdentifier("g")))
            .first()?.decode(column: "n", as: Int.self) ?? 0
        return (mentors, count)
    }

    private static func quarterStartMonth(_ quarter: String) -> String {
        ["01", "04", "07", "10"][max(0, min(3, (Int(quarter.suffix(1)) ?? 1) - 1))]
    }
}

extension OutcomeReport.Figures {
    mutating func merge(_ other: Self) {
        active += other.active
        suspended += other.suspended
        registrations += other.registrations
        completions += other.completions
        cancelledDuringProbation += other.cancelledDuringProbation
        cancelledAfterProbation += other.cancelledAfterProbation
        cohortCancelledDuringProbation += other.cohortCancelledDuringProbation
        cohortCancelledAfterProbation += other.cohortCancelledAfterProbation
        completionDays += other.completionDays
    }
}

/// The two expressions that differ between the databases: dates are stored as seconds since 1970 by SQLite and
/// as `timestamptz` by PostgreSQL. Fixed SQL text only, never user input.
private enum Dialect {
    static func isPostgres(_ sql: any SQLDatabase) -> Bool { sql.dialect.name == "postgresql" }

    /// `YYYY-MM` of an instant, in UTC.
    static func month(of column: SQLColumn, on sql: any SQLDatabase) -> any SQLExpression {
        isPostgres(sql)
            ? SQLFunction("to_char", args: SQLBinaryExpression(left: column, op: SQLRaw("AT TIME ZONE"), right: SQLLiteral.string("UTC")), SQLLiteral.string("YYYY-MM"))
            : SQLFunction("strftime", args: SQLLiteral.string("%Y-%m"), column, SQLLiteral.string("unixepoch"))
    }

    /// Whole days from a `YYYY-MM-DD` text column to an instant.
    static func days(from day: SQLColumn, to instant: SQLColumn, on sql: any SQLDatabase) -> any SQLExpression {
        if isPostgres(sql) {
            return SQLBinaryExpression(
                left: Cast(value: SQLBinaryExpression(left: instant, op: SQLRaw("AT TIME ZONE"), right: SQLLiteral.string("UTC")), type: "date"),
                op: SQLBinaryOperator.subtract, right: Cast(value: day, type: "date"))
        }
        return Cast(value: SQLBinaryExpression(
            left: SQLFunction("julianday", args: SQLFunction("date", args: instant, SQLLiteral.string("unixepoch"))),
            op: SQLBinaryOperator.subtract, right: SQLFunction("julianday", args: day)), type: "INTEGER")
    }
}

/// How a report's counts over time are grouped (see `Outcomes.report`).
private enum Bucket { case employer, quarter }

/// `YYYY-Qn` of a `YYYY-MM…` text, in SQL (the same quarters as `OutcomeRules.quarter(ofDay:)`).
private struct QuarterOf: SQLExpression {
    let text: any SQLExpression

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("(SUBSTR(")
        text.serialize(to: &serializer)
        serializer.write(", 1, 4) || '-Q' || CAST((CAST(SUBSTR(")
        text.serialize(to: &serializer)
        serializer.write(", 6, 2) AS INTEGER) + 2) / 3 AS TEXT))")
    }
}

/// `CAST(value AS type)`.
private struct Cast: SQLExpression {
    let value: any SQLExpression
    let type: String

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("CAST(")
        value.serialize(to: &serializer)
        serializer.write(" AS \(type))")
    }
}
