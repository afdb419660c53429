import Vapor

/// Pages anyone can read without an account.
struct PublicController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
    }

    @Sendable func home(req: Request) async throws -> Response {
        struct View: Encodable { let signedIn: Bool }
        return try await req.render("home", title: "BMET Apprenticeship", View(signedIn: req.auth.has(User.self)))
    }
}
