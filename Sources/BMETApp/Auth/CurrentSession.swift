import Fluent
import Vapor

/// Browser sessions: a random cookie whose hash names a row in `user_sessions`.
enum CurrentSession {
    static let cookieName = "bmet_session"

    /// The cookie's name for this site: `__Host-bmet_session` over https, so no subdomain can set or shadow it.
    static func cookieName(on req: Request) -> String {
        req.application.settings.secureCookies ? "__Host-" + cookieName : cookieName
    }
    static let lifetime: TimeInterval = 60 * 60 * 12
    /// Refresh `last_seen_at` at most this often, so reads don't turn into writes.
    static let touchInterval: TimeInterval = 300

    struct Key: StorageKey { typealias Value = UserSession }

    /// Starts a fresh session for `user` and drops the one the browser came with (rotation at login),
    /// so a session id planted before login is worthless after it.
    static func start(for user: User, on req: Request, response: Response) async throws {
        if let old = req.cookies[cookieName(on: req)]?.string {
            let hash = SecureToken.hash(old)
            try await req.db.writeTransaction { try await UserSession.query(on: $0).filter(\.$tokenHash == hash).delete() }
        }
        let token = SecureToken.generate()
        let session = UserSession(
            tokenHash: SecureToken.hash(token), userID: try user.requireID(), now: Date(), lifetime: lifetime,
            ipAddress: req.clientIP, userAgent: req.headers.first(name: .userAgent))
        try await req.db.writeTransaction { try await session.save(on: $0) }
        response.cookies[cookieName(on: req)] = cookie(value: token, on: req, maxAge: Int(lifetime))
        CSRF.rotate(on: req, response: response)
    }

    static func end(on req: Request, response: Response) async throws {
        if let token = req.cookies[cookieName(on: req)]?.string {
            let hash = SecureToken.hash(token)
            try await req.db.writeTransaction { try await UserSession.query(on: $0).filter(\.$tokenHash == hash).delete() }
        }
        response.cookies[cookieName(on: req)] = cookie(value: "", on: req, maxAge: 0)
        CSRF.rotate(on: req, response: response)
    }

    static func cookie(value: String, on req: Request, maxAge: Int) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value, expires: maxAge == 0 ? Date(timeIntervalSince1970: 0) : nil, maxAge: maxAge, path: "/",
            isSecure: req.application.settings.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
}

/// Logs the browser's user in from its session cookie, if the session is still valid. Runs for every
/// page (so even a 404 page knows who is signed in) but never for `/api`, which takes bearer tokens only:
/// a cookie must not authorize an API call that no CSRF token protects.
struct SessionAuthenticator: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !req.url.path.hasPrefix("/api/"), let token = req.cookies[CurrentSession.cookieName(on: req)]?.string, !token.isEmpty {
            let now = Date()
            if let session = try await UserSession.query(on: req.db)
                .filter(\.$tokenHash == SecureToken.hash(token))
                .filter(\.$expiresAt > now)
                .with(\.$user)
                .first(), session.user.isActive
            {
                session.user.clientIP = req.clientIP
                req.auth.login(session.user)
                req.storage[CurrentSession.Key.self] = session
                if now.timeIntervalSince(session.lastSeenAt) > CurrentSession.touchInterval {
                    session.lastSeenAt = now
                    try await req.db.writeTransaction { try await session.update(on: $0) }
                }
            }
        }
        return try await next.respond(to: req)
    }
}
