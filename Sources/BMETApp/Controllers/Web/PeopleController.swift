import Fluent
import Vapor

/// The people an actor may see, and invitations to bring more in.
struct PeopleController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RoleGuard(.programAdmin, .employerAdmin, .mentor)).get("people", use: list)
        let inviters = routes.grouped(RoleGuard(.programAdmin, .employerAdmin))
        inviters.get("people", "invite", use: inviteForm)
        inviters.post("people", "invite", use: invite)
        inviters.get("people", ":userID", use: show)
        inviters.post("people", ":userID", "role", use: changeRole)
        inviters.post("people", ":userID", "active", use: setActive)
        routes.grouped(RoleGuard(.programAdmin)).grouped(EEOOfficerGuard()).post("people", ":userID", "eeo-officer", use: setEEOOfficer)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let actor = try req.actor
        let roleFilter = req.query[String.self, at: "role"].flatMap(Role.init(rawValue:))
        let query = AccessPolicy.visibleUsers(to: actor, on: req.db).with(\.$employer).sort(\.$fullName)
        if let roleFilter { query.filter(\.$role == roleFilter) }
        let users = try await query.all()
        return try await req.render("people", title: "People", ListView(
            rows: users.map { .init(name: $0.fullName, email: $0.email, role: $0.role.label, employer: $0.employer?.name ?? ($0.role == .instructionProvider ? "Instruction provider" : "Program sponsor"),
                                    href: Accounts.canManage($0, by: actor) ? "/people/\($0.id?.uuidString ?? "")" : nil, active: $0.isActive) },
            roles: Role.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == roleFilter) },
            canInvite: !actor.role.invitableRoles.isEmpty))
    }

    @Sendable func inviteForm(req: Request) async throws -> Response {
        let actor = try req.actor
        let preset = req.query[UUID.self, at: "employer"]
        var form = InviteFormView.blank(for: actor, employerID: preset)
        form.employers = try await InviteFormView.employerOptions(for: actor, selected: preset, on: req.db)
        return try await req.render("invite", title: "Invite someone", form)
    }

    @Sendable func invite(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.formInput(InvitationInput.self)
        do {
            try req.refuseFormProblems()
            let invitation = try await Invitations.invite(input, by: actor, app: req.application, on: req.db)
            if let employerID = invitation.$employer.id { return req.redirect(to: "/employers/\(employerID)?invited=1") }
            return req.redirect(to: "/people?invited=1")
        } catch let failure as ValidationFailure {
            var form = InviteFormView(values: input, errors: failure.errors, roles: InviteFormView.roleOptions(for: actor, selected: input.role), employers: [])
            form.employers = try await InviteFormView.employerOptions(for: actor, selected: input.employerID, on: req.db)
            return try await req.render("invite", title: "Invite someone", form, status: .unprocessableEntity)
        }
    }
}

// MARK: One person's account: role and whether they can sign in

extension PeopleController {
    private func managed(_ req: Request) async throws -> (User, User) {
        let actor = try req.actor
        guard let id = req.parameters.get("userID", as: UUID.self),
              let user = try await AccessPolicy.visibleUsers(to: actor, on: req.db).filter(\.$id == id).with(\.$employer).first(),
              Accounts.canManage(user, by: actor) else { throw Abort(.notFound) }
        return (actor, user)
    }

    private func render(_ req: Request, _ user: User, errors: FieldErrors = [:], notice: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let roles = Accounts.staffRoles.contains(user.role)
            ? Accounts.staffRoles.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == user.role) } : nil
        return try await req.render("person", title: user.fullName, PersonView(
            id: user.id?.uuidString ?? "", name: user.fullName, email: user.email, role: user.role.label,
            employer: user.employer?.name ?? (user.role == .instructionProvider ? "Instruction provider" : "Program sponsor"), active: user.isActive, roles: roles,
            eeoOfficer: (try req.actor).isEEOOfficer && user.role == .programAdmin ? user.isEEOOfficer : nil,
            errors: errors, notice: notice), status: status)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let (_, user) = try await managed(req)
        let notice: String? = switch req.query[String.self, at: "changed"] {
        case "role": "Role changed to \(user.role.label.lowercased())."
        case "active": user.isActive ? "The account can sign in again." : "The account is deactivated: its sessions and API tokens no longer work."
        case "eeo": user.isEEOOfficer ? "\(user.fullName) is now an EEO officer." : "\(user.fullName) is no longer an EEO officer."
        default: nil
        }
        return try await render(req, user, notice: notice)
    }

    @Sendable func changeRole(req: Request) async throws -> Response {
        struct Form: Content { var role: String? }
        let (actor, user) = try await managed(req)
        do {
            let form = try req.formInput(Form.self)
            try req.refuseFormProblems()
            try await Accounts.changeRole(user, to: form.role, by: actor, on: req.db)
            return req.redirect(to: "/people/\(try user.requireID())?changed=role")
        } catch let failure as ValidationFailure {
            return try await render(req, user, errors: failure.errors, status: .unprocessableEntity)
        }
    }

    @Sendable func setEEOOfficer(req: Request) async throws -> Response {
        struct Form: Content { var officer: String? }
        let (actor, user) = try await managed(req)
        do {
            let form = try req.formInput(Form.self)
            try req.refuseFormProblems()
            try await EEOOfficers.set(user, officer: form.officer == "1", by: actor, on: req.db)
            return req.redirect(to: "/people/\(try user.requireID())?changed=eeo")
        } catch let failure as ValidationFailure {
            return try await render(req, user, errors: failure.errors, status: .unprocessableEntity)
        }
    }

    @Sendable func setActive(req: Request) async throws -> Response {
        struct Form: Content { var active: String? }
        let (actor, user) = try await managed(req)
        do {
            let form = try req.formInput(Form.self)
            try req.refuseFormProblems()
            try await Accounts.setActive(user, form.active == "1", by: actor, on: req.db)
            return req.redirect(to: "/people/\(try user.requireID())?changed=active")
        } catch let failure as ValidationFailure {
            return try await render(req, user, errors: failure.errors, status: .unprocessableEntity)
        }
    }
}
