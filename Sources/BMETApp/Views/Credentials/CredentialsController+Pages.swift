import BMETDomain
import Fluent
import Vapor

/// The page models of `CredentialsController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension CredentialsController {
    struct View: Encodable {
        struct Record: Encodable { let credential: String; let status: String; let date: String?; let expires: String?; let note: String; let evidence: String?; let evidenceName: String?; let by: String; let when: String }
        let header: RecordHeader; let heading: String
        let credentials: [ProgressView.Credential]; let nextDeadline: String?; let records: [Record]
        let canRecord: Bool; let isStaff: Bool
        let credentialOptions: [SelectOption]; let statusOptions: [SelectOption]
        let values: [String: String]; let errors: FieldErrors; let saved: Bool
    }

    func view(_ req: Request, _ apprentice: Apprentice, input: CredentialInput? = nil, errors: FieldErrors = [:], saved: Bool = false) async throws -> View {
        let actor = try req.actor
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: req.db)
        let records = try await CredentialRecord.query(on: req.db).filter(\.$apprentice.$id == apprentice.requireID()).with(\.$recordedBy).sort(\.$createdAt, .descending).all()
        let progress = ProgressView(try await ProgressReader.progress(of: apprentice, on: req.db))
        let isStaff = InstructionAndCredentials.isStaff(actor, for: apprentice)
        let canRecord = (isStaff || InstructionAndCredentials.isOwner(actor, of: apprentice)) && ![.cancelled, .completed].contains(apprentice.status)
        let statuses: [CredentialStatus] = isStaff ? CredentialStatus.allCases : [.planned, .scheduled]
        return View(
            header: RecordHeader(apprentice, current: .credentials), heading: "Credentials",
            credentials: progress.credentials, nextDeadline: progress.nextDeadline,
            records: records.map { r in .init(credential: standards.credential(code: r.credentialCode)?.name ?? r.credentialCode, status: r.status.label,
                                              date: r.eventDate, expires: r.expiresOn, note: r.note, evidence: r.evidenceFile, evidenceName: r.evidenceName,
                                              by: r.recordedBy.fullName, when: DateText.dateTime(r.createdAt)) },
            canRecord: canRecord, isStaff: isStaff,
            credentialOptions: standards.credentials.map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == input?.credentialCode) },
            statusOptions: statuses.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input?.status) },
            values: ["date": input?.date ?? "", "expires": input?.expires ?? "", "note": input?.note ?? ""], errors: errors, saved: saved)
    }
}
