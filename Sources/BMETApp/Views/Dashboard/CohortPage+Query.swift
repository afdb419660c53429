import BMETDomain
import Fluent
import SQLKit
import Vapor

/// One page of an employer's running apprentices with their progress, and the cohort's counts, all from the progress
/// read model (`progress_summaries`) in SQL: the page never loads the whole cohort.
struct CohortPageQuery {
    /// Nil: every employer (the sponsor's view).
    var employerID: UUID?
    /// The mentor whose own apprentices come first.
    var mentorFirst: UUID?
    /// Keyset: the last apprentice of the previous page.
    var after: UUID?
    var limit = 50

    struct Figures {
        var running = 0
        var atRisk = 0
        var raisesDue = 0
        var reviewsOverdue = 0
        var pendingEntries = 0
        var openRequests = 0
    }

    /// The first apprentice (by name) in one state, for the dashboard's single next step.
    struct Pick: Decodable { var id: UUID; var fullName: String; var raiseStep: Int?; var raiseTitle: String?; var reviewNumber: Int?; var reviewDueBy: String? }

    struct Result {
        var rows: [CohortRowView]
        /// Set when another page follows: the `after` for it.
        var next: UUID?
        var figures: Figures
        var firstEligible: Pick?
        var firstRaiseDue: Pick?
        var firstOverdue: Pick?
        /// The mentor's own apprentices whose next review can be written now.
        var reviewsToWrite: [Pick]
        var firstRequest: Pick?
    }

    static let running: [ApprenticeStatus] = ApprenticeStatus.allCases.filter { $0.isInProgram && $0 != .pendingAgreement }

