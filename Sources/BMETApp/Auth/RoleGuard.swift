import Vapor

/// Lets a request through only for a signed-in user with one of `roles`.
/// People are sent to the login page; API clients get 401/403 problem documents.
struct RoleGuard: AsyncMiddleware {
    let roles: Set<Role>
    let isAPI: Bool

    /// Without roles: every role whose work is the training record. A provider's staff are left out, so a page
    /// added for "everyone" never shows them more than instruction; routes they need say so with `anySignedIn`.
    init(_ roles: Role..., api: Bool = false) {
        self.roles = roles.isEmpty ? Set(Role.allCases).subtracting([.instructionProvider]) : Set(roles)
        self.isAPI = api
    }

    private init(roles: Set<Role>, api: Bool) {
        self.roles = roles
        self.isAPI = api
    }

    /// Every signed-in user, a provider's staff included: their account, the published programs, the dashboard.
    static func anySignedIn(api: Bool = false) -> RoleGuard { RoleGuard(roles: Set(Role.allCases), api: api) }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let user = req.auth.get(User.self) else {
            if isAPI { throw Abort(.unauthorized, reason: "Send a valid API token as 'Authorization: Bearer <token>'.") }
            let target = req.url.path + (req.url.query.map { "?" + $0 } ?? "")
            return req.redirect(to: "/login?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        guard roles.contains(user.role) else {
            throw Abort(.forbidden, reason: "Your role (\(user.role.label)) cannot open this page.")
        }
        return try await next.respond(to: req)
    }
}

extension Request {
    /// The signed-in user; only call behind `RoleGuard`.
    var actor: User {
        get throws {
            guard let user = auth.get(User.self) else { throw Abort(.unauthorized) }
            return user
        }
    }
}
