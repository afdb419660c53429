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

    struct View: Encodable {
        struct Requirement: Encodable { let label: String; let met: Bool; let detail: String; let href: String }
        struct Request: Encodable { let id: String; let status: String; let statusCode: String; let note: String; let checklist: [String]
                                    let by: String; let when: String; let decidedBy: String?; let decidedWhen: String?; let decisionNote: String? }
        let header: RecordHeader; let heading: String
        let requirements: [Requirement]; let missing: [String]; let eligible: Bool; let refusal: String?
        let open: Request?; let history: [Request]
        let canRequest: Bool; let canDecide: Bool; let completed: Bool
        let values: [String: String]; let errors: FieldErrors
        struct Issued: Encodable { let number: String; let name: String; let isCertificate: Bool; let awardedOn: String; let revoked: Bool; let reason: String? }
        let issued: [Issued]; let canRevoke: Bool; let revokeError: String?
        let dolCertificate: String?; let canRecordDOLCertificate: Bool
    }

    private func view(_ req: Request, _ apprentice: Apprentice, values: [String: String] = [:], errors: FieldErrors = [:]) async throws -> View {
        let actor = try req.actor
        let id = try apprentice.requireID()
        let progress = try await ProgressReader.progress(of: apprentice, on: req.db)
        let requests = try await CompletionRequest.query(on: req.db).filter(\.$apprentice.$id == id).with(\.$requestedBy).with(\.$decidedBy)
            .sort(\.$requestedAt, .descending).all()
        let base = "/apprentices/\(id)"
        let requirements = progress.requirements.map { requirement in
            let section: RecordHeader.Section = switch requirement.kind {
            case .hours: .hours
            case .skills: .skills
            case .instruction: .instruction
            case .credential: .credentials
            }
            return View.Requirement(label: requirement.label, met: requirement.met, detail: requirement.detail, href: base + "/" + section.rawValue)
        }
        func row(_ r: CompletionRequest) -> View.Request {
            .init(id: r.id?.uuidString ?? "", status: r.status.label, statusCode: r.status.rawValue, note: r.note,
                  checklist: r.checklist.split(separator: "\n").map(String.init), by: r.requestedBy.fullName, when: DateText.dateTime(r.requestedAt),
                  decidedBy: r.decidedBy?.fullName, decidedWhen: r.decidedAt.map { DateText.dateTime($0) }, decisionNote: r.decisionNote)
        }
        let open = requests.first { $0.status == .requested }
        let refusal = Completions.refusal(apprentice, progress: progress)
        return View(
            header: RecordHeader(apprentice, current: .completion), heading: "Completion",
            requirements: requirements, missing: progress.eligibility.missing, eligible: progress.eligibility.isEligible, refusal: refusal,
            open: open.map(row), history: requests.filter { $0.status != .requested }.map(row),
            canRequest: Completions.canRequest(actor, for: apprentice) && open == nil && refusal == nil,
            canDecide: actor.role == .programAdmin && open != nil, completed: apprentice.status == .completed,
            values: values, errors: errors,
            issued: try await IssuedCredential.query(on: req.db).filter(\.$apprentice.$id == id).sort(\.$createdAt).all().map {
                .init(number: $0.number, name: $0.name, isCertificate: $0.kind == .certificate, awardedOn: $0.awardedOn, revoked: $0.revokedAt != nil, reason: $0.revocationReason)
            },
            canRevoke: actor.role == .programAdmin, revokeError: req.query[String.self, at: "revokeError"],
            dolCertificate: apprentice.dolCertificateText, canRecordDOLCertificate: actor.role == .programAdmin && apprentice.status == .completed)
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
