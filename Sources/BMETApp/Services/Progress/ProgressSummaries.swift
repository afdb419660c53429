import BMETDomain
import Fluent
import Foundation
import SQLKit

/// The progress read model: one `progress_summaries` row per apprentice holding what lists count and filter on
/// (hours share, skills, outlook, raise due, review due) and the progress API's answer as JSON.
///
/// Consistency: every change to a training record runs `TrainingLock.lock`, which bumps the row's `generation` in the
/// change's own transaction, and then `refresh`, which recomputes the row in that transaction. A row is *current* while
/// `summarized_generation = generation` and it was computed today (pace, probation and reviews move with the calendar).
/// Readers only trust current rows; anything else is recomputed (and rewritten) on the spot or by the refresh job.
enum ProgressSummaries {
    static let schema = "progress_summaries"

    /// The columns pages read, decoded without Fluent's reflection.
    struct Row: Decodable, Sendable {
        var apprenticeId: UUID
        var generation: Int
        var summarizedGeneration: Int
        var computedOn: String?
        var totalMinutes: Int
        var minimumHours: Int
        var hoursPermille: Int
        var skillsSigned: Int
        var skillsTotal: Int
        var outlookCode: String?
        var outlookLabel: String?
        var projectedCompletion: String?
        var atRisk: Bool
        var eligible: Bool
        var raiseStep: Int?
        var raiseTitle: String?
        var reviewNumber: Int?
        var reviewDueBy: String?
        var reviewOverdue: Bool
        var reviewCanStart: Bool

        enum CodingKeys: String, CodingKey {
            case apprenticeId = "apprentice_id", generation, summarizedGeneration = "summarized_generation", computedOn = "computed_on"
            case totalMinutes = "total_minutes", minimumHours = "minimum_hours", hoursPermille = "hours_permille", skillsSigned = "skills_signed"
            case skillsTotal = "skills_total", outlookCode = "outlook_code", outlookLabel = "outlook_label"
            case projectedCompletion = "projected_completion", atRisk = "at_risk", eligible, raiseStep = "raise_step", raiseTitle = "raise_title"
            case reviewNumber = "review_number", reviewDueBy = "review_due_by", reviewOverdue = "review_overdue", reviewCanStart = "review_can_start"
        }

        func isCurrent(on day: String) -> Bool { summarizedGeneration == generation && computedOn == day }
    }

    static let columns = """
        apprentice_id, generation, summarized_generation, computed_on, total_minutes, minimum_hours, hours_permille, skills_signed,
        skills_total, outlook_code, outlook_label, projected_completion, at_risk, eligible, raise_step, raise_title, review_number,
        review_due_by, review_overdue, review_can_start
        """

    /// What a refresh writes, computed from the engine's progress and the next review.
    struct Values {
        var employerID: UUID
        var computedOn: String
        var progress: ApprenticeProgress
        var review: ProgressReviews.Due?
        var document: String

        init(apprentice: Apprentice, progress: ApprenticeProgress, reviewsOnFile: Int, today: Date) throws {
            employerID = apprentice.$employer.id
            computedOn = ProgramCalendar.dayString(today)
            self.progress = progress
            review = ProgressReviews.next(for: apprentice, reviewsOnFile: reviewsOnFile, today: today)
            document = String(decoding: try documentEncoder.encode(ProgressDTO(progress)), as: UTF8.self)
        }
    }

    /// Sorted keys: the same progress always gives the same bytes, so `verify` can compare documents.
    static let documentEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    // MARK: Writing

