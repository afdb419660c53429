import BMETDomain
import Fluent
import Vapor

/// Related instruction: each course's latest state, hours per program year against the DOL recommendation, the full record.
struct InstructionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(RoleGuard())
        signedIn.get("apprentices", ":apprenticeID", "instruction", use: show)
        signedIn.post("apprentices", ":apprenticeID", "instruction", use: record)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        return try await req.render("instruction", title: "Instruction — \(apprentice.fullName)", try await view(req, apprentice, saved: req.query[String.self, at: "saved"] == "1"))
    }

    @Sendable func record(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let input = try req.formInput(InstructionInput.self)
        do {
            try req.refuseFormProblems()
            _ = try await InstructionAndCredentials.recordInstruction(apprentice, input, by: try req.actor, on: req.db)
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())/instruction?saved=1")
        } catch let failure as ValidationFailure {
            return try await req.render("instruction", title: "Instruction", try await view(req, apprentice, input: input, errors: failure.errors), status: .unprocessableEntity)
        }
    }
}
