import BMETDomain
import Fluent
import SQLKit
import Vapor

/// The utilization analysis (29 CFR 30.5), goals (30.6) and the disability goal (30.7). Apprentices are counted in SQL
/// from their ETA-671 self-identification (sex, ethnicity, race) per occupation (the program's RAPIDS code) and the
/// state of their employer, the sponsor's recruitment area; availability is what the sponsor entered for that
/// occupation and state. Disability answers are sealed, so they are opened in keyset batches, never all at once.
enum Utilization {
    /// Apprentices still in the program, the population the analysis compares.
    static var inProgram: [String] { ApprenticeStatus.allCases.filter(\.isInProgram).map(\.rawValue) }

    struct Scope: Hashable, Sendable {
        let occupationCode: String
        let state: String
    }

    struct GroupRow: Sendable {
        let group: EEOGroup
        let availabilityTenths: Int?
        let count: Int
        let assessment: EqualOpportunityRules.Assessment?
        let goalTenths: Int?
    }

    struct Analysis: Sendable {
        let scope: Scope
        let total: Int
        /// Apprentices who gave none of sex, ethnicity or race.
        let notIdentified: Int
        let rows: [GroupRow]
        let source: String?
        let sourceYear: Int?
        let enteredAt: Date?
        var hasAvailability: Bool { rows.contains { $0.availabilityTenths != nil } }
        var underUtilized: [GroupRow] { rows.filter { $0.assessment?.underUtilized == true } }
    }

    /// The occupations (RAPIDS codes with their titles) and employer states that have apprentices in the program.
    static func scopes(on db: any Database) async throws -> (occupations: [(code: String, title: String)], states: [String]) {
        let sql = try db.sql()
        struct Occupation: Decodable { let rapids_code: String; let occupation_title: String }
        struct State: Decodable { let state: String }
        let occupations = try await sql.raw("SELECT rapids_code, MIN(occupation_title) AS occupation_title FROM program_versions GROUP BY rapids_code ORDER BY rapids_code")
            .all(decoding: Occupation.self)
        let states = try await sql.raw("""
            SELECT DISTINCT e.state FROM apprentices a JOIN employers e ON e.id = a.employer_id
            WHERE a.status IN (\(binds: inProgram)) ORDER BY e.state
            """).all(decoding: State.self)
        return (occupations.map { ($0.rapids_code, $0.occupation_title) }, states.map(\.state))
    }

    static func analysis(_ scope: Scope, on db: any Database) async throws -> Analysis {
        let sql = try db.sql()
        struct Counts: Decodable {
            let total: Int; let not_identified: Int?
            let women: Int?; let hispanic: Int?
            let american_indian: Int?; let asian: Int?; let black: Int?; let pacific: Int?; let white: Int?
        }
        func race(_ race: Race) -> SQLQueryString { "SUM(CASE WHEN (',' || d.races || ',') LIKE \(bind: "%," + race.rawValue + ",%") THEN 1 ELSE 0 END)" }
        let counts = try await sql.raw("""
            SELECT COUNT(*) AS total,
                   SUM(CASE WHEN d.id IS NULL OR (d.sex = 'undisclosed' AND d.ethnicity = 'undisclosed' AND d.races = 'undisclosed') THEN 1 ELSE 0 END) AS not_identified,
                   SUM(CASE WHEN d.sex = 'female' THEN 1 ELSE 0 END) AS women,
                   SUM(CASE WHEN d.ethnicity = 'hispanic_or_latino' THEN 1 ELSE 0 END) AS hispanic,
                   \(race(.americanIndianOrAlaskaNative)) AS american_indian, \(race(.asian)) AS asian, \(race(.blackOrAfricanAmerican)) AS black,
                   \(race(.nativeHawaiianOrPacificIslander)) AS pacific, \(race(.white)) AS white
            FROM apprentices a
            JOIN program_versions p ON p.id = a.program_version_id
            JOIN employers e ON e.id = a.employer_id
            LEFT JOIN apprentice_registration_data d ON d.apprentice_id = a.id
            WHERE a.status IN (\(binds: inProgram)) AND p.rapids_code = \(bind: scope.occupationCode) AND e.state = \(bind: scope.state)
            """).first(decoding: Counts.self)
        let total = counts?.total ?? 0
        let byGroup: [EEOGroup: Int] = [
            .women: counts?.women ?? 0, .hispanicOrLatino: counts?.hispanic ?? 0, .americanIndianOrAlaskaNative: counts?.american_indian ?? 0,
            .asian: counts?.asian ?? 0, .blackOrAfricanAmerican: counts?.black ?? 0, .nativeHawaiianOrPacificIslander: counts?.pacific ?? 0,
            .white: counts?.white ?? 0,
        ]
        let figures = try await latestAvailability(scope, on: db)
        let goals = try await latestGoals(scope, on: db)
        let rows = EEOGroup.allCases.map { group in
            let availability = figures[group]?.percentTenths
            return GroupRow(group: group, availabilityTenths: availability, count: byGroup[group] ?? 0,
                            assessment: availability.map { EqualOpportunityRules.assess(availabilityTenths: $0, count: byGroup[group] ?? 0, total: total) },
                            goalTenths: goals[group])
        }
        let newest = figures.values.max { $0.enteredAt < $1.enteredAt }
        return Analysis(scope: scope, total: total, notIdentified: counts?.not_identified ?? 0, rows: rows,
                        source: newest?.source, sourceYear: newest?.sourceYear, enteredAt: newest?.enteredAt)
    }

