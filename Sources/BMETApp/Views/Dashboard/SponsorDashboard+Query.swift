import BMETDomain
import Fluent
import SQLKit
import Vapor

/// The sponsor's dashboard: program-wide counts and one page of employers with their apprentices' progress, counted in
/// SQL over the progress read model. Its cost grows with the page, not with the program.
struct SponsorDashboardQuery {
    /// Keyset: the last employer of the previous page.
    var after: UUID?
    var limit = 25

    struct Result {
        var apprenticesInProgram = 0
        var employers = 0
        var mentors = 0
        var newApplicants = 0
        var newInquiries = 0
        var emailsWaiting = 0
        var atRisk = 0
        var employerRows: [DashboardController.EmployerRow] = []
        var next: UUID?
    }

    func run(on db: any Database) async throws -> Result {
        let sql = try db.sql()
        struct Count: Decodable { var n: Int }
        func count(_ query: SQLQueryString) async throws -> Int { try await sql.raw(query).first(decoding: Count.self)?.n ?? 0 }
        let inProgram = ApprenticeStatus.allCases.filter(\.isInProgram).map(\.rawValue)
        let running = CohortPageQuery.running.map(\.rawValue)
        var result = Result()
        result.apprenticesInProgram = try await count("SELECT COUNT(*) AS n FROM \(ident: Apprentice.schema) WHERE status IN (\(binds: inProgram))")
        result.employers = try await count("SELECT COUNT(*) AS n FROM \(ident: Employer.schema)")
        result.mentors = try await count("SELECT COUNT(*) AS n FROM \(ident: User.schema) WHERE role = \(bind: Role.mentor.rawValue)")
        result.newApplicants = try await count("SELECT COUNT(*) AS n FROM \(ident: Applicant.schema) WHERE status = \(bind: ApplicantStatus.new.rawValue)")
        result.newInquiries = try await count("SELECT COUNT(*) AS n FROM \(ident: EmployerInquiry.schema) WHERE status = \(bind: InquiryStatus.new.rawValue)")
        result.emailsWaiting = try await count("SELECT COUNT(*) AS n FROM \(ident: OutboxMessage.schema) WHERE status = \(bind: OutboxMessage.Status.pending.rawValue)")
        result.atRisk = try await count("""
            SELECT COUNT(*) AS n FROM \(ident: ProgressSummaries.schema) s JOIN \(ident: Apprentice.schema) a ON a.id = s.apprentice_id
            WHERE s.at_risk AND a.status IN (\(binds: running))
            """)

        // One page of employers by name, then their figures grouped in one statement.
        let query = Employer.query(on: db).sort(\.$name).sort(\.$id).limit(limit + 1)
        if let after, let cursor = try await Employer.find(after, on: db) {
            let name = cursor.name, id = try cursor.requireID()
            query.group(.or) { $0.filter(\.$name > name).group(.and) { $0.filter(\.$name == name).filter(\.$id > id) } }
        }
        let fetched = try await query.all()
        let page = Array(fetched.prefix(limit))
        result.next = fetched.count > limit ? page.last?.id : nil
        let ids = page.compactMap(\.id)
        struct Figures: Decodable { var employerId: UUID; var apprentices: Int; var atRisk: Int?; var raisesDue: Int?; var reviewsOverdue: Int?; var permille: Int? }
        let figures = ids.isEmpty ? [] : try await sql.raw("""
            SELECT a.employer_id, COUNT(*) AS apprentices, SUM(CASE WHEN s.at_risk THEN 1 ELSE 0 END) AS at_risk,
              SUM(CASE WHEN s.raise_step IS NOT NULL THEN 1 ELSE 0 END) AS raises_due,
              SUM(CASE WHEN s.review_overdue THEN 1 ELSE 0 END) AS reviews_overdue, CAST(SUM(s.hours_permille) AS BIGINT) AS permille
            FROM \(ident: Apprentice.schema) a JOIN \(ident: ProgressSummaries.schema) s ON s.apprentice_id = a.id
            WHERE a.employer_id IN (\(binds: ids)) AND a.status IN (\(binds: running)) GROUP BY a.employer_id
            """).all(decoding: Figures.self, keyDecodingStrategy: .convertFromSnakeCase)
        let byEmployer = Dictionary(figures.map { ($0.employerId, $0) }, uniquingKeysWith: { $1 })
        result.employerRows = page.map { employer in
            let f = employer.id.flatMap { byEmployer[$0] }
            let count = f?.apprentices ?? 0
            return DashboardController.EmployerRow(
                id: employer.id?.uuidString ?? "", name: employer.name, state: employer.state, apprentices: count,
                atRisk: f?.atRisk ?? 0, raisesDue: f?.raisesDue ?? 0, reviewsOverdue: f?.reviewsOverdue ?? 0,
                averagePercent: count == 0 ? 0 : (f?.permille ?? 0) / count / 10)
        }
        return result
    }
}
