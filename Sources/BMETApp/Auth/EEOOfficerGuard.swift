import Vapor

/// Lets a request through only for a program administrator the sponsor named as an EEO officer (29 CFR 30): the
/// equal-opportunity pages and every individual disability self-identification are theirs alone. Put it after
/// `RoleGuard(.programAdmin)`, which sends people who are not signed in to the sign-in page.
struct EEOOfficerGuard: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let user = try req.actor
        guard user.role == .programAdmin, user.isEEOOfficer else {
            throw Abort(.forbidden, reason: "Only the sponsor's EEO officers can open the equal-opportunity pages.")
        }
        return try await next.respond(to: req)
    }
}
