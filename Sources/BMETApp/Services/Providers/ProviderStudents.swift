import BMETDomain
import Fluent
import SQLKit
import Vapor

/// What a provider's staff see: only apprentices with an enrolment at their provider, and of them only what
/// instruction needs (name, program, the courses they take there and those courses' records).
enum ProviderStudents {
    /// The provider `actor` works for; 403 for anyone else (an account without one cannot act for a provider).
    static func provider(of actor: User, on db: any Database) async throws -> Provider {
        guard actor.role == .instructionProvider, let id = actor.providerID, let provider = try await Provider.find(id, on: db)
        else { throw Abort(.forbidden, reason: "Your account does not belong to an instruction provider.") }
        return provider
    }

    /// The apprentice, if enrolled with the actor's provider for some course; 404 otherwise, so ids do not leak.
    static func find(_ id: UUID?, for actor: User, on db: any Database) async throws -> Apprentice {
        let provider = try await provider(of: actor, on: db)
        guard let id, try await ProviderEnrolment.query(on: db).filter(\.$provider.$id == provider.requireID()).filter(\.$apprentice.$id == id).first() != nil,
              let apprentice = try await Apprentice.query(on: db).filter(\.$id == id).with(\.$programVersion).first()
        else { throw Abort(.notFound, reason: "No student with this id is enrolled with your provider.") }
        return apprentice
    }

    /// The apprentice of an instruction route: through the enrolments for a provider's staff, by the usual visibility
    /// for everyone else.
    static func instructionApprentice(_ req: Request) async throws -> Apprentice {
        let actor = try req.actor
        let id = req.parameters.get("apprenticeID", as: UUID.self)
        if actor.role == .instructionProvider { return try await find(id, for: actor, on: req.db) }
        return try await ApprenticeRecords.find(id, visibleTo: actor, on: req.db)
    }

    /// The course codes the apprentice takes with the provider.
    static func courses(of apprenticeID: UUID, at providerID: UUID, on db: any Database) async throws -> [ProviderEnrolment] {
        try await ProviderEnrolment.query(on: db).filter(\.$provider.$id == providerID).filter(\.$apprentice.$id == apprenticeID).sort(\.$enrolledAt).all()
    }

    /// The apprentice's instruction records, oldest first; a provider's staff get only the courses taken with them.
    static func instructionRecords(of apprentice: Apprentice, visibleTo actor: User, on db: any Database) async throws -> [InstructionRecord] {
        let query = InstructionRecord.query(on: db).filter(\.$apprentice.$id == (try apprentice.requireID())).sort(\.$createdAt)
        if actor.role == .instructionProvider {
            let provider = try await provider(of: actor, on: db)
            let codes = try await courses(of: apprentice.requireID(), at: provider.requireID(), on: db).map(\.courseCode)
            query.filter(\.$courseCode ~~ codes)
        }
        return try await query.all()
    }

    /// The course's current state: its latest instruction record's status, nil when never enrolled.
    static func latestStatus(_ apprenticeID: UUID, course: String, on db: any Database) async throws -> InstructionRecord.Status? {
        try await InstructionRecord.query(on: db).filter(\.$apprentice.$id == apprenticeID).filter(\.$courseCode == course)
            .sort(\.$createdAt, .descending).first()?.status
    }

    struct Row: Decodable, Sendable {
        let id: UUID
        let full_name: String
        let courses: Int
    }

    struct OpenCourse: Decodable, Sendable {
        let apprentice_id: UUID
        let full_name: String
        let course_code: String
    }

    /// A course is open while its latest record is an enrolment: no completion or withdrawal without a later
    /// enrolment. The SQL condition on the enrolments table aliased `e`.
    static let openCondition: SQLQueryString = """
        NOT EXISTS (SELECT 1 FROM instruction_records r WHERE r.apprentice_id = e.apprentice_id AND r.course_code = e.course_code \
        AND r.status IN ('completed', 'withdrawn') AND NOT EXISTS (SELECT 1 FROM instruction_records r2 WHERE r2.apprentice_id = r.apprentice_id \
        AND r2.course_code = r.course_code AND r2.status = 'enrolled' AND r2.created_at > r.created_at))
        """

    /// One page of the provider's students, by name, counted in SQL.
    static func page(of providerID: UUID, page: Int, size: Int = 25, on db: any Database) async throws -> (rows: [Row], total: Int, open: Int, firstOpen: OpenCourse?) {
        guard let sql = db as? any SQLDatabase else { return ([], 0, 0, nil) }
        struct Count: Decodable { let n: Int }
        let total = try await sql.raw("SELECT CAST(COUNT(DISTINCT e.apprentice_id) AS BIGINT) AS n FROM provider_enrolments e WHERE e.provider_id = \(bind: providerID)")
            .first(decoding: Count.self)?.n ?? 0
        let rows = try await sql.raw("""
            SELECT a.id AS id, a.full_name AS full_name, CAST(COUNT(e.id) AS BIGINT) AS courses FROM provider_enrolments e \
            JOIN apprentices a ON a.id = e.apprentice_id WHERE e.provider_id = \(bind: providerID) \
            GROUP BY a.id, a.full_name ORDER BY a.full_name, a.id LIMIT \(literal: size) OFFSET \(literal: max(0, page - 1) * size)
            """).all(decoding: Row.self)
        let running = ApprenticeStatus.allCases.filter { ![.cancelled, .completed].contains($0) }.map(\.rawValue)
        let open = try await sql.raw("""
            SELECT CAST(COUNT(*) AS BIGINT) AS n FROM provider_enrolments e JOIN apprentices a ON a.id = e.apprentice_id \
            WHERE e.provider_id = \(bind: providerID) AND a.status IN (\(binds: running)) AND \(openCondition)
            """).first(decoding: Count.self)?.n ?? 0
        let first = try await sql.raw("""
            SELECT e.apprentice_id AS apprentice_id, a.full_name AS full_name, e.course_code AS course_code FROM provider_enrolments e \
            JOIN apprentices a ON a.id = e.apprentice_id WHERE e.provider_id = \(bind: providerID) AND a.status IN (\(binds: running)) \
            AND \(openCondition) ORDER BY e.enrolled_at, e.id LIMIT 1
            """).first(decoding: OpenCourse.self)
        return (rows, total, open, first)
    }
}
