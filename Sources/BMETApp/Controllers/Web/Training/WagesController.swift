import BMETDomain
import Fluent
import Vapor

/// The wage schedule, what is in effect, what is due, and the history of raises.
struct WagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(RoleGuard())
        signedIn.get("apprentices", ":apprenticeID", "wages", use: show)
        routes.grouped(RoleGuard(.programAdmin, .employerAdmin)).post("apprentices", ":apprenticeID", "wages", use: record)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        return try await req.render("wages", title: "Wages — \(apprentice.fullName)", try await view(req, apprentice, saved: req.query[String.self, at: "saved"] == "1"))
    }

    @Sendable func record(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let input = try req.formInput(WageRaiseInput.self)
        do {
            try req.refuseFormProblems()
            let progress = try await ProgressReader.progress(of: apprentice, on: req.db)
            _ = try await WageRaises.record(apprentice, input, progress: progress, by: try req.actor, on: req.db)
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())/wages?saved=1")
        } catch let failure as ValidationFailure {
            return try await req.render("wages", title: "Wages", try await view(req, apprentice, input: input, errors: failure.errors), status: .unprocessableEntity)
        }
    }
}
