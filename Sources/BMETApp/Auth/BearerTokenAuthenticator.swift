import Fluent
import Vapor

/// Authenticates `/api` requests from `Authorization: Bearer <token>`; the token is looked up by hash.
struct BearerTokenAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for req: Request) async throws {
        guard let token = try await APIToken.query(on: req.db)
            .filter(\.$tokenHash == SecureToken.hash(bearer.token))
            .filter(\.$revokedAt == nil)
            .with(\.$user)
            .first(), token.user.isActive
        else { return }
        token.user.clientIP = req.clientIP
        req.auth.login(token.user)
        // Recording use is a courtesy for the token list; once a minute is plenty.
        if token.lastUsedAt.map({ Date().timeIntervalSince($0) > 60 }) ?? true {
            token.lastUsedAt = Date()
            try await token.update(on: req.db)
        }
    }
}
