import Fluent
import Vapor

/// Your own account: who you are, your e-mail notices and your API tokens.
struct AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(RoleGuard.anySignedIn())
        signedIn.get("account", use: show)
        signedIn.post("account", "tokens", use: createToken)
        signedIn.post("account", "tokens", ":tokenID", "revoke", use: revokeToken)
        signedIn.post("account", "notifications", use: saveNotifications)
    }

    /// The form's rows: the stored choices, or on a refused submission what the person sent, with each error.
    func noticeRows(for user: User, submitted: [String: String]? = nil, errors: FieldErrors = [:], on db: any Database) async throws -> [NoticeRow] {
        try await NotificationPreferences.choices(of: user, on: db).map { choice in
            let selected = submitted?[choice.kind.rawValue] ?? choice.delivery.rawValue
            return NoticeRow(
                kind: choice.kind.rawValue, slug: choice.kind.rawValue.replacingOccurrences(of: ".", with: "-"),
                label: choice.kind.label, summary: choice.kind.summary, required: choice.kind.isRequired,
                options: choice.kind.choices.map { .init(value: $0.rawValue, label: $0.label, checked: $0.rawValue == selected) },
                error: errors[choice.kind.rawValue])
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        let saved = req.query[String.self, at: "saved"] == "notifications"
        return try await req.render("account", title: "Your account", try await view(for: try req.actor, noticesSaved: saved, on: req.db))
    }

    /// Saves the signed-in person's own choices; there is no way to name another person here.
    @Sendable func saveNotifications(req: Request) async throws -> Response {
        struct Form: Content { var delivery: [String: String]? }
        let actor = try req.actor
        let submitted = (try? req.formInput(Form.self))?.delivery ?? [:]
        do {
            try req.refuseFormProblems()
            try await NotificationPreferences.update(submitted, of: actor, on: req.db)
            return req.redirect(to: "/account?saved=notifications#notifications")
        } catch let failure as ValidationFailure {
            var errors = failure.errors
            // An unknown kind has no question to stand beside: report it for the whole form.
            let known = Set(NoticeKind.kinds(for: actor.role).map(\.rawValue))
            let stray = errors.keys.filter { !known.contains($0) && $0 != "form" }
            if !stray.isEmpty {
                errors["form"] = stray.sorted().compactMap { errors[$0] }.joined(separator: " ")
                stray.forEach { errors[$0] = nil }
            }
            let rows = try await noticeRows(for: actor, submitted: submitted, errors: errors, on: req.db)
            let page = try await view(for: actor, errors: ["notices": errors["form"] ?? failure.message], notices: rows, on: req.db)
            return try await req.render("account", title: "Your account", page, status: .unprocessableEntity)
        }
    }

    @Sendable func createToken(req: Request) async throws -> Response {
        struct Form: Content { var name: String? }
        let actor = try req.actor
        let form = try req.formInput(Form.self)
        do {
            try req.refuseFormProblems()
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
