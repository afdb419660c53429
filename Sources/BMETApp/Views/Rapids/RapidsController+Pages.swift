import BMETDomain
import Fluent
import Vapor

/// The page models of `RapidsController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension RapidsController {
    struct View: Encodable {
        struct Problem: Encodable { let label: String; let message: String; let href: String }
        struct Invalid: Encodable { let id: String; let name: String; let employer: String; let problems: [Problem] }
        struct Due: Encodable { let id: String; let name: String; let employer: String; let change: String }
        struct File: Encodable { let name: String; let sha256: String }
        struct Batch: Encodable { let id: String; let number: Int; let when: String; let who: String; let registrations: Int; let events: Int; let heldBack: Int; let files: [File] }
        let invalid: [Invalid]
        let invalidCount: Int
        let dueCount: Int
        let due: [Due]
        let dueEvents: Int
        let heldBackEvents: Int
        let upToDate: Int
        let awaiting: [String]
        let batches: [Batch]
        let message: String?
    }

    func view(_ req: Request, message: String? = nil) async throws -> View {
        let preview = try await RapidsExport.preview(app: req.application, on: req.db)
        var batches: [View.Batch] = []
        for batch in try await RapidsExportBatch.query(on: req.db).with(\.$createdBy).sort(\.$number, .descending).all() {
            batches.append(.init(id: batch.id?.uuidString ?? "", number: batch.number, when: DateText.dateTime(batch.createdAt), who: batch.createdBy.fullName,
                                 registrations: batch.registrationCount, events: batch.eventCount, heldBack: batch.heldBackCount,
                                 files: try await RapidsExport.fileList(batch, on: req.db).map { .init(name: $0.name, sha256: $0.sha256) }))
        }
        return View(
            invalid: preview.invalid.map { row in
                let id = row.apprentice.id?.uuidString ?? ""
                return .init(id: id, name: row.apprentice.fullName, employer: row.apprentice.employer.name, problems: row.issues.map { issue in
                    .init(label: issue.label, message: issue.message,
                          href: issue.field == "program" ? "/programs" : issue.field == "wages" ? "/apprentices/\(id)/wages"
                              : "/apprentices/\(id)/registration#\(issue.field == "registration" ? "fullName" : issue.field)")
                })
            },
            invalidCount: preview.invalid.count, dueCount: preview.due.count,
            due: preview.due.map { row in
                .init(id: row.apprentice.id?.uuidString ?? "", name: row.apprentice.fullName, employer: row.apprentice.employer.name,
                      change: row.isChange ? "Changed since it was exported on \(DateText.dateTime(row.lastExportedAt))" : "New registration")
            },
            dueEvents: preview.dueEvents.count, heldBackEvents: preview.heldBackEvents,
            upToDate: preview.registrations.filter { $0.issues.isEmpty && !$0.isDue }.count,
            awaiting: preview.awaitingAgreement.map(\.fullName),
            batches: batches,
            message: message)
    }
}
