import BMETDomain
import Fluent
import Vapor

/// The page models of `CompletionController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension CompletionController {
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

    func view(_ req: Request, _ apprentice: Apprentice, values: [String: String] = [:], errors: FieldErrors = [:]) async throws -> View {
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
}
