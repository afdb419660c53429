import Fluent
import SQLKit
import Vapor

/// Authenticates `/api` requests from `Authorization: Bearer <token>`; the token is looked up by hash.
struct BearerTokenAuthenticator: AsyncBearerAuthenticator {
    /// Token and user in one plain row: every API request starts here, so no model decoding by reflection.
    private struct Row: Decodable {
        var tokenId: UUID
        var lastUsedAt: Date?
        var userId: UUID
        var email: String
        var fullName: String
        var passwordHash: String
        var role: String
        var employerId: UUID?
        var providerId: UUID?
        var isActive: Bool
        var createdAt: Date?

        enum CodingKeys: String, CodingKey {
            case tokenId = "token_id", lastUsedAt = "last_used_at", userId = "user_id", email, fullName = "full_name"
            case passwordHash = "password_hash", role, employerId = "employer_id", providerId = "provider_id", isActive = "is_active", createdAt = "created_at"
        }
    }

    func authenticate(bearer: BearerAuthorization, for req: Request) async throws {
        let sql = try req.db.sql()
        guard let row = try await sql.raw("""
            SELECT t.id AS token_id, t.last_used_at, u.id AS user_id, u.email, u.full_name, u.password_hash, u.role, u.employer_id, u.provider_id,
                   u.is_active, u.created_at
            FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = \(bind: SecureToken.hash(bearer.token)) AND t.revoked_at IS NULL
            """).first(decoding: Row.self),
            row.isActive, let role = Role(rawValue: row.role)
        else { return }
        let user = User(id: row.userId, email: row.email, fullName: row.fullName, passwordHash: row.passwordHash, role: role, employerID: row.employerId)
        user.isActive = row.isActive
        user.providerID = row.providerId
        user.createdAt = row.createdAt
        user.$id.exists = true
        user.clientIP = req.clientIP
        req.auth.login(user)
        // Recording use is a courtesy for the token list; once a minute is plenty.
        let now = Date()
        if row.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            let id = row.tokenId
            try await req.db.writeTransaction { db in
                try await APIToken.query(on: db).filter(\.$id == id).set(\.$lastUsedAt, to: now).update()
            }
        }
    }
}
