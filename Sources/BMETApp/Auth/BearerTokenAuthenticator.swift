import Fluent
import Vapor

/// Authenticates `/api` requests from `Authorization: Bearer <token>`; the token is looked up by hash.
struct BearerTokenAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for req: Request) async throws {
        // One statement for token and user (a join), not two: every API request starts here.
        guard let token = try await APIToken.query(on: req.db)
            .join(User.self, on: \APIToken.$user.$id == \User.$id)
            .filter(\.$tokenHash == SecureToken.hash(bearer.token))
            .filter(\.$revokedAt == nil)
            .first(), let user = try? token.joined(User.self), user.isActive
        else { return }
        user.clientIP = req.clientIP
        req.auth.login(user)
        // Recording use is a courtesy for the token list; once a minute is plenty.
        if token.lastUsedAt.map({ Date().timeIntervalSince($0) > 60 }) ?? true {
            token.lastUsedAt = Date()
            try await token.update(on: req.db)
        }
    }
}
