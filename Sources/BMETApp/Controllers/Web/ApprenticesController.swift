import BMETDomain
import Fluent
import Vapor

/// Registration, the apprentice record, the agreement and its signatures, and status changes.
struct ApprenticesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(RoleGuard())
        signedIn.get("apprentices", use: list)
        signedIn.get("apprentices", "mine", use: mine)
        signedIn.get("apprentices", ":apprenticeID", use: show)
        signedIn.get("apprentices", ":apprenticeID", "agreement", use: agreement)
        signedIn.post("apprentices", ":apprenticeID", "agreement", "sign", use: sign)
        let staff = routes.grouped(RoleGuard(.programAdmin, .employerAdmin))
        staff.get("apprentices", "new", use: newForm)
        staff.post("apprentices", use: register)
        staff.post("apprentices", ":apprenticeID", "status", use: transition)
    }

    @Sendable func list(req: Request) async throws -> Response {
        struct Row: Encodable { let id: String; let name: String; let employer: String; let mentor: String; let status: String; let start: String }
        struct View: Encodable {
            let rows: [Row]; let canRegister: Bool; let total: Int; let next: String?; let statuses: [SelectOption]; let status: String?
        }
        let actor = try req.actor
        if actor.role == .apprentice { return req.redirect(to: "/apprentices/mine") }
        let rawStatus = req.query[String.self, at: "status"].flatMap { $0.isEmpty ? nil : $0 }
        let status = rawStatus.flatMap(ApprenticeStatus.init(rawValue:))
        if rawStatus != nil && status == nil { throw Abort(.badRequest, reason: "Unknown status.") }
        let page = try await ApprenticeListQuery(actor: actor, status: status, after: req.query[UUID.self, at: "after"]).run(on: req.db)
        let filter = status.map { "status=\($0.rawValue)&" } ?? ""
        return try await req.render("apprentices", title: "Apprentices", View(
            rows: page.apprentices.map { .init(id: $0.id?.uuidString ?? "", name: $0.fullName, employer: $0.employer.name, mentor: $0.mentor.fullName,
                                               status: $0.status.label, start: $0.startDate) },
            canRegister: actor.role == .programAdmin || actor.role == .employerAdmin, total: page.total,
            next: page.next.map { "/apprentices?\(filter)after=\($0)" },
            statuses: ApprenticeStatus.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == status) }, status: status?.rawValue))
    }

    @Sendable func mine(req: Request) async throws -> Response {
        let actor = try req.actor
        guard let apprentice = try await Apprentice.query(on: req.db).filter(\.$user.$id == actor.requireID()).first() else {
            throw Abort(.notFound, reason: "You are not registered as an apprentice yet. Your employer registers you once you are hired.")
        }
        return req.redirect(to: "/apprentices/\(try apprentice.requireID())")
    }

    // MARK: Registration

    @Sendable func newForm(req: Request) async throws -> Response {
        let actor = try req.actor
        var input = RegistrationInput()
        if let applicantID = req.query[UUID.self, at: "applicant"],
           let applicant = try await Applications.visible(to: actor, on: req.db).filter(\.$id == applicantID).first() {
            // Start from what the applicant already told us.
            input.applicantID = applicantID
            input.fullName = applicant.fullName
            input.email = applicant.email
            input.city = applicant.city
            input.state = applicant.state
            input.zip = applicant.zip
            input.birthDate = applicant.birthDate
            input.education = applicant.education.rawValue
            input.veteranStatus = applicant.veteranStatus?.rawValue
            input.employerID = applicant.$referredEmployer.id
            input.employmentStatus = EmploymentStatus.newEmployee.rawValue
        }
        if let employerID = req.query[UUID.self, at: "employer"] { input.employerID = employerID }
        return try await req.render("apprentice-new", title: "Register an apprentice", try await formView(input, errors: [:], actor: actor, on: req.db))
    }

    @Sendable func register(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.formInput(RegistrationInput.self)
        do {
            try req.refuseFormProblems()
            let apprentice = try await Registrations.register(input, by: actor, app: req.application, on: req.db)
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())?registered=1")
        } catch let failure as ValidationFailure {
            return try await req.render("apprentice-new", title: "Register an apprentice",
                try await formView(input, errors: failure.errors, actor: actor, on: req.db), status: .unprocessableEntity)
        }
    }

    // MARK: The record

    @Sendable func show(req: Request) async throws -> Response {
        let actor = try req.actor
        let apprentice = try await ApprenticeRecords.find(req.parameters.get("apprenticeID", as: UUID.self), visibleTo: actor, on: req.db)
        var view = try await detail(apprentice, actor: actor, registered: req.query[String.self, at: "registered"] == "1", on: req.db)
        view.canCorrectRegistration = RegistrationCorrections.mayCorrect(actor, apprentice)
        return try await req.render("apprentice", title: apprentice.fullName, view)
    }

    @Sendable func transition(req: Request) async throws -> Response {
        let actor = try req.actor
        let apprentice = try await ApprenticeRecords.find(req.parameters.get("apprenticeID", as: UUID.self), visibleTo: actor, on: req.db)
        let input = try req.formInput(ApprenticeRecords.TransitionInput.self)
        do {
            try req.refuseFormProblems()
            try await ApprenticeRecords.transition(apprentice, input, by: actor, on: req.db)
            if input.action == ApprenticeRecords.Action.endProbation.rawValue {
                // A milestone of a hybrid program: the probationary period is over.
                try await CredentialIssuance.issueInterim("Probationary period completed", description: "Completed the probationary period of the apprenticeship in good standing.",
                                                          criteria: "The employer ended probation after the period the standards set.", to: apprentice, settings: req.application.settings, on: req.db)
            }
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())")
        } catch let failure as ValidationFailure {
            let fresh = try await ApprenticeRecords.find(apprentice.id, visibleTo: actor, on: req.db)
            return try await req.render("apprentice", title: apprentice.fullName, try await detail(fresh, actor: actor, errors: failure.errors, on: req.db), status: .unprocessableEntity)
        }
    }

    // MARK: Agreement

    @Sendable func agreement(req: Request) async throws -> Response {
        let actor = try req.actor
        let apprentice = try await ApprenticeRecords.find(req.parameters.get("apprenticeID", as: UUID.self), visibleTo: actor, on: req.db)
        return try await req.render("agreement", title: "Apprenticeship agreement — \(apprentice.fullName)", try await agreementView(apprentice, actor: actor, on: req.db))
    }

    @Sendable func sign(req: Request) async throws -> Response {
        struct Form: Content { var typedName: String? }
        let actor = try req.actor
        let apprentice = try await ApprenticeRecords.find(req.parameters.get("apprenticeID", as: UUID.self), visibleTo: actor, on: req.db)
        let form = try req.formInput(Form.self)
        do {
            try req.refuseFormProblems()
            try await ApprenticeRecords.sign(apprentice, typedName: form.typedName, by: actor, ip: req.clientIP, on: req.db)
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())/agreement")
        } catch let failure as ValidationFailure {
            return try await req.render("agreement", title: "Apprenticeship agreement — \(apprentice.fullName)",
                try await agreementView(apprentice, actor: actor, errors: failure.errors, typedName: form.typedName ?? "", on: req.db), status: .unprocessableEntity)
        }
    }
}