    /// Marks the apprentice's summary out of date; part of `TrainingLock.lock`, so it is in the change's transaction and
    /// also takes the summary row's lock.
    static func bump(_ apprenticeID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO \(ident: schema) (apprentice_id, generation, summarized_generation) VALUES (\(bind: apprenticeID), 2, 0)
            ON CONFLICT (apprentice_id) DO UPDATE SET generation = \(ident: schema).generation + 1
            """).run()
    }

    /// Recomputes one apprentice's summary from the records; call inside the change's transaction, after the change.
    static func refresh(_ apprentice: Apprentice, today: Date = ProgramCalendar.today(), on db: any Database) async throws {
        let sql = try db.sql()
        let id = try apprentice.requireID()
        let progress = try await ProgressReader.progress(of: apprentice, today: today, on: db)
        let reviews = try await reviewCounts([id], on: sql)[id] ?? 0
        try await write(try Values(apprentice: apprentice, progress: progress, reviewsOnFile: reviews, today: today), for: id, ifGeneration: nil, on: sql)
    }

    /// Refreshes the apprentice with this id (the record is read again, so status changes made in the transaction count).
    static func refresh(_ apprenticeID: UUID, today: Date = ProgramCalendar.today(), on db: any Database) async throws {
        guard let apprentice = try await Apprentice.find(apprenticeID, on: db) else { return }
        try await refresh(apprentice, today: today, on: db)
    }

    /// The summary's columns as one refresh writes them (everything but the generations).
    struct Columns: Sendable {
        var computedOn: String
        var employerID: UUID
        var totalMinutes: Int
        var minimumHours: Int
        var hoursPermille: Int
        var skillsSigned: Int
        var skillsTotal: Int
        var outlookCode: String
        var outlookLabel: String
        var projectedCompletion: String?
        var atRisk: Bool
        var eligible: Bool
        var raiseStep: Int?
        var raiseTitle: String?
        var reviewNumber: Int?
        var reviewDueBy: String?
        var reviewOverdue: Bool
        var reviewCanStart: Bool
        var document: String

        init(_ values: Values) {
            let p = values.progress
            let raise = p.wage.dueSteps.first
            computedOn = values.computedOn
            employerID = values.employerID
            totalMinutes = Int((p.totalHours * 60).rounded())
            minimumHours = p.minimumHours
            hoursPermille = Int((p.hoursFraction * 1000).rounded(.down))
            skillsSigned = p.skillsSignedOff
            skillsTotal = p.skillsTotal
            outlookCode = p.outlook.code
            outlookLabel = p.outlook.label
            projectedCompletion = p.projectedCompletion.map(ProgramCalendar.dayString)
            atRisk = p.outlook.code == "at-risk"
            eligible = p.eligibility.isEligible
            raiseStep = raise?.step
            raiseTitle = raise?.title
            reviewNumber = values.review?.number
            reviewDueBy = values.review?.dueBy
            reviewOverdue = values.review?.isOverdue ?? false
            reviewCanStart = values.review?.canStart ?? false
            document = values.document
        }

        var assignments: SQLQueryString {
            """
            computed_on = \(bind: computedOn), employer_id = \(bind: employerID), total_minutes = \(bind: totalMinutes),
            minimum_hours = \(bind: minimumHours), hours_permille = \(bind: hoursPermille), skills_signed = \(bind: skillsSigned),
            skills_total = \(bind: skillsTotal), outlook_code = \(bind: outlookCode), outlook_label = \(bind: outlookLabel),
            projected_completion = \(bind: projectedCompletion), at_risk = \(bind: atRisk), eligible = \(bind: eligible),
            raise_step = \(bind: raiseStep), raise_title = \(bind: raiseTitle), review_number = \(bind: reviewNumber),
            review_due_by = \(bind: reviewDueBy), review_overdue = \(bind: reviewOverdue), review_can_start = \(bind: reviewCanStart),
            document = \(bind: document)
            """
        }
    }

    /// Writes a summary. Without `ifGeneration` (inside the change's transaction, which holds the row) it marks the row
    /// current; with it (batch refreshes outside any change) it writes only if no change came in since that generation
    /// was read, so an older computation never overwrites a newer change's mark.
    static func write(_ values: Values, for id: UUID, ifGeneration generation: Int?, on sql: any SQLDatabase) async throws {
        let set = Columns(values).assignments
        if let generation {
            try await sql.raw("""
                UPDATE \(ident: schema) SET \(set), summarized_generation = generation
                WHERE apprentice_id = \(bind: id) AND generation = \(bind: generation)
                """).run()
        } else {
            // The row exists when the transaction took the training lock; the insert covers callers that did not.
            try await sql.raw("""
                INSERT INTO \(ident: schema) (apprentice_id, generation, summarized_generation) VALUES (\(bind: id), 1, 0)
                ON CONFLICT (apprentice_id) DO NOTHING
                """).run()
            try await sql.raw("UPDATE \(ident: schema) SET \(set), summarized_generation = generation WHERE apprentice_id = \(bind: id)").run()
        }
    }

    // MARK: Planned updates

    /// A summary computed before the change that moves it runs: from the records as they were at `generation`, plus
    /// approved entries. Written in the change's transaction only if the generation is still the same there (nothing
    /// else changed the record in between), which costs the writer one statement instead of a recomputation.
    struct Plan: Sendable {
        var generation: Int
        var entryIDs: Set<UUID>
        var columns: Columns
    }

    struct PlannedApproval: Sendable {
        var entryID: UUID
        var skillSetCode: String
        var entryDate: String
        var minutes: Int
    }

    /// The summaries' generations now; read before the records a plan is made from.
    static func generations(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: Int] {
        guard !ids.isEmpty else { return [:] }
        struct Row: Decodable {
            var apprenticeID: UUID; var generation: Int
            enum CodingKeys: String, CodingKey { case apprenticeID = "apprentice_id", generation }
        }
        let rows = try await sql.raw("SELECT apprentice_id, generation FROM \(ident: schema) WHERE apprentice_id IN (\(binds: ids))").all(decoding: Row.self)
        return Dictionary(rows.map { ($0.apprenticeID, $0.generation) }, uniquingKeysWith: { $1 })
    }

    /// The summary as it will be once these pending entries are approved; nil when the record changed while it was
    /// read (the change then recomputes it in its transaction, as any other change does).
    static func plan(_ apprentice: Apprentice, generation: Int, approving entries: [PlannedApproval], today: Date = ProgramCalendar.today(),
                     on db: any Database) async throws -> Plan? {
        let sql = try db.sql()
        let id = try apprentice.requireID()
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        let records = try await ProgressReader.read([id], today: today, on: db)[id] ?? .init()
        let reviews = try await reviewCounts([id], on: sql)[id] ?? 0
        // Each statement above saw the latest commit; if a change committed between them, the generation moved.
        guard try await generations([id], on: sql)[id] == generation else { return nil }
        let after = ProgressReader.adding(approved: entries, to: records, apprenticeID: id, today: today)
        let progress = ProgressEngine.evaluate(ProgressReader.snapshot(of: apprentice, standards: standards, records: after, today: today))
        let values = try Values(apprentice: apprentice, progress: progress, reviewsOnFile: reviews, today: today)
        return Plan(generation: generation, entryIDs: Set(entries.map(\.entryID)), columns: Columns(values))
    }

    /// Writes a planned summary if the record is still at the plan's generation, and moves the generation on (the row
    /// stays current); false when something changed it since, so the caller recomputes.
    static func writePlanned(_ plan: Plan, for id: UUID, on sql: any SQLDatabase) async throws -> Bool {
        let rows = try await sql.raw("""
            UPDATE \(ident: schema) SET \(plan.columns.assignments), generation = generation + 1, summarized_generation = generation + 1
            WHERE apprentice_id = \(bind: id) AND generation = \(bind: plan.generation) RETURNING apprentice_id
            """).all()
        return !rows.isEmpty
    }

    // MARK: Reading

    /// The stored progress answer when it is current today; nil when it must be recomputed.
    static func document(for id: UUID, today: Date = ProgramCalendar.today(), on db: any Database) async throws -> String? {
        let sql = try db.sql()
        struct Doc: Decodable { var document: String? }
        return try await sql.raw("""
            SELECT document FROM \(ident: schema) WHERE apprentice_id = \(bind: id) AND summarized_generation = generation
            AND computed_on = \(bind: ProgramCalendar.dayString(today))
            """).first(decoding: Doc.self)?.document
    }

    /// The visibility check and the stored document in one plain-row statement (the progress API's whole read):
    /// nil when the apprentice is not visible to `actor`; `document` nil when the stored one is not current.
    static func visibleDocument(for id: UUID, to actor: User, today: Date = ProgramCalendar.today(), on sql: any SQLDatabase) async throws -> (found: Bool, document: String?) {
        struct Doc: Decodable { var document: String?; var current: Int? }
        guard let row = try await sql.raw("""
            SELECT s.document, CASE WHEN s.summarized_generation = s.generation AND s.computed_on = \(bind: ProgramCalendar.dayString(today))
                THEN 1 ELSE 0 END AS current
            FROM apprentices a LEFT JOIN \(ident: schema) s ON s.apprentice_id = a.id
            WHERE a.id = \(bind: id) AND \(ApprenticeRecords.visibleCondition(to: actor))
            """).first(decoding: Doc.self) else { return (false, nil) }
        return (true, row.current == 1 ? row.document : nil)
    }

    /// Current summaries of these apprentices: rows that are out of date are recomputed and written first, so a page
    /// never shows yesterday's outlook. Meant for a page of rows (tens), not the whole program.
    static func current(_ apprentices: [Apprentice], today: Date = ProgramCalendar.today(), on db: any Database) async throws -> [UUID: Row] {
        let sql = try db.sql()
        let ids = apprentices.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        let day = ProgramCalendar.dayString(today)
        var rows = try await read(ids, on: sql)
        let stale = apprentices.filter { apprentice in apprentice.id.map { rows[$0]?.isCurrent(on: day) != true } ?? false }
        if !stale.isEmpty {
            try await refresh(stale, generations: rows.mapValues(\.generation), today: today, on: db)
            rows.merge(try await read(stale.compactMap(\.id), on: sql)) { $1 }
        }
        return rows
    }

    static func read(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: Row] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.raw("SELECT \(unsafeRaw: columns) FROM \(ident: schema) WHERE apprentice_id IN (\(binds: ids))")
            .all(decoding: Row.self)
        return Dictionary(rows.map { ($0.apprenticeId, $0) }, uniquingKeysWith: { $1 })
    }

    /// Recomputes a batch in one read per table and writes each row only if it did not change meanwhile.
    static func refresh(_ apprentices: [Apprentice], generations: [UUID: Int], today: Date, on db: any Database) async throws {
        guard !apprentices.isEmpty else { return }
        let sql = try db.sql()
        let ids = apprentices.compactMap(\.id)
        let progress = try await ProgressReader.progress(of: apprentices, today: today, on: db)
        let reviews = try await reviewCounts(ids, on: sql)
        var values: [(UUID, Values)] = []
        for apprentice in apprentices {
            guard let id = apprentice.id, let figures = progress[id] else { continue }
            values.append((id, try Values(apprentice: apprentice, progress: figures, reviewsOnFile: reviews[id] ?? 0, today: today)))
        }
        let rows = values
        try await db.writeTransaction { db in
            let sql = try db.sql()
            for (id, value) in rows {
                if let generation = generations[id] {
                    try await write(value, for: id, ifGeneration: generation, on: sql)
                } else {
                    try await write(value, for: id, ifGeneration: nil, on: sql)
                }
            }
        }
    }

    /// Refreshes every summary that is not current (changed since, computed on an earlier day, or never), in batches;
    /// returns how many were rewritten. The `progress.refresh` job runs it, and `bmet seed scale` after loading.
    @discardableResult
    static func refreshStale(today: Date = ProgramCalendar.today(), employerID: UUID? = nil, limit: Int? = nil, batch: Int = 500,
                             on db: any Database, progress report: ((Int, Int) -> Void)? = nil) async throws -> Int {
        let sql = try db.sql()
        let day = ProgramCalendar.dayString(today)
        struct Stale: Decodable { var apprenticeId: UUID; var generation: Int }
        struct Count: Decodable { var n: Int }
        let employer: SQLQueryString = employerID.map { "AND employer_id = \(bind: $0)" } ?? ""
        let staleWhere: SQLQueryString = "(summarized_generation <> generation OR computed_on IS NULL OR computed_on <> \(bind: day)) \(employer)"
        var total = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: schema) WHERE \(staleWhere)").first(decoding: Count.self)?.n ?? 0
        if let limit { total = min(total, limit) }
        var done = 0
        var after: UUID?
        // Keyset over the primary key, so rows that stay stale (changed again meanwhile) cannot loop forever.
        while done < total {
            let afterClause: SQLQueryString = after.map { "AND apprentice_id > \(bind: $0)" } ?? ""
            let stale = try await sql.raw("""
                SELECT apprentice_id, generation FROM \(ident: schema) WHERE \(staleWhere) \(afterClause)
                ORDER BY apprentice_id LIMIT \(unsafeRaw: String(batch))
                """).all(decoding: Stale.self, keyDecodingStrategy: .convertFromSnakeCase)
            guard let last = stale.last else { break }
            after = last.apprenticeId
            let apprentices = try await Apprentice.query(on: db).filter(\.$id ~~ stale.map(\.apprenticeId)).all()
            try await refresh(apprentices, generations: Dictionary(stale.map { ($0.apprenticeId, $0.generation) }, uniquingKeysWith: { $1 }), today: today, on: db)
            done += stale.count
            report?(done, total)
        }
        return done
    }

    /// Progress reviews on file per apprentice.
    static func reviewCounts(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: Int] {
        guard !ids.isEmpty else { return [:] }
        struct Count: Decodable {
            var apprenticeId: UUID; var n: Int
            enum CodingKeys: String, CodingKey { case apprenticeId = "apprentice_id", n }
        }
        let rows = try await sql.raw("""
            SELECT apprentice_id, COUNT(*) AS n FROM \(ident: ProgressReview.schema) WHERE apprentice_id IN (\(binds: ids)) GROUP BY apprentice_id
            """).all(decoding: Count.self)
        return Dictionary(rows.map { ($0.apprenticeId, $0.n) }, uniquingKeysWith: +)
    }

    // MARK: Verification

    /// Compares a current stored summary with the same figures recomputed from the records; nil when they agree or the
    /// row is not current (it is then recomputed before anyone reads it). With `repair`, rewrites it.
    static func verify(_ apprentice: Apprentice, today: Date = ProgramCalendar.today(), repair: Bool, on db: any Database) async throws -> ProgressAggregates.Drift? {
        let sql = try db.sql()
        let id = try apprentice.requireID()
        let day = ProgramCalendar.dayString(today)
        struct Stored: Decodable { var generation: Int; var summarizedGeneration: Int; var computedOn: String?; var document: String? }
        let stored = try await sql.raw("SELECT generation, summarized_generation, computed_on, document FROM \(ident: schema) WHERE apprentice_id = \(bind: id)")
            .first(decoding: Stored.self, keyDecodingStrategy: .convertFromSnakeCase)
        let isCurrent = stored.map { $0.generation == $0.summarizedGeneration && $0.computedOn == day } ?? false
        let progress = try await ProgressReader.progress(of: apprentice, today: today, on: db)
        let expected = try Values(apprentice: apprentice, progress: progress, reviewsOnFile: try await reviewCounts([id], on: sql)[id] ?? 0, today: today)
        var drift: ProgressAggregates.Drift?
        if stored == nil {
            drift = .init(apprenticeID: id, what: "progress summary", stored: "missing", recomputed: "a row")
        } else if isCurrent, stored?.document != expected.document {
            drift = .init(apprenticeID: id, what: "progress summary", stored: String((stored?.document ?? "none").prefix(120)), recomputed: String(expected.document.prefix(120)))
        } else if isCurrent {
            // The listed figures come from the same progress as the document; check the ones lists filter on.
            let row = try await read([id], on: sql)[id]
            if let row, row.totalMinutes != Int((progress.totalHours * 60).rounded()) || row.skillsSigned != progress.skillsSignedOff
                || row.atRisk != (progress.outlook.code == "at-risk") || row.reviewOverdue != (expected.review?.isOverdue ?? false) {
                drift = .init(apprenticeID: id, what: "progress summary figures", stored: "\(row.totalMinutes) min, \(row.skillsSigned) skills",
                              recomputed: "\(Int((progress.totalHours * 60).rounded())) min, \(progress.skillsSignedOff) skills")
            }
        }
        if repair && (drift != nil || !isCurrent) {
            try await db.writeTransaction { db in
                try await TrainingLock.lock(id, on: db)
                try await refresh(apprentice, today: today, on: db)
            }
        }
        return drift
    }
}

/// Every apprentice row gets its summary row when it is created, whatever creates it, so lists that join the two
/// never miss anyone; the row starts out of date and is computed by the refresh that follows (or the first read).
/// Any update of the apprentice row (status, dates, employer, mentor) marks the summary out of date as well, in the
/// same transaction, even where a caller forgot the training lock.
struct ProgressSummaryRowMiddleware: AsyncModelMiddleware {
    func update(model: Apprentice, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.update(model, on: db)
        guard let id = model.id else { return }
        let sql = try db.sql()
        try await ProgressSummaries.bump(id, on: sql)
        ChangedApprentices.inTransaction?.add(id)
    }

    func create(model: Apprentice, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.create(model, on: db)
        guard let id = model.id else { return }
        let sql = try db.sql()
        try await sql.raw("""
            INSERT INTO \(ident: ProgressSummaries.schema) (apprentice_id, generation, summarized_generation, employer_id)
            VALUES (\(bind: id), 1, 0, \(bind: model.$employer.id)) ON CONFLICT (apprentice_id) DO NOTHING
            """).run()
    }
}
