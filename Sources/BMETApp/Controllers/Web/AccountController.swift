import Fluent
import Vapor

/// Your own account: who you are, and your API tokens.
struct AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(RoleGuard())
        signedIn.get("account", use: show)
        signedIn.post("account", "tokens", use: createToken)
        signedIn.post("account", "tokens", ":tokenID", "revoke", use: revokeToken)
    }

    struct View: Encodable {
        struct TokenRow: Encodable { let id: String; let name: String; let prefix: String; let created: String; let lastUsed: String; let revoked: Bool }
        let name: String
        let email: String
        let role: String
        let employer: String?
        let tokens: [TokenRow]
        let newToken: String?
        let tokenName: String
        let errors: FieldErrors
    }

    private func view(for user: User, newToken: String? = nil, tokenName: String = "", errors: FieldErrors = [:], on db: any Database) async throws -> View {
        let tokens = try await APIToken.query(on: db).filter(\.$user.$id == user.requireID()).sort(\.$createdAt, .descending).all()
        let employer = try await user.$employer.get(on: db)
        return View(
            name: user.fullName, email: user.email, role: user.role.label, employer: employer?.name,
            tokens: tokens.map { .init(id: $0.id?.uuidString ?? "", name: $0.name, prefix: $0.prefix, created: DateText.dateTime($0.createdAt),
                                       lastUsed: DateText.dateTime($0.lastUsedAt), revoked: $0.revokedAt != nil) },
            newToken: newToken, tokenName: tokenName, errors: errors)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await req.render("account", title: "Your account", try await view(for: try req.actor, on: req.db))
    }

    @Sendable func createToken(req: Request) async throws -> Response {
        struct Form: Content { var name: String? }
        let actor = try req.actor
        let form = try req.content.decode(Form.self)
        do {
            let (_, secret) = try await APITokens.create(for: actor, name: form.name, on: req.db)
            // Shown once: only its hash is kept.
            return try await req.render("account", title: "Your account", try await view(for: actor, newToken: secret, on: req.db), status: .created)
        } catch let failure as ValidationFailure {
            return try await req.render("account", title: "Your account",
                try await view(for: actor, tokenName: form.name ?? "", errors: failure.errors, on: req.db), status: .unprocessableEntity)
        }
    }

    @Sendable func revokeToken(req: Request) async throws -> Response {
        guard let id = req.parameters.get("tokenID", as: UUID.self) else { throw Abort(.notFound) }
        try await APITokens.revoke(id: id, of: try req.actor, on: req.db)
        return req.redirect(to: "/account")
    }
}
