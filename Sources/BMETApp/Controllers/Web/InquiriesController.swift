import BMETDomain
import Fluent
import Vapor

/// Employer partner inquiries, for the sponsor's staff.
struct InquiriesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admins = routes.grouped(RoleGuard(.programAdmin))
        admins.get("inquiries", use: list)
        admins.get("inquiries", ":inquiryID", use: show)
        admins.post("inquiries", ":inquiryID", "status", use: move)
    }

    @Sendable func list(req: Request) async throws -> Response {
        struct Row: Encodable { let id: String; let organization: String; let type: String; let place: String; let wanted: Int; let status: String; let received: String }
        struct View: Encodable { let rows: [Row] }
        let inquiries = try await EmployerInquiry.query(on: req.db).sort(\.$createdAt, .descending).limit(500).all()
        return try await req.render("inquiries", title: "Employer inquiries", View(rows: inquiries.map {
            Row(id: $0.id?.uuidString ?? "", organization: $0.organization, type: $0.employerType.label, place: "\($0.city), \($0.state)",
                wanted: $0.apprenticesWanted, status: $0.status.label, received: DateText.dateTime($0.createdAt))
        }))
    }

    private func find(_ req: Request) async throws -> EmployerInquiry {
        guard let id = req.parameters.get("inquiryID", as: UUID.self), let inquiry = try await EmployerInquiry.find(id, on: req.db) else { throw Abort(.notFound) }
        return inquiry
    }

    @Sendable func show(req: Request) async throws -> Response {
        let inquiry = try await find(req)
        return try await req.render("inquiry", title: inquiry.organization, try await Self.detail(inquiry, on: req.db))
    }

    @Sendable func move(req: Request) async throws -> Response {
        struct Form: Content { var status: String?; var note: String? }
        let inquiry = try await find(req)
        let form = try req.formInput(Form.self)
        do {
            try req.refuseFormProblems()
            guard let next = form.status.flatMap(InquiryStatus.init(rawValue:)) else { throw ValidationFailure(errors: ["status": "Choose the new status."]) }
            try await Inquiries.move(inquiry, to: next, note: form.note, by: try req.actor, app: req.application, on: req.db)
            return req.redirect(to: "/inquiries/\(try inquiry.requireID())")
        } catch let failure as ValidationFailure {
            let fresh = try await find(req)
            var errors = failure.errors
            if let name = errors.removeValue(forKey: "name") { errors["status"] = "The employer could not be created: \(name)" }
            return try await req.render("inquiry", title: inquiry.organization, try await Self.detail(fresh, errors: errors, on: req.db), status: .unprocessableEntity)
        }
    }
}
