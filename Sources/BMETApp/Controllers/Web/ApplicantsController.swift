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
