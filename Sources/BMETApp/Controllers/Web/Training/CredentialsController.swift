import BMETDomain
import Fluent
import Vapor

/// Industry credentials: each one's latest state, the next exam date, the full record with evidence.
struct CredentialsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(RoleGuard())
        signedIn.get("apprentices", ":apprenticeID", "credentials", use: show)
        signedIn.on(.POST, "apprentices", ":apprenticeID", "credentials", body: .collect(maxSize: "6mb"), use: record)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        return try await req.render("credentials", title: "Credentials — \(apprentice.fullName)", try await view(req, apprentice, saved: req.query[String.self, at: "saved"] == "1"))
    }

    @Sendable func record(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let input = try req.formInput(CredentialInput.self)
        do {
            try req.refuseFormProblems()
            _ = try await InstructionAndCredentials.recordCredential(apprentice, input, by: try req.actor, settings: req.application.settings, on: req.db)
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())/credentials?saved=1")
        } catch let failure as ValidationFailure {
            return try await req.render("credentials", title: "Credentials", try await view(req, apprentice, input: input, errors: failure.errors), status: .unprocessableEntity)
        }
    }
}
