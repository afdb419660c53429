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

    struct View: Encodable {
        struct Review: Encodable {
            let id: String; let number: Int; let periodEnd: String; let mentorComments: String; let apprenticeComments: String; let goals: String
            let by: String; let when: String; let signatures: [String]; let missing: [String]; let complete: Bool
            let canComment: Bool; let canSign: Bool
        }
        let header: RecordHeader; let heading: String
        let reviews: [Review]; let dueText: String?; let overdue: Bool; let canStart: Bool
        let values: [String: String]; let errors: FieldErrors
    }

    private func view(_ req: Request, _ apprentice: Apprentice, values: [String: String] = [:], errors: FieldErrors = [:]) async throws -> View {
        let actor = try req.actor
        let reviews = try await ProgressReview.query(on: req.db).filter(\.$apprentice.$id == apprentice.requireID()).with(\.$createdBy).sort(\.$periodNumber, .descending).all()
        let signatures = try await ReviewSignature.query(on: req.db).filter(\.$review.$id ~~ reviews.compactMap(\.id)).with(\.$signer).all()
        let party = ProgressReviews.party(of: actor, for: apprentice)
        let due = ProgressReviews.next(for: apprentice, reviewsOnFile: reviews.count)
        return View(
            header: RecordHeader(apprentice, current: .reviews), heading: "Progress reviews",
            reviews: reviews.map { review in
                let signed = signatures.filter { $0.$review.id == review.id }
                return .init(id: review.id?.uuidString ?? "", number: review.periodNumber, periodEnd: review.periodEnd, mentorComments: review.mentorComments,
                             apprenticeComments: review.apprenticeComments, goals: review.goals, by: review.createdBy.fullName, when: DateText.dateTime(review.createdAt),
                             signatures: signed.map { "\($0.party.label): \($0.signer.fullName), \(DateText.dateTime($0.signedAt))" },
                             missing: ReviewSignature.Party.allCases.filter { p in !signed.contains { $0.party == p } }.map(\.label),
                             complete: review.completedAt != nil,
                             canComment: party == .apprentice && signed.isEmpty,
                             canSign: party != nil && !review.apprenticeComments.isEmpty && !signed.contains { $0.party == party })
            },
            dueText: due.map { "Review \($0.number) covers the period ending \($0.periodEnd) and is due by \($0.dueBy)." },
            overdue: due?.isOverdue ?? false, canStart: party == .mentor && (due?.canStart ?? false),
            values: values, errors: errors)
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
