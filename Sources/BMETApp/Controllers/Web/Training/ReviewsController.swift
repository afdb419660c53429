import BMETDomain
import Fluent
import Vapor

/// Periodic progress reviews: the next one due (flagged when overdue), writing, commenting, signing.
struct ReviewsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(RoleGuard())
        signedIn.get("apprentices", ":apprenticeID", "reviews", use: show)
        routes.grouped(RoleGuard(.mentor)).post("apprentices", ":apprenticeID", "reviews", use: start)
        let parties = routes.grouped(RoleGuard(.mentor, .apprentice, .employerAdmin))
        parties.post("apprentices", ":apprenticeID", "reviews", ":reviewID", "comment", use: comment)
        parties.post("apprentices", ":apprenticeID", "reviews", ":reviewID", "sign", use: sign)
    }

    @Sendable func show(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        return try await req.render("reviews", title: "Reviews — \(apprentice.fullName)", try await view(req, apprentice))
    }

    private func review(_ req: Request, _ apprentice: Apprentice) async throws -> ProgressReview {
        guard let id = req.parameters.get("reviewID", as: UUID.self), let review = try await ProgressReview.find(id, on: req.db),
              review.$apprentice.id == apprentice.id else { throw Abort(.notFound, reason: "No such review.") }
        return review
    }

    @Sendable func start(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let input = try req.formInput(ReviewInput.self)
        do {
            try req.refuseFormProblems()
            _ = try await ProgressReviews.start(apprentice, input, by: try req.actor, on: req.db)
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())/reviews")
        } catch let failure as ValidationFailure {
            return try await req.render("reviews", title: "Reviews", try await view(req, apprentice,
                values: ["mentorComments": input.mentorComments ?? "", "goals": input.goals ?? ""], errors: failure.errors), status: .unprocessableEntity)
        }
    }

    @Sendable func comment(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let review = try await review(req, apprentice)
        let input = try req.formInput(ReviewInput.self)
        do {
            try req.refuseFormProblems()
            try await ProgressReviews.comment(review, apprentice: apprentice, text: input.apprenticeComments, by: try req.actor, on: req.db)
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())/reviews")
        } catch let failure as ValidationFailure {
            return try await req.render("reviews", title: "Reviews", try await view(req, apprentice, values: ["apprenticeComments": input.apprenticeComments ?? ""], errors: failure.errors), status: .unprocessableEntity)
        }
    }

    @Sendable func sign(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let review = try await review(req, apprentice)
        do {
            try await ProgressReviews.sign(review, apprentice: apprentice, by: try req.actor, on: req.db)
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())/reviews")
        } catch let failure as ValidationFailure {
            return try await req.render("reviews", title: "Reviews", try await view(req, apprentice, errors: failure.errors), status: .unprocessableEntity)
        }
    }
}
