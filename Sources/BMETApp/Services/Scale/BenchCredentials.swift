import BMETDomain
import Fluent
import Vapor

/// Sign-ins for the benchmark suite on generated data: API tokens for apprentices in training (to log hours and read
/// progress) and a mentor at each one's employer (to approve them), and browser sessions for one employer's admin and the sponsor (for the cohort and outcomes pages).
/// Only hashes are stored, as for any token; the secrets go to a file readable by its owner only.
enum BenchCredentials {
    struct Line { let kind: String; let secret: String; let subject: String; let extra: String }

    static func create(apprentices count: Int, on db: any Database, today: Date = ProgramCalendar.today()) async throws -> [Line] {
        // Apprentices who started at least two months ago, so a month of back-dated days is open to them.
        let cutoff = ProgramCalendar.dayString(ProgramCalendar.adding(days: -60, to: today))
        let apprentices = try await Apprentice.query(on: db).filter(\.$status ~~ [.probation, .active]).filter(\.$user.$id != nil)
            .filter(\.$startDate <= cutoff).sort(\.$email).limit(count).all()
        var lines: [Line] = []
        var mentorTokens: [UUID: String] = [:]
        for apprentice in apprentices {
            guard let userID = apprentice.$user.id else { continue }
            let id = try apprentice.requireID().uuidString
            lines.append(Line(kind: "apprentice-token", secret: try await token(for: userID, on: db), subject: id, extra: apprentice.startDate))
            // A mentor of the same employer, who approves this apprentice's hours.
            let employerID = apprentice.$employer.id
            if mentorTokens[employerID] == nil, let mentorID = try await User.query(on: db).filter(\.$employer.$id == employerID).filter(\.$role == .mentor).first()?.id {
                mentorTokens[employerID] = try await token(for: mentorID, on: db)
            }
            if let secret = mentorTokens[employerID] { lines.append(Line(kind: "mentor-token", secret: secret, subject: id, extra: employerID.uuidString)) }
        }
        guard let employer = try await Employer.query(on: db).sort(\.$name).first() else { return lines }
        let employerID = try employer.requireID()
        if let hr = try await User.query(on: db).filter(\.$employer.$id == employerID).filter(\.$role == .employerAdmin).first() {
            lines.append(try await session(for: hr, kind: "employer-session", subject: employerID.uuidString, on: db))
        }
        if let mentor = try await User.query(on: db).filter(\.$employer.$id == employerID).filter(\.$role == .mentor).sort(\.$email).first() {
            lines.append(try await session(for: mentor, kind: "mentor-session", subject: employerID.uuidString, on: db))
        }
        if let admin = try await User.query(on: db).filter(\.$email == ScaleGenerator.adminEmail).first() {
            lines.append(try await session(for: admin, kind: "sponsor-session", subject: "", on: db))
        }
        return lines
    }

    private static func token(for userID: UUID, on db: any Database) async throws -> String {
        let secret = SecureToken.generate()
        try await APIToken(userID: userID, name: "bench", tokenHash: SecureToken.hash(secret), prefix: String(secret.prefix(12))).create(on: db)
        return secret
    }

    private static func session(for user: User, kind: String, subject: String, on db: any Database) async throws -> Line {
        let secret = SecureToken.generate()
        try await UserSession(tokenHash: SecureToken.hash(secret), userID: try user.requireID(), now: Date(), lifetime: CurrentSession.lifetime,
                              ipAddress: nil, userAgent: "bench").create(on: db)
        return Line(kind: kind, secret: secret, subject: subject, extra: "")
    }

    /// Tab-separated: kind, secret, subject id, extra (an apprentice's start date).
    static func write(_ lines: [Line], to path: String) throws {
        let text = lines.map { "\($0.kind)\t\($0.secret)\t\($0.subject)\t\($0.extra)" }.joined(separator: "\n") + "\n"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    }
}
