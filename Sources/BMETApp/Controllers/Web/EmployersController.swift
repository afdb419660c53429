import BMETDomain
import Fluent
import SQLKit
import Vapor

/// Partner employers: the sponsor's staff list and add them; each employer's staff see their own.
struct EmployersController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admins = routes.grouped(RoleGuard(.programAdmin))
        admins.get("employers", use: list)
        admins.get("employers", "new", use: newForm)
        admins.post("employers", use: create)
        let staff = routes.grouped(RoleGuard(.programAdmin, .employerAdmin))
        staff.get("employers", "mine", use: mine)
        staff.get("employers", ":employerID", use: show)
    }

    @Sendable func list(req: Request) async throws -> Response {
        let employers = try await Employer.query(on: req.db).sort(\.$name).all()
        let counts = try await Self.peopleCounts(on: req.db)
        let rows = employers.map { ListView.Row(id: $0.id?.uuidString ?? "", name: $0.name, city: $0.city, state: $0.state, people: counts[$0.id ?? UUID()] ?? 0) }
        return try await req.render("employers", title: "Employers", ListView(rows: rows, created: false))
    }

    /// People per employer, counted by the database rather than by loading every user.
    static func peopleCounts(on db: any Database) async throws -> [UUID: Int] {
        struct Row: Decodable { let employer_id: UUID; let people: Int }
        let sql = try db.sql()
        let rows = try await sql.select()
            .column("employer_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "people")
            .from(User.schema).where("employer_id", .isNot, SQLLiteral.null).groupBy("employer_id")
            .all(decoding: Row.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.employer_id, $0.people) })
    }

    @Sendable func newForm(req: Request) async throws -> Response {
        try await req.render("employer-new", title: "Add an employer",
                             FormView(values: EmployerInput(), errors: [:], states: SelectOption.states(selected: nil)))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let input = try req.formInput(EmployerInput.self)
        do {
            try req.refuseFormProblems()
            let employer = try await EmployerDirectory.create(input, by: try req.actor, on: req.db)
            return req.redirect(to: "/employers/\(try employer.requireID())?created=1")
        } catch let failure as ValidationFailure {
            return try await req.render("employer-new", title: "Add an employer",
                FormView(values: input, errors: failure.errors, states: SelectOption.states(selected: input.state)), status: .unprocessableEntity)
        }
    }

    @Sendable func mine(req: Request) async throws -> Response {
        guard let id = try req.actor.employerID else { return req.redirect(to: "/employers") }
        return req.redirect(to: "/employers/\(id)")
    }

    @Sendable func show(req: Request) async throws -> Response {
        let actor = try req.actor
        guard let id = req.parameters.get("employerID", as: UUID.self),
              let employer = try await Employer.find(id, on: req.db),
              AccessPolicy.canView(employerID: employer.id, actor: actor)
        else { throw Abort(.notFound) }
        return try await req.render("employer", title: employer.name,
            try await Self.detail(employer, actor: actor, invite: InviteFormView.blank(for: actor, employerID: employer.id), req: req))
    }

}