    /// The latest figure per group for the scope (figures are appended; earlier ones stay as history).
    static func latestAvailability(_ scope: Scope, on db: any Database) async throws -> [EEOGroup: AvailabilityFigure] {
        let rows = try await AvailabilityFigure.query(on: db)
            .filter(\.$occupationCode == scope.occupationCode).filter(\.$state == scope.state)
            .sort(\.$enteredAt).sort(\.$id).all()
        var latest: [EEOGroup: AvailabilityFigure] = [:]
        for row in rows { latest[row.group] = row }
        return latest
    }

    static func latestGoals(_ scope: Scope, on db: any Database) async throws -> [EEOGroup: Int] {
        let rows = try await UtilizationGoal.query(on: db)
            .filter(\.$occupationCode == scope.occupationCode).filter(\.$state == scope.state)
            .sort(\.$setAt).sort(\.$id).all()
        var latest: [EEOGroup: Int] = [:]
        for row in rows { latest[row.group] = row.goalTenths }
        return latest
    }

    /// Stores a full set of availability figures for the scope, after the rules accept them. Throws the field messages.
    static func recordAvailability(_ scope: Scope, typed: [EEOGroup: String], source: String, year: String, by actor: User,
                                   on db: any Database, now: Date = Date()) async throws {
        var errors = FieldErrors()
        if source.count > FieldLimits.limit(for: "source") { errors["source"] = "At most \(FieldLimits.limit(for: "source")) characters." }
        let currentYear = ProgramCalendar.calendar.component(.year, from: now)
        switch EqualOpportunityRules.validateAvailability(typed, source: source, year: year, currentYear: currentYear) {
        case .failure(let problems): errors.merge(problems.messages) { first, _ in first }
        case .success(let figures):
            guard errors.isEmpty else { break }
            let sourceYear = Int(year.trimmed) ?? currentYear
            try await db.writeTransaction { db in
                for group in EEOGroup.allCases {
                    let row = AvailabilityFigure()
                    row.occupationCode = scope.occupationCode
                    row.state = scope.state
                    row.group = group
                    row.percentTenths = figures[group] ?? 0
                    row.source = source.trimmed
                    row.sourceYear = sourceYear
                    row.$enteredBy.id = try actor.requireID()
                    row.enteredAt = now
                    try await row.create(on: db)
                }
                let summary = EEOGroup.allCases.map { "\($0.label) \(EqualOpportunityRules.percentText(tenths: figures[$0] ?? 0))" }.joined(separator: ", ")
                try await AuditLog.record(.availabilityRecorded, .program, "\(scope.occupationCode) in \(scope.state) (\(source.trimmed), \(sourceYear)): \(summary)", by: actor, on: db, now: now)
            }
            return
        }
        throw ValidationFailure(errors: errors)
    }

