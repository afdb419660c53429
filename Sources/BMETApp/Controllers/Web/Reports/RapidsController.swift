import BMETDomain
import Fluent
import Vapor

/// The RAPIDS export for the sponsor: the validation report, the export itself, and earlier batches to download again.
/// Only program administrators: the sponsor answers to DOL, and the files hold every employer's people (and SSNs).
struct RapidsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let sponsor = routes.grouped(RoleGuard(.programAdmin))
        sponsor.get("reports", "rapids", use: page)
        sponsor.post("reports", "rapids", "exports", use: export)
        sponsor.get("reports", "rapids", "exports", ":batchID", ":file", use: download)
    }

    @Sendable func page(req: Request) async throws -> Response {
        let message: String? = switch req.query[String.self, at: "done"] {
        case "none"?: "Nothing new or changed to export: every valid record has already been exported."
        case let number?: "Batch \(number) was exported. Download its files below: upload apprentices.csv with its reference tabs, and enter the updates and status events in RAPIDS."
        case nil: nil
        }
        return try await req.render("reports/rapids", title: "RAPIDS export", try await view(req, message: message))
    }

    @Sendable func export(req: Request) async throws -> Response {
        switch try await RapidsExport.export(by: try req.actor, app: req.application, on: req.db) {
        case .exported(let batch): return req.redirect(to: "/reports/rapids?done=\(batch.number)")
        case .nothingToExport: return req.redirect(to: "/reports/rapids?done=none")
        }
    }

    @Sendable func download(req: Request) async throws -> Response {
        guard let id = req.parameters.get("batchID", as: UUID.self), let batch = try await RapidsExportBatch.find(id, on: req.db),
              let file = req.parameters.get("file"), let data = try await RapidsExport.file(batch, file, app: req.application, on: req.db)
        else { throw Abort(.notFound) }
        try await AuditLog.record(.personalDataExported, .program, "RAPIDS export batch \(batch.number) downloaded again (\(file))", by: try req.actor, on: req.db)
        return Response.csv(data: data, fileName: "rapids-batch-\(batch.number)-\(file)")
    }
}