    func run(today: Date = ProgramCalendar.today(), on db: any Database) async throws -> Result {
        let sql = try db.sql()
        let statuses = Self.running.map(\.rawValue)
        let scope: SQLQueryString = employerID.map { "a.status IN (\(binds: statuses)) AND a.employer_id = \(bind: $0)" } ?? "a.status IN (\(binds: statuses))"
        // The employer's own rows are refreshed before counting (a new day, or a change that missed its refresh);
        // the whole program's are the refresh job's.
        if let employerID { try await ProgressSummaries.refreshStale(today: today, employerID: employerID, limit: 500, on: db) }

        struct Counts: Decodable { var running: Int; var atRisk: Int?; var raisesDue: Int?; var reviewsOverdue: Int? }
        let counts = try await sql.raw("""
            SELECT COUNT(*) AS running, SUM(CASE WHEN s.at_risk THEN 1 ELSE 0 END) AS at_risk,
              SUM(CASE WHEN s.raise_step IS NOT NULL THEN 1 ELSE 0 END) AS raises_due, SUM(CASE WHEN s.review_overdue THEN 1 ELSE 0 END) AS reviews_overdue
            FROM \(ident: Apprentice.schema) a JOIN \(ident: ProgressSummaries.schema) s ON s.apprentice_id = a.id WHERE \(scope)
            """).first(decoding: Counts.self, keyDecodingStrategy: .convertFromSnakeCase)
        struct Count: Decodable { var n: Int }
        // "IN (the scope's apprentices)", not a join: with the join SQLite walked every pending entry of the program.
        let pending = try await sql.raw("""
            SELECT COUNT(*) AS n FROM \(ident: HourEntry.schema) h
            WHERE h.apprentice_id IN (SELECT a.id FROM \(ident: Apprentice.schema) a WHERE \(scope)) AND h.status = \(bind: HourEntry.Status.pending.rawValue)
            """).first(decoding: Count.self)?.n ?? 0
        let requests = try await sql.raw("""
            SELECT COUNT(*) AS n FROM \(ident: AssessmentRequest.schema) r
            WHERE r.apprentice_id IN (SELECT a.id FROM \(ident: Apprentice.schema) a WHERE \(scope)) AND r.answered_by_id IS NULL
            """).first(decoding: Count.self)?.n ?? 0
        let figures = Figures(running: counts?.running ?? 0, atRisk: counts?.atRisk ?? 0, raisesDue: counts?.raisesDue ?? 0,
                              reviewsOverdue: counts?.reviewsOverdue ?? 0, pendingEntries: pending, openRequests: requests)

        func pick(_ condition: SQLQueryString, limit: Int = 1) async throws -> [Pick] {
            try await sql.raw("""
                SELECT a.id, a.full_name, s.raise_step, s.raise_title, s.review_number, s.review_due_by
                FROM \(ident: Apprentice.schema) a JOIN \(ident: ProgressSummaries.schema) s ON s.apprentice_id = a.id
                WHERE \(scope) AND \(condition) ORDER BY a.full_name, a.id LIMIT \(unsafeRaw: String(limit))
                """).all(decoding: Pick.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
        let eligible = try await pick("s.eligible AND a.status = \(bind: ApprenticeStatus.active.rawValue)").first
        let raise = try await pick("s.raise_step IS NOT NULL").first
        let overdue = try await pick("s.review_overdue").first
        var toWrite: [Pick] = []
        if let mentorFirst { toWrite = try await pick("s.review_can_start AND a.mentor_id = \(bind: mentorFirst)", limit: 20) }
        let request = try await pick("EXISTS (SELECT 1 FROM \(ident: AssessmentRequest.schema) r WHERE r.apprentice_id = a.id AND r.answered_by_id IS NULL)").first

        // The page: the mentor's own first, then by name; keyset on (own?, name, id).
        let page = try await pageOfApprentices(scope: scope, on: db)
        let rows = try await Self.rows(page.prefix(limit).map { $0 }, today: today, on: db)
        return Result(rows: rows, next: page.count > limit ? page[limit - 1].id : nil, figures: figures, firstEligible: eligible,
                      firstRaiseDue: raise, firstOverdue: overdue, reviewsToWrite: toWrite, firstRequest: request)
    }

    /// Up to `limit + 1` apprentices after the cursor, with mentor and employer loaded.
    private func pageOfApprentices(scope: SQLQueryString, on db: any Database) async throws -> [Apprentice] {
        let query = Apprentice.query(on: db).filter(\.$status ~~ Self.running).with(\.$mentor).with(\.$employer)
        if let employerID { query.filter(\.$employer.$id == employerID) }
        var cursor: Apprentice?
        if let after { cursor = try await Apprentice.find(after, on: db) }
        if let mentorFirst {
            // Own apprentices are few (the mentor ratio caps them): all of them on the first page, then colleagues'.
            let own = cursor == nil ? try await query.copy().filter(\.$mentor.$id == mentorFirst).sort(\.$fullName).sort(\.$id).all() : []
            let others = query.copy().filter(\.$mentor.$id != mentorFirst)
            if let cursor, cursor.$mentor.id != mentorFirst { others.after(cursor) }
            return own + (try await others.sort(\.$fullName).sort(\.$id).limit(limit + 1 - min(own.count, limit)).all())
        }
        if let cursor { query.after(cursor) }
        return try await query.sort(\.$fullName).sort(\.$id).limit(limit + 1).all()
    }

    /// Rows for these apprentices from their current summaries, with waiting entries and requests counted per page.
    static func rows(_ apprentices: [Apprentice], today: Date, on db: any Database) async throws -> [CohortRowView] {
        guard !apprentices.isEmpty else { return [] }
        let sql = try db.sql()
        let ids = apprentices.compactMap(\.id)
        let summaries = try await ProgressSummaries.current(apprentices, today: today, on: db)
        struct PerApprentice: Decodable { var apprenticeId: UUID; var n: Int }
        let pending = try await sql.raw("""
            SELECT apprentice_id, COUNT(*) AS n FROM \(ident: HourEntry.schema) WHERE apprentice_id IN (\(binds: ids))
            AND status = \(bind: HourEntry.Status.pending.rawValue) GROUP BY apprentice_id
            """).all(decoding: PerApprentice.self, keyDecodingStrategy: .convertFromSnakeCase)
        let requests = try await sql.raw("""
            SELECT apprentice_id, COUNT(*) AS n FROM \(ident: AssessmentRequest.schema) WHERE apprentice_id IN (\(binds: ids))
            AND answered_by_id IS NULL GROUP BY apprentice_id
            """).all(decoding: PerApprentice.self, keyDecodingStrategy: .convertFromSnakeCase)
        let pendingBy = Dictionary(pending.map { ($0.apprenticeId, $0.n) }, uniquingKeysWith: +)
        let requestsBy = Dictionary(requests.map { ($0.apprenticeId, $0.n) }, uniquingKeysWith: +)
        return apprentices.compactMap { apprentice in
            guard let id = apprentice.id, let summary = summaries[id] else { return nil }
            return CohortRowView(apprentice, summary: summary, pending: pendingBy[id] ?? 0, requests: requestsBy[id] ?? 0)
        }
    }
}