    /// Sets the goal for an under-utilized group to its availability (30.6). Refused when the group is not under-utilized.
    static func setGoal(_ scope: Scope, group: EEOGroup, note: String, by actor: User, on db: any Database, now: Date = Date()) async throws {
        let analysis = try await analysis(scope, on: db)
        guard let row = analysis.rows.first(where: { $0.group == group }), row.assessment?.underUtilized == true, let availability = row.availabilityTenths else {
            throw ValidationFailure(errors: ["group": "\(group.label) is not under-utilized in \(scope.occupationCode), \(scope.state): no goal is needed."])
        }
        if note.count > FieldLimits.limit(for: "note") { throw ValidationFailure(errors: ["note": "At most \(FieldLimits.limit(for: "note")) characters."]) }
        let goal = UtilizationGoal()
        goal.occupationCode = scope.occupationCode
        goal.state = scope.state
        goal.group = group
        goal.goalTenths = availability
        goal.note = note.trimmed
        goal.$setBy.id = try actor.requireID()
        goal.setAt = now
        try await db.writeTransaction { db in
            try await goal.create(on: db)
            try await AuditLog.record(.utilizationGoalSet, .program, "\(group.label) in \(scope.occupationCode), \(scope.state): goal \(EqualOpportunityRules.percentText(tenths: availability))", by: actor, on: db, now: now)
        }
    }

    struct DisabilityRow: Sendable {
        let occupationCode: String
        let occupationTitle: String
        let total: Int
        let withDisability: Int
        let without: Int
        let notAnswered: Int
        var rate: Double? { total == 0 ? nil : Double(withDisability) / Double(total) }
        var belowGoal: Bool { EqualOpportunityRules.belowDisabilityGoal(withDisability: withDisability, total: total) }
    }

    /// 30.7 per occupation group: apprentices in the program and how many self-identified a disability. The answers are
    /// sealed, so each batch of apprentices has its answers opened and counted; nothing is kept but the counts.
    static func disabilityGoal(cipher: DataCipher, on db: any Database, batchSize: Int = 500) async throws -> [DisabilityRow] {
        let sql = try db.sql()
        struct Row: Decodable { let id: UUID; let applicant_id: UUID?; let rapids_code: String }
        var counts: [String: (total: Int, yes: Int, no: Int)] = [:]
        var after: UUID?
        while true {
            let rows = try await sql.raw("""
                SELECT a.id, a.applicant_id, p.rapids_code FROM apprentices a JOIN program_versions p ON p.id = a.program_version_id
                WHERE a.status IN (\(binds: inProgram))\(after.map { SQLQueryString(" AND a.id > \(bind: $0)") } ?? "")
                ORDER BY a.id LIMIT \(literal: batchSize)
                """).all(decoding: Row.self)
            guard let last = rows.last else { break }
            after = last.id
            let answers = try await SelfIdentification.currentAnswers(for: rows.map { ($0.id, $0.applicant_id) }, cipher: cipher, on: db)
            for row in rows {
                var entry = counts[row.rapids_code] ?? (0, 0, 0)
                entry.total += 1
                switch answers[row.id] {
                case .yes?: entry.yes += 1
                case .no?: entry.no += 1
                default: break
                }
                counts[row.rapids_code] = entry
            }
            if rows.count < batchSize { break }
        }
        let titles = Dictionary(try await scopes(on: db).occupations.map { ($0.code, $0.title) }) { first, _ in first }
        return counts.keys.sorted().map { code in
            let entry = counts[code]!
            return DisabilityRow(occupationCode: code, occupationTitle: titles[code] ?? code, total: entry.total, withDisability: entry.yes,
                                 without: entry.no, notAnswered: entry.total - entry.yes - entry.no)
        }
    }
}
