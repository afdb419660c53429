import BMETDomain
import Fluent
import SQLKit
import Vapor

/// The sponsor's related-instruction providers: list and add them, invite their staff, enrol apprentices with them.
struct ProvidersController: RouteCollection {
    static let pageSize = 25

    func boot(routes: any RoutesBuilder) throws {
        let admins = routes.grouped(RoleGuard(.programAdmin))
        admins.get("providers", use: list)
        admins.get("providers", "new", use: newForm)
        admins.post("providers", use: create)
        admins.get("providers", ":providerID", use: show)
        admins.post("providers", ":providerID", "invitations", use: invite)
        admins.post("providers", ":providerID", "enrolments", use: enrol)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let page = max(1, req.query[Int.self, at: "page"] ?? 1)
        let total = try await Provider.query(on: req.db).count()
        let providers = try await Provider.query(on: req.db).sort(\.$name).range(((page - 1) * Self.pageSize)..<(page * Self.pageSize)).all()
        let counts = try await Self.studentCounts(providers.compactMap(\.id), on: req.db)
        return try await req.render("providers", title: "Instruction providers", ListView(
            rows: providers.map { .init(id: $0.id?.uuidString ?? "", name: $0.name, kind: $0.kind.label, contact: "\($0.contactName), \($0.contactEmail)", students: counts[$0.id ?? UUID()] ?? 0) },
            total: total, page: page, previous: page > 1 ? "/providers?page=\(page - 1)" : nil,
            next: page * Self.pageSize < total ? "/providers?page=\(page + 1)" : nil))
    }

    /// Students per provider, counted by the database.
    static func studentCounts(_ ids: [UUID], on db: any Database) async throws -> [UUID: Int] {
        struct Row: Decodable { let provider_id: UUID; let students: Int }
        guard let sql = db as? any SQLDatabase, !ids.isEmpty else { return [:] }
        let rows = try await sql.raw("""
            SELECT provider_id, CAST(COUNT(DISTINCT apprentice_id) AS BIGINT) AS students FROM provider_enrolments \
            WHERE provider_id IN (\(binds: ids)) GROUP BY provider_id
            """).all(decoding: Row.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.provider_id, $0.students) })
    }

    private func kinds(_ selected: String?) -> [SelectOption] {
        Provider.Kind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) }
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        try await req.render("provider-new", title: "Add an instruction provider", FormView(values: ProviderInput(), errors: [:], kinds: kinds(nil)))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let input = try req.formInput(ProviderInput.self)
        do {
            try req.refuseFormProblems()
            let provider = try await Providers.create(input, by: try req.actor, on: req.db)
            return req.redirect(to: "/providers/\(try provider.requireID())?saved=added")
        } catch let failure as ValidationFailure {
            return try await req.render("provider-new", title: "Add an instruction provider",
                                        FormView(values: input, errors: failure.errors, kinds: kinds(input.kind)), status: .unprocessableEntity)
        }
    }

    private func provider(_ req: Request) async throws -> Provider {
        guard let id = req.parameters.get("providerID", as: UUID.self), let provider = try await Provider.find(id, on: req.db)
        else { throw Abort(.notFound, reason: "No provider with this id.") }
        return provider
    }

    @Sendable func show(req: Request) async throws -> Response {
        let provider = try await provider(req)
        return try await req.render("provider", title: provider.name, try await detail(req, provider))
    }

    @Sendable func invite(req: Request) async throws -> Response {
        let provider = try await provider(req)
        var input = try req.formInput(InvitationInput.self)
        input.role = Role.instructionProvider.rawValue
        input.providerID = try provider.requireID()
        input.employerID = nil
        do {
            try req.refuseFormProblems()
            _ = try await Invitations.invite(input, by: try req.actor, app: req.application, on: req.db)
            return req.redirect(to: "/providers/\(try provider.requireID())?saved=invited")
        } catch let failure as ValidationFailure {
            return try await req.render("provider", title: provider.name, try await detail(req, provider, invite: input, inviteErrors: failure.errors), status: .unprocessableEntity)
        }
    }

    @Sendable func enrol(req: Request) async throws -> Response {
        let provider = try await provider(req)
        let input = try req.formInput(EnrolmentInput.self)
        do {
            try req.refuseFormProblems()
            let email = Check.normalizedEmail(input.apprenticeEmail)
            // Found by the e-mail of the registration, so the sponsor's form never lists every apprentice.
            guard !email.isEmpty, let apprentice = try await Apprentice.query(on: req.db).filter(\.$email == email).sort(\.$startDate, .descending).first() else {
                throw ValidationFailure(errors: ["apprenticeEmail": "No apprentice is registered with this e-mail address."])
            }
            _ = try await Providers.enrol(apprentice, with: provider, input, by: try req.actor, on: req.db)
            return req.redirect(to: "/providers/\(try provider.requireID())?saved=enrolled")
        } catch let failure as ValidationFailure {
            return try await req.render("provider", title: provider.name, try await detail(req, provider, enrol: input, enrolErrors: failure.errors), status: .unprocessableEntity)
        }
    }
}
