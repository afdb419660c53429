import Fluent
import SQLKit
import Vapor

/// Health check and the API description.
struct SystemController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("health", use: health)
        routes.get("api", "openapi.json", use: openAPI)
    }

    struct Health: Content {
        let status: String
        let database: String
        let databaseKind: String
    }

    @Sendable func health(req: Request) async throws -> Response {
        let kind: String = switch req.application.settings.database {
        case .postgres: "postgresql"
        default: "sqlite"
        }
        do {
            let sql = try req.db.sql()
            try await sql.raw("SELECT 1").run()
            return try await Health(status: "ok", database: "ok", databaseKind: kind).encodeResponse(for: req)
        } catch {
            req.logger.warning("Health check: database unreachable")
            return try await Health(status: "unavailable", database: "unreachable", databaseKind: kind).encodeResponse(status: .serviceUnavailable, for: req)
        }
    }

    @Sendable func openAPI(req: Request) async throws -> Response {
        let path = req.application.directory.resourcesDirectory + "openapi.json"
        let response = try await req.fileio.asyncStreamFile(at: path)
        response.headers.contentType = .json
        return response
    }
}
