@testable import BMETApp
import BMETDomain
import Fluent
import SQLKit
import Testing
import Vapor
import VaporTesting

@Suite("National-scale data generator")
struct ScaleSeedTests {
    static func options(apprentices: Int, employers: Int, seed: UInt64 = 7) -> ScaleGenerator.Options {
        ScaleGenerator.Options(apprentices: apprentices, employers: employers, seed: seed, password: "scale-password-2026",
                               standardsPath: packageRoot + "standards/aami-bmet.json", flushRows: 5_000)
    }

    @Test("seed scale writes apprentices at every stage with their training history, and the totals match the records")
    func generates() async throws {
        try await withTestApp { app in
            // The load drops the secondary indexes and builds them again after it (SQLite): the same ones, by name and text.
            struct IndexRow: Decodable, Hashable { var name: String; var sql: String? }
            let indexQuery: SQLQueryString = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
            let sql = app.db as? any SQLDatabase
            let isSQLite = sql?.dialect.name == "sqlite"
            let indexesBefore = isSQLite ? try await sql!.raw(indexQuery).all(decoding: IndexRow.self) : []
            let result = try await ScaleGenerator.run(Self.options(apprentices: 100, employers: 5), app: app)
            if isSQLite {
                #expect(indexesBefore.count > 20)
                #expect(try await sql!.raw(indexQuery).all(decoding: IndexRow.self) == indexesBefore)
            }
            let db = app.db
            #expect(try await Apprentice.query(on: db).count() == 100)
            #expect(try await Employer.query(on: db).count() == 5)
            let states = Set(try await Employer.query(on: db).all(\.$state))
            #expect(states.count == 5)
            // Every stage of an apprenticeship is represented, with a history event for each move.
            let statuses = Set(try await Apprentice.query(on: db).all(\.$status))
            #expect(statuses == Set(ApprenticeStatus.allCases))
            #expect(try await ApprenticeEvent.query(on: db).filter(\.$kind == "cancel").count() > 0)
            #expect(try await ApprenticeEvent.query(on: db).filter(\.$kind == "end_probation").count() > 0)
            // Pending apprentices have no training yet; the others have hours in every state, assessed skills with re-assessments.
            let pending = try await Apprentice.query(on: db).filter(\.$status == .pendingAgreement).all(\.$id)
            #expect(try await HourEntry.query(on: db).filter(\.$apprentice.$id ~~ pending).count() == 0)
            let entries = try await HourEntry.query(on: db).count()
            #expect(entries > 100 * 150)
            for status in HourEntry.Status.allCases where status != .corrected {
                #expect(try await HourEntry.query(on: db).filter(\.$status == status).count() > 0)
            }
            let decided = try await HourEntry.query(on: db).filter(\.$status ~~ [.approved, .rejected]).count()
            #expect(try await HourDecision.query(on: db).count() == decided)
            let assessments = try await SkillAssessment.query(on: db).count()
            let rated = try await SkillState.query(on: db).count()
            #expect(assessments > rated && rated > 0)
            #expect(try await InstructionRecord.query(on: db).filter(\.$status == .completed).count() > 0)
            #expect(try await CredentialRecord.query(on: db).filter(\.$status == .passed).count() > 0)
            #expect(try await WageRaise.query(on: db).filter(\.$step > 1).count() > 0)
            #expect(try await ProgressReview.query(on: db).count() > 0)
            // The counts reported are the rows stored.
            let reported = result.counts.first { $0.table == HourEntry.schema }?.rows
            #expect(reported == entries)
            // The running totals were computed while generating: no drift.
            let report = try await AggregateVerification.run(repair: false, on: db)
            #expect(report.apprentices == 100)
            #expect(report.drifts.isEmpty)
            // Registrations carry what the RAPIDS upload layout needs, in answers the forms offer today.
            let rapids = try await RapidsExport.preview(app: app, on: db)
            #expect(!rapids.registrations.isEmpty)
            let issues = Set(rapids.invalid.flatMap { $0.issues.map(\.field) })
            #expect(rapids.invalid.isEmpty, "fields flagged on generated data: \(issues.sorted())")
        }
    }

    @Test("the same seed gives the same data; a second run into the same database is refused")
    func reproducible() async throws {
        let first = try await withTestApp { app in
            _ = try await ScaleGenerator.run(Self.options(apprentices: 12, employers: 2, seed: 42), app: app)
            return try await HourEntry.query(on: app.db).sort(\.$id).all().map { "\($0.id!) \($0.entryDate) \($0.minutes) \($0.status)" }
        }
        let second = try await withTestApp { app in
            _ = try await ScaleGenerator.run(Self.options(apprentices: 12, employers: 2, seed: 42), app: app)
            await #expect(throws: CommandFailure.self) { _ = try await ScaleGenerator.run(Self.options(apprentices: 12, employers: 2, seed: 42), app: app) }
            return try await HourEntry.query(on: app.db).sort(\.$id).all().map { "\($0.id!) \($0.entryDate) \($0.minutes) \($0.status)" }
        }
        #expect(!first.isEmpty)
        #expect(first == second)
    }

    @Test("the baseline writes as many rows as the generator into scratch tables and removes them")
    func baseline() async throws {
        try await withTestApp { app in
            let result = try await ScaleGenerator.run(Self.options(apprentices: 10, employers: 2), app: app)
            let baseline = try await ScaleBaseline.run(like: result, flushRows: 5_000, on: app.db)
            #expect(baseline.rows == result.rows)
            #expect(baseline.seconds > 0)
            // The generated data is untouched and the scratch tables are gone.
            #expect(try await Apprentice.query(on: app.db).count() == 10)
            let sql = app.db as! any SQLDatabase
            await #expect(throws: (any Error).self) { try await sql.raw("SELECT COUNT(*) FROM scale_baseline_hour_entries").run() }
        }
    }

    @Test("benchmark credentials sign in: apprentices' tokens reach the API, the employer's session reaches the cohort page")
    func credentials() async throws {
        try await withTestApp { app in
            _ = try await ScaleGenerator.run(Self.options(apprentices: 40, employers: 2), app: app)
            let lines = try await BenchCredentials.create(apprentices: 3, on: app.db)
            let tokens = lines.filter { $0.kind == "apprentice-token" }
            #expect(tokens.count == 3)
            let token = try #require(tokens.first)
            try await app.testing().test(.GET, "/api/v1/apprentices/\(token.subject)/progress", headers: ["Authorization": "Bearer \(token.secret)"]) { res in
                #expect(res.status == .ok)
            }
            let session = try #require(lines.first { $0.kind == "employer-session" })
            try await app.testing().test(.GET, "/dashboard", headers: ["Cookie": "\(CurrentSession.cookieName)=\(session.secret)"]) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Raises due"))
            }
        }
    }
}
