import BMETDomain
import Fluent
import Vapor

/// The applicant pipeline: the sponsor screens and refers; employers see who was referred to them.
struct ApplicantsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RoleGuard(.programAdmin, .employerAdmin))
        staff.get("applicants", use: list)
        staff.get("applicants", ":applicantID", use: show)
        staff.post("applicants", ":applicantID", "status", use: move)
        staff.get("applicants", ":applicantID", "resume", use: resume)
    }

    struct ListView: Encodable {
        struct Row: Encodable { let id: String; let name: String; let city: String; let state: String; let status: String; let statusCode: String; let applied: String; let employer: String? }
        let rows: [Row]
        let statuses: [SelectOption]
        let states: [SelectOption]
        let q: String
        let from: String
        let to: String
        let error: String?
        let total: Int
        /// The same filters, as a CSV download.
        var exportHref = "/applicants/export.csv"
    }

    @Sendable func list(req: Request) async throws -> Response {
        let actor = try req.actor
        let status = req.query[String.self, at: "status"].flatMap(ApplicantStatus.init(rawValue:))
        let state = req.query[String.self, at: "state"]?.uppercased() ?? ""
        let q = req.query[String.self, at: "q"]?.trimmed ?? ""
        let fromText = req.query[String.self, at: "from"]?.trimmed ?? ""
        let toText = req.query[String.self, at: "to"]?.trimmed ?? ""
        var error: String?
        let from = fromText.isEmpty ? nil : ProgramCalendar.day(fromText)
        let to = toText.isEmpty ? nil : ProgramCalendar.day(toText)
        if (!fromText.isEmpty && from == nil) || (!toText.isEmpty && to == nil) { error = "Enter dates as YYYY-MM-DD." }
        else if let from, let to, to < from { error = "The date range ends before it starts." }

        let query = try Applications.visible(to: actor, on: req.db).with(\.$referredEmployer).sort(\.$createdAt, .descending)
        if let status { query.filter(\.$status == status) }
        if USAddressRules.isValidState(state) { query.filter(\.$state == state) }
        if error == nil {
            if let from { query.filter(\.$createdAt >= from) }
            if let to { query.filter(\.$createdAt < ProgramCalendar.adding(days: 1, to: to)) }
        }
        if !q.isEmpty {
            let like = Search.containsOperator(on: req.db), pattern = Search.pattern(q)
            query.group(.or) { group in
                group.filter(\.$fullName, like, pattern).filter(\.$email, like, pattern).filter(\.$city, like, pattern)
            }
        }
        let applicants = try await query.limit(500).all()
        var view = ListView(
            rows: applicants.map { .init(id: $0.id?.uuidString ?? "", name: $0.fullName, city: $0.city, state: $0.state, status: $0.status.label,
                                         statusCode: $0.status.rawValue, applied: DateText.dateTime($0.createdAt), employer: $0.referredEmployer?.name) },
            statuses: SelectOption.all(ApplicantStatus.self, selected: status?.rawValue, label: \.label),
            states: SelectOption.states(selected: state),
            q: q, from: fromText, to: toText, error: error, total: applicants.count)
        if let query = req.url.query, !query.isEmpty { view.exportHref += "?" + query }
        return try await req.render("applicants", title: "Applicants", view, status: error == nil ? .ok : .unprocessableEntity)
    }

    struct DetailView: Encodable {
        struct Event: Encodable { let when: String; let from: String?; let to: String; let note: String; let who: String; let employer: String?; let previous: [String]? }
        let id: String
        let name: String
        let email: String
        let phone: String
        let place: String
        let birthDate: String
        let education: String
        let expectedDiploma: String?
        let workAuthorized: String
        let veteran: String?
        let heardFrom: String
        let statement: String
        let guardianConsent: Bool
        let hasResume: Bool
        let status: String
        let statusCode: String
        let submissions: Int
        let referredTo: String?
        let events: [Event]
        let moves: [SelectOption]
        let employers: [SelectOption]
        let canRefer: Bool
        let canRegister: Bool
        let apprenticeID: String?
        let errors: FieldErrors
        let note: String
    }

    static func detail(_ applicant: Applicant, actor: User, errors: FieldErrors = [:], note: String = "", chosen: String? = nil, on db: any Database) async throws -> DetailView {
        let id = try applicant.requireID()
        let eventQuery = ApplicantEvent.query(on: db).filter(\.$applicant.$id == id).with(\.$actor).with(\.$employer).sort(\.$createdAt)
        if actor.role != .programAdmin {
            // Another employer's interview notes about the same person are not this employer's business.
            eventQuery.group(.or) { $0.filter(\.$employer.$id == nil).filter(\.$employer.$id == (actor.employerID ?? UUID())) }
        }
        let events = try await eventQuery.all()
        let pipelineActor: ApplicantPipeline.Actor = actor.role == .programAdmin ? .programAdmin : .employerAdmin
        let moves = ApplicantPipeline.nextStatuses(from: applicant.status, by: pipelineActor)
        // Partners in the applicant's own state first: they are the likeliest employers.
        let employers = try await Employer.query(on: db).sort(\.$name).all()
            .sorted { ($0.state == applicant.state ? 0 : 1, $0.name) < ($1.state == applicant.state ? 0 : 1, $1.name) }
        let apprentice = try await Apprentice.query(on: db).filter(\.$applicant.$id == id).first()
        return DetailView(
            id: id.uuidString, name: applicant.fullName, email: applicant.email, phone: applicant.phone,
            place: "\(applicant.city), \(applicant.state) \(applicant.zip)", birthDate: applicant.birthDate,
            education: applicant.education.label,
            expectedDiploma: applicant.expectedDiplomaDate,
            workAuthorized: applicant.workAuthorized ? "Yes" : "No", veteran: applicant.veteranStatus?.label, heardFrom: applicant.heardFrom,
            statement: applicant.statement, guardianConsent: applicant.guardianConsent, hasResume: applicant.resumeFile != nil,
            status: applicant.status.label, statusCode: applicant.status.rawValue, submissions: applicant.submissions,
            referredTo: applicant.referredEmployer?.name,
            events: events.map { .init(when: DateText.dateTime($0.createdAt), from: $0.fromStatus?.label, to: $0.toStatus.label, note: $0.note,
                                       who: $0.actor?.fullName ?? "The applicant", employer: $0.employer?.name,
                                       previous: $0.previousAnswers.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
                                           .map { $0.filter { !$0.value.isEmpty && $0.key != "resumeFile" }.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" } }) },
            moves: moves.map { SelectOption(value: $0.rawValue, label: $0 == .declined && pipelineActor == .employerAdmin ? "Declined (say why below)" : $0.label, selected: $0.rawValue == chosen) },
            employers: employers.map { SelectOption(value: $0.id?.uuidString ?? "", label: "\($0.name) — \($0.city), \($0.state)\($0.state == applicant.state ? " (same state)" : "")", selected: false) },
            canRefer: moves.contains(.referred),
            canRegister: applicant.status == .hired && apprentice == nil,
            apprenticeID: apprentice?.id?.uuidString,
            errors: errors, note: note)
    }

    private func find(_ req: Request) async throws -> Applicant {
        guard let id = req.parameters.get("applicantID", as: UUID.self),
              let applicant = try await Applications.visible(to: try req.actor, on: req.db).filter(\.$id == id).with(\.$referredEmployer).first()
        else { throw Abort(.notFound) }
        return applicant
    }

    @Sendable func show(req: Request) async throws -> Response {
        let applicant = try await find(req)
        return try await req.render("applicant", title: applicant.fullName, try await Self.detail(applicant, actor: try req.actor, on: req.db))
    }

    @Sendable func move(req: Request) async throws -> Response {
        struct Form: Content { var status: String?; var note: String?; @OptionalUUID var employerID: UUID? }
        let actor = try req.actor
        let applicant = try await find(req)
        let form = try req.formInput(Form.self)
        do {
            try req.refuseFormProblems()
            guard let next = form.status.flatMap(ApplicantStatus.init(rawValue:)) else { throw ValidationFailure(errors: ["status": "Choose the new status."]) }
            try await Applications.move(applicant, to: next, note: form.note, referTo: form.employerID, by: actor,
                                        settings: req.application.settings, cipher: req.application.dataCipher, on: req.db)
            return req.redirect(to: "/applicants/\(try applicant.requireID())")
        } catch let failure as ValidationFailure {
            let fresh = try await find(req)
            return try await req.render("applicant", title: applicant.fullName,
                try await Self.detail(fresh, actor: actor, errors: failure.errors, note: form.note ?? "", chosen: form.status, on: req.db), status: .unprocessableEntity)
        }
    }

    @Sendable func resume(req: Request) async throws -> Response {
        let applicant = try await find(req)
        guard let name = applicant.resumeFile, let path = ResumeStore.path(of: name, settings: req.application.settings),
              FileManager.default.fileExists(atPath: path)
        else { throw Abort(.notFound, reason: "This applicant did not upload a résumé.") }
        let response = try await req.fileio.asyncStreamFile(at: path)
        response.headers.contentType = HTTPMediaType(type: "application", subType: "pdf")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"resume.pdf\"")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
