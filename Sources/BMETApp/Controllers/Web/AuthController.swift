import Fluent
import Vapor

/// Sign-in, sign-out, password reset and accepting invitations.
struct AuthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: loginForm)
        routes.post("login", use: login)
        routes.post("logout", use: logout)
        routes.get("forgot-password", use: forgotForm)
        routes.post("forgot-password", use: forgot)
        routes.get("reset-password", ":token", use: resetForm)
        routes.post("reset-password", ":token", use: reset)
        routes.get("invitations", ":token", use: invitationForm)
        routes.post("invitations", ":token", use: acceptInvitation)
    }

    struct LoginForm: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    @Sendable func loginForm(req: Request) async throws -> Response {
        if req.auth.has(User.self) { return req.redirect(to: "/dashboard") }
        let notice: String? = switch req.query[String.self, at: "notice"] {
        case "reset"?: "Your password was changed. Sign in with the new one."
        case "signed-out"?: "You are signed out."
        default: nil
        }
        return try await req.render("login", title: "Sign in",
                                    LoginView(email: "", next: safeNext(req.query[String.self, at: "next"]), notice: notice))
    }

    @Sendable func login(req: Request) async throws -> Response {
        let form = try req.formInput(LoginForm.self)
        let next = safeNext(form.next)
        do {
            try req.refuseFormProblems()
        } catch let failure as ValidationFailure {
            // Refused before any password check: no attempt is counted and nothing is audited.
            return try await req.render("login", title: "Sign in", LoginView(email: form.email ?? "", next: next, errors: failure.errors), status: .unprocessableEntity)
        }
        switch try await SignIn.attempt(email: form.email, password: form.password, ip: req.clientIP, on: req) {
        case .success(let user):
            let response = req.redirect(to: next)
            try await CurrentSession.start(for: user, on: req, response: response)
            return response
        case .invalid:
            return try await req.render("login", title: "Sign in",
                LoginView(email: form.email ?? "", next: next, error: "That e-mail and password do not match an account."), status: .unauthorized)
        case .throttled(let seconds):
            let minutes = max(1, (seconds + 59) / 60)
            let response = try await req.render("login", title: "Sign in",
                LoginView(email: form.email ?? "", next: next,
                          error: "Too many failed sign-ins for this account. Try again in \(minutes) minute\(minutes == 1 ? "" : "s"), or reset your password."),
                status: .tooManyRequests)
            response.headers.replaceOrAdd(name: "Retry-After", value: String(seconds))
            return response
        }
    }

    @Sendable func logout(req: Request) async throws -> Response {
        let response = req.redirect(to: "/login?notice=signed-out")
        try await CurrentSession.end(on: req, response: response)
        return response
    }

    @Sendable func forgotForm(req: Request) async throws -> Response {
        try await req.render("forgot-password", title: "Reset your password", EmailView(email: "", sent: false))
    }

    @Sendable func forgot(req: Request) async throws -> Response {
        struct Form: Content { var email: String? }
        let form = try req.formInput(Form.self)
        do {
            try req.refuseFormProblems()
        } catch let failure as ValidationFailure {
            return try await req.render("forgot-password", title: "Reset your password",
                                        EmailView(email: form.email ?? "", sent: false, errors: failure.errors), status: .unprocessableEntity)
        }
        var errors = FieldErrors()
        Check.email(form.email, into: &errors)
        if errors.isEmpty {
            // A few links an hour per address and per sender, so the form cannot flood someone's inbox.
            let keys = [Check.normalizedEmail(form.email), req.clientIP]
            try await req.db.writeTransaction { db in
                try await FormThrottle.claim(form: "password-reset", keys: keys, what: "reset requests", on: db, now: Date())
            }
            try await PasswordReset.request(email: form.email, app: req.application, on: req.db)
        }
        // The same answer whether or not the address has an account.
        return try await req.render("forgot-password", title: "Reset your password", EmailView(email: form.email ?? "", sent: true))
    }

    @Sendable func resetForm(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let valid = try await PasswordReset.validToken(token, on: req.db) != nil
        return try await req.render("reset-password", title: "Choose a new password",
                                    PasswordView(token: token, valid: valid, errors: [:]), status: valid ? .ok : .notFound)
    }

    @Sendable func reset(req: Request) async throws -> Response {
        struct Form: Content { var password: String?; var passwordConfirm: String? }
        let token = req.parameters.get("token") ?? ""
        guard let reset = try await PasswordReset.validToken(token, on: req.db) else {
            return try await req.render("reset-password", title: "Choose a new password",
                                        PasswordView(token: token, valid: false, errors: [:]), status: .notFound)
        }
        let form = try req.formInput(Form.self)
        do {
            try req.refuseFormProblems()
            try await PasswordReset.complete(reset, password: form.password, confirm: form.passwordConfirm, hasher: req.passwordHasher, on: req.db)
        } catch let failure as ValidationFailure {
            return try await req.render("reset-password", title: "Choose a new password",
                                        PasswordView(token: token, valid: true, errors: failure.errors), status: .unprocessableEntity)
        }
        return req.redirect(to: "/login?notice=reset")
    }

    @Sendable func invitationForm(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        guard let invitation = try await Invitations.open(token: token, on: req.db) else {
            return try await req.render("invitation", title: "Invitation",
                InvitationView(token: token, valid: false, email: "", roleLabel: "", fullName: "", errors: [:]), status: .notFound)
        }
        return try await req.render("invitation", title: "Create your account", InvitationView(
            token: token, valid: true, email: invitation.email, roleLabel: invitation.role.label,
            employerName: invitation.employer?.name, fullName: invitation.fullName, errors: [:]))
    }

    @Sendable func acceptInvitation(req: Request) async throws -> Response {
        struct Form: Content { var fullName: String?; var password: String?; var passwordConfirm: String? }
        let token = req.parameters.get("token") ?? ""
        guard let invitation = try await Invitations.open(token: token, on: req.db) else {
            return try await req.render("invitation", title: "Invitation",
                InvitationView(token: token, valid: false, email: "", roleLabel: "", fullName: "", errors: [:]), status: .notFound)
        }
        let form = try req.formInput(Form.self)
        do {
            try req.refuseFormProblems()
            let user = try await Invitations.accept(invitation, fullName: form.fullName, password: form.password,
                                                    passwordConfirm: form.passwordConfirm, hasher: req.passwordHasher, on: req.db)
            let response = req.redirect(to: "/dashboard")
            try await CurrentSession.start(for: user, on: req, response: response)
            return response
        } catch let failure as ValidationFailure {
            return try await req.render("invitation", title: "Create your account", InvitationView(
                token: token, valid: true, email: invitation.email, roleLabel: invitation.role.label,
                employerName: invitation.employer?.name, fullName: form.fullName ?? "", errors: failure.errors), status: .unprocessableEntity)
        }
    }

    /// Only same-site paths, so the login form can't be used to bounce people to another site.
    private func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
              // Browsers drop tabs and newlines, so "/\t/evil.example" would become "//evil.example".
              !next.unicodeScalars.contains(where: { CharacterSet.whitespacesAndNewlines.contains($0) || CharacterSet.controlCharacters.contains($0) }),
              let parsed = URLComponents(string: next), parsed.scheme == nil, parsed.host == nil
        else { return "/dashboard" }
        return next
    }
}
