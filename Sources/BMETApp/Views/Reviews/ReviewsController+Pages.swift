import BMETDomain
import Fluent
import Vapor

/// The page models of `ReviewsController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension ReviewsController {
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

    func view(_ req: Request, _ apprentice: Apprentice, values: [String: String] = [:], errors: FieldErrors = [:]) async throws -> View {
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
}
