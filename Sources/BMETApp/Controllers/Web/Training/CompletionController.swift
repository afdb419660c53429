import BMETDomain
import Fluent
import Vapor

/// Completion: the checklist of every requirement with its evidence, the employer's request, the sponsor's decision.
struct CompletionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RoleGuard()).get("apprentices", ":apprenticeID", "completion", use: show)
        routes.grouped(RoleGuard(.programAdmin, .employerAdmin)).post("apprentices", ":apprenticeID", "completion", use: request)
        routes.grouped(RoleGuard(.programAdmin)).post("apprentices", ":apprenticeID", "completion", ":requestID", "decision", use: decide)
        routes.grouped(RoleGuard(.programAdmin)).post("apprentices", ":apprenticeID", "dol-certificate", use: recordDOLCertificate)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        return try await req.render("completion", title: "Completion — \(apprentice.fullName)", try await view(req, apprentice))
    }

    @Sendable func request(req: Request) async throws -> Response {
        struct Input: Content { var note: String? }
        let apprentice = try await req.visibleApprentice()
        let input = try req.formInput(Input.self)
        do {
            try req.refuseFormProblems()
            _ = try await Completions.request(apprentice, note: input.note, by: try req.actor, on: req.db)
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())/completion")
        } catch let failure as ValidationFailure {
            return try await req.render("completion", title: "Completion", try await view(req, apprentice, values: ["note": input.note ?? ""], errors: failure.errors), status: .unprocessableEntity)
        }
    }

    /// The Department of Labor's Certificate of Completion, recorded when it arrives from RAPIDS.
    @Sendable func recordDOLCertificate(req: Request) async throws -> Response {
        struct Input: Content { var dolNumber: String?; var dolDate: String? }
        let apprentice = try await req.visibleApprentice()
        let input = try req.formInput(Input.self)
        do {
            try req.refuseFormProblems()
            try await Completions.recordDOLCertificate(apprentice, number: input.dolNumber, date: input.dolDate, by: try req.actor, on: req.db)
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())/completion")
        } catch let failure as ValidationFailure {
            return try await req.render("completion", title: "Completion", try await view(req, apprentice, values: ["dolNumber": input.dolNumber ?? "", "dolDate": input.dolDate ?? ""], errors: failure.errors), status: .unprocessableEntity)
        }
    }

    @Sendable func decide(req: Request) async throws -> Response {
        struct Input: Content { var decision: String?; var note: String?; var confirmed: String? }
        let apprentice = try await req.visibleApprentice()
        let input = try req.formInput(Input.self)
        guard let id = req.parameters.get("requestID", as: UUID.self), let request = try await CompletionRequest.find(id, on: req.db),
              request.$apprentice.id == apprentice.id else { throw Abort(.notFound, reason: "No such completion request.") }
        do {
            try req.refuseFormProblems()
            guard let decision = input.decision.flatMap(Completions.Decision.init(rawValue:)) else {
                throw ValidationFailure(errors: ["decision": "Choose approve or return."])
            }
            // Approval is final: the first post asks again (after the same checks), the second completes.
            if decision == .approve && !ConfirmationView.isConfirmed(input.confirmed) {
                let progress = try await ProgressReader.progress(of: apprentice, on: req.db)
                if let refusal = Completions.refusal(apprentice, progress: progress) { throw ValidationFailure(errors: ["form": refusal], message: refusal) }
                let note = input.note?.trimmed ?? ""
                return try await req.renderConfirmation(ConfirmationView(
                    heading: "Complete the apprenticeship of \(apprentice.fullName)?",
                    lines: ["Completion is final: the record is frozen, the certificate is issued and signed, and \(apprentice.fullName) and the employer are told.",
                            "Every requirement is met: " + progress.requirements.map { "\($0.label) (\($0.detail))" }.joined(separator: "; ") + "."]
                        + (note.isEmpty ? [] : ["Your note: “\(note)”"]),
                    action: "/apprentices/\(try apprentice.requireID())/completion/\(id)/decision",
                    fields: [.init(name: "decision", value: "approve"), .init(name: "note", value: note)],
                    confirmLabel: "Yes, complete the apprenticeship", cancelHref: "/apprentices/\(try apprentice.requireID())/completion"))
            }
            try await Completions.decide(request, decision, note: input.note, apprentice: apprentice, by: try req.actor, app: req.application, on: req.db)
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())/completion")
        } catch let failure as ValidationFailure {
            let fresh = try await ApprenticeRecords.find(apprentice.id, visibleTo: try req.actor, on: req.db)
            return try await req.render("completion", title: "Completion", try await view(req, fresh, values: ["decisionNote": input.note ?? ""], errors: failure.errors), status: .unprocessableEntity)
        }
    }
}
