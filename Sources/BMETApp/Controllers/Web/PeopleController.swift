import Fluent
import Vapor

/// The people an actor may see, and invitations to bring more in.
struct PeopleController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RoleGuard(.programAdmin, .employerAdmin, .mentor)).get("people", use: list)
        let inviters = routes.grouped(RoleGuard(.programAdmin, .employerAdmin))
        inviters.get("people", "invite", use: inviteForm)
        inviters.post("people", "invite", use: invite)
    }

    struct ListView: Encodable {
        struct Row: Encodable { let name: String; let email: String; let role: String; let employer: String }
        struct Filter: Encodable { let value: String; let label: String; let selected: Bool }
        let rows: [Row]
        let roles: [Filter]
        let canInvite: Bool
    }

    @Sendable func list(req: Request) async throws -> Response {
        let actor = try req.actor
        let roleFilter = req.query[String.self, at: "role"].flatMap(Role.init(rawValue:))
        let query = AccessPolicy.visibleUsers(to: actor, on: req.db).with(\.$employer).sort(\.$fullName)
        if let roleFilter { query.filter(\.$role == roleFilter) }
        let users = try await query.all()
        return try await req.render("people", title: "People", ListView(
            rows: users.map { .init(name: $0.fullName, email: $0.email, role: $0.role.label, employer: $0.employer?.name ?? "Program sponsor") },
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
        let input = try req.content.decode(InvitationInput.self)
        do {
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

/// The invitation form, shared by the People page and each employer's page.
struct InviteFormView: Encodable {
    var values: InvitationInput
    var errors: FieldErrors
    var roles: [SelectOption]
    var employers: [SelectOption]

    static func blank(for actor: User, employerID: UUID?) -> InviteFormView {
        InviteFormView(values: InvitationInput(employerID: employerID), errors: [:], roles: roleOptions(for: actor, selected: nil), employers: [])
    }

    static func roleOptions(for actor: User, selected: String?) -> [SelectOption] {
        actor.role.invitableRoles.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) }
    }

    static func employerOptions(for actor: User, selected: UUID?, on db: any Database) async throws -> [SelectOption] {
        try await AccessPolicy.visibleEmployers(to: actor, on: db).sort(\.$name).all().map {
            SelectOption(value: $0.id?.uuidString ?? "", label: "\($0.name) (\($0.state))", selected: $0.id == selected)
        }
    }
}
