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
        case .mentor, .apprentice:
            throw Abort(.forbidden, reason: "Reports are for the sponsor and employers.")
        }
        return filter
    }

    static func report(_ filter: OutcomeFilter, on db: any Database, today: Date = ProgramCalendar.today()) async throws -> OutcomeReport {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError, reason: "Reports need an SQL database.") }
        var report = OutcomeReport()
        let employers = try await Employer.query(on: db).all()
        let employerName = Dictionary(uniqueKeysWithValues: employers.compactMap { e in e.id.map { ($0, e.name) } })
        let employerState = Dictionary(uniqueKeysWithValues: employers.compactMap { e in e.id.map { ($0, e.state) } })
        var byEmployer: [UUID: OutcomeReport.Figures] = [:]
        var byQuarter: [String: OutcomeReport.Figures] = [:]

        func add(_ employerID: UUID, quarter: String?, _ change: (inout OutcomeReport.Figures) -> Void) {
            change(&report.total)
            change(&byEmployer[employerID, default: .init()])
            if let quarter { change(&byQuarter[quarter, default: .init()]) }
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
            add(employerID, quarter: nil) { figures in
                if status == .probation || status == .active { figures.active += n }
                if status == .suspended { figures.suspended += n }
            }
        }

        // The cohort: apprentices who started in the range, by employer and start month, with how they left if they did.
        let cohortQuery = scopedApprentices(sql, filter)
            .column(SQLColumn("employer_id", table: "a"))
            .column(SQLAlias(SQLFunction("SUBSTR", args: SQLColumn("start_date", table: "a"), SQLLiteral.numeric("1"), SQLLiteral.numeric("7")), as: SQLIdentifier("month")))
            .column(SQLAlias(SQLColumn("during_probation", table: "c"), as: SQLIdentifier("cancelled_in_probation")))
            .column(SQLAlias(SQLColumn("kind", table: "c"), as: SQLIdentifier("cancel_kind")))
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .join(SQLAlias(SQLIdentifier(ApprenticeEvent.schema), as: SQLIdentifier("c")), method: SQLJoinMethod.left,
                  on: SQLBinaryExpression(left: SQLBinaryExpression(left: SQLColumn("apprentice_id", table: "c"), op: SQLBinaryOperator.equal, right: SQLColumn("id", table: "a")),
                                          op: SQLBinaryOperator.and,
                                          right: SQLBinaryExpression(left: SQLColumn("kind", table: "c"), op: SQLBinaryOperator.equal, right: SQLBind("cancel"))))
            .groupBy(SQLColumn("employer_id", table: "a")).groupBy(SQLIdentifier("month"))
            .groupBy(SQLColumn("during_probation", table: "c")).groupBy(SQLColumn("kind", table: "c"))
        if let from = filter.range.from { cohortQuery.where(SQLColumn("start_date", table: "a"), .greaterThanOrEqual, SQLBind(from)) }
        if let to = filter.range.to { cohortQuery.where(SQLColumn("start_date", table: "a"), .lessThanOrEqual, SQLBind(to)) }
        let cohort = try await cohortQuery.all()
        for row in cohort {
            let employerID = try row.decode(column: "employer_id", as: UUID.self)
            let month = try row.decode(column: "month", as: String.self)
            let cancelled = try row.decodeNil(column: "cancel_kind") == false
            let inProbation = cancelled ? try row.decode(column: "cancelled_in_probation", as: Bool.self) : false
            let n = try row.decode(column: "n", as: Int.self)
            add(employerID, quarter: OutcomeRules.quarter(ofDay: month + "-01")) { figures in
                figures.registrations += n
                if cancelled && inProbation { figures.cohortCancelledDuringProbation += n }
                if cancelled && !inProbation { figures.cohortCancelledAfterProbation += n }
            }
        }

        // Exits in the range: completions and cancellations, one row each (they are few).
        let (start, end) = filter.range.instants
        let exitQuery = scopedApprentices(sql, filter)
            .column(SQLColumn("employer_id", table: "a")).column(SQLColumn("start_date", table: "a"))
            .column(SQLColumn("kind", table: "e")).column(SQLColumn("during_probation", table: "e")).column(SQLColumn("created_at", table: "e"))
            .join(SQLAlias(SQLIdentifier(ApprenticeEvent.schema), as: SQLIdentifier("e")), method: SQLJoinMethod.inner,
                  on: SQLColumn("apprentice_id", table: "e"), .equal, SQLColumn("id", table: "a"))
            .where(SQLColumn("kind", table: "e"), .in, SQLBind.group(["cancel", "completed"]))
        if let start { exitQuery.where(SQLColumn("created_at", table: "e"), .greaterThanOrEqual, SQLBind(start)) }
        if let end { exitQuery.where(SQLColumn("created_at", table: "e"), .lessThan, SQLBind(end)) }
        let exits = try await exitQuery.all()
        for row in exits {
            let employerID = try row.decode(column: "employer_id", as: UUID.self)
            let kind = try row.decode(column: "kind", as: String.self)
            let inProbation = try row.decode(column: "during_probation", as: Bool.self)
            let at = try row.decode(column: "created_at", as: Date.self)
            let startDay = try row.decode(column: "start_date", as: String.self)
            add(employerID, quarter: OutcomeRules.quarter(ofDay: ProgramCalendar.dayString(at))) { figures in
                if kind == "completed" {
                    figures.completions += 1
                    if let days = OutcomeRules.days(fromDay: startDay, to: at) { figures.daysToCompletion.append(days) }
                } else if inProbation {
                    figures.cancelledDuringProbation += 1
                } else {
                    figures.cancelledAfterProbation += 1
                }
            }
        }

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
        report.mentors = try await mentorLoad(sql, filter)
        return report
    }

    /// `apprentices a` joined to their employer, limited to the filter's employer and state.
    private static func scopedApprentices(_ sql: any SQLDatabase, _ filter: OutcomeFilter) -> SQLSelectBuilder {
        let query = sql.select()
            .from(SQLAlias(SQLIdentifier(Apprentice.schema), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier(Employer.schema), as: SQLIdentifier("emp")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "emp"), .equal, SQLColumn("employer_id", table: "a"))
        if let employerID = filter.employerID { query.where(SQLColumn("employer_id", table: "a"), .equal, SQLBind(employerID)) }
        if let state = filter.state { query.where(SQLColumn("state", table: "emp"), .equal, SQLBind(state)) }
        return query
    }

    /// Exam results (passed or failed attempts) dated in the range, per credential.
    private static func credentialRates(_ sql: any SQLDatabase, _ filter: OutcomeFilter, on db: any Database) async throws -> [OutcomeReport.CredentialRate] {
        let query = scopedApprentices(sql, filter)
            .column(SQLColumn("credential_code", table: "cr")).column(SQLColumn("status", table: "cr"))
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .join(SQLAlias(SQLIdentifier(CredentialRecord.schema), as: SQLIdentifier("cr")), method: SQLJoinMethod.inner,
                  on: SQLColumn("apprentice_id", table: "cr"), .equal, SQLColumn("id", table: "a"))
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
    private static func mentorLoad(_ sql: any SQLDatabase, _ filter: OutcomeFilter) async throws -> [OutcomeReport.MentorLoad] {
        let rows = try await scopedApprentices(sql, filter)
            .column(SQLColumn("full_name", table: "m")).column(SQLAlias(SQLColumn("name", table: "emp"), as: SQLIdentifier("employer")))
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .join(SQLAlias(SQLIdentifier(User.schema), as: SQLIdentifier("m")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "m"), .equal, SQLColumn("mentor_id", table: "a"))
            .where(SQLColumn("status", table: "a"), .in, SQLBind.group(ApprenticeStatus.allCases.filter(\.isInProgram).map(\.rawValue)))
            .groupBy(SQLColumn("id", table: "m")).groupBy(SQLColumn("full_name", table: "m")).groupBy(SQLColumn("name", table: "emp"))
            .all()
        return try rows.map {
            OutcomeReport.MentorLoad(name: try $0.decode(column: "full_name", as: String.self), employer: try $0.decode(column: "employer", as: String.self),
                                     apprentices: try $0.decode(column: "n", as: Int.self))
        }.sorted { ($0.apprentices, $1.name) > ($1.apprentices, $0.name) }
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
        daysToCompletion += other.daysToCompletion
    }
}
