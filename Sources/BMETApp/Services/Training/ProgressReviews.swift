import BMETDomain
import Fluent
import Vapor

struct ReviewInput: Content {
    var mentorComments: String?
    var apprenticeComments: String?
    var goals: String?
}

/// Quarterly progress reviews: the mentor writes, the apprentice adds their view, all three sign.
enum ProgressReviews {
    static let intervalMonths = 3
    /// Days after a period ends before its review counts as overdue.
    static let graceDays = 14

    /// The last day of review period `number` (1-based).
    static func periodEnd(_ number: Int, start: Date) -> Date {
        ProgramCalendar.probationEnd(start: start, months: number * intervalMonths)
    }

    struct Due { let number: Int; let periodEnd: String; let dueBy: String; let isOverdue: Bool; let canStart: Bool }

    /// The next review to hold, given how many are on file; nil when the apprenticeship is not running.
    static func next(for apprentice: Apprentice, reviewsOnFile: Int, today: Date = ProgramCalendar.today()) -> Due? {
        guard [.probation, .active, .suspended].contains(apprentice.status), let start = ProgramCalendar.day(apprentice.startDate) else { return nil }
        let number = reviewsOnFile + 1
        let end = periodEnd(number, start: start)
        let dueBy = ProgramCalendar.calendar.date(byAdding: .day, value: graceDays, to: end) ?? end
        // A review can be written in the last month of its period.
        let opens = ProgramCalendar.calendar.date(byAdding: .month, value: -1, to: end) ?? end
        return Due(number: number, periodEnd: ProgramCalendar.dayString(end), dueBy: ProgramCalendar.dayString(dueBy),
                   isOverdue: today > dueBy, canStart: today >= opens)
    }

    static func party(of actor: User, for apprentice: Apprentice) -> ReviewSignature.Party? {
        switch actor.role {
        case .mentor where actor.employerID == apprentice.$employer.id: .mentor
        case .apprentice where apprentice.$user.id != nil && apprentice.$user.id == actor.id: .apprentice
        case .employerAdmin where actor.employerID == apprentice.$employer.id: .employer
        default: nil
        }
    }

    /// The mentor opens the next due review with their comments and the goals.
    static func start(_ apprentice: Apprentice, _ input: ReviewInput, by actor: User, on db: any Database) async throws -> ProgressReview {
        guard party(of: actor, for: apprentice) == .mentor else { throw Abort(.forbidden, reason: "A mentor at the apprentice's employer writes the review.") }
        let apprenticeID = try apprentice.requireID()
        let onFile = try await ProgressReview.query(on: db).filter(\.$apprentice.$id == apprenticeID).count()
        guard let due = next(for: apprentice, reviewsOnFile: onFile) else {
            throw ValidationFailure(errors: ["form": "Reviews are held while the apprenticeship is running."])
        }
        guard due.canStart else {
            throw ValidationFailure(errors: ["form": "Review \(due.number) covers the period ending \(due.periodEnd); it can be written from a month before."])
        }
        var errors = FieldErrors()
        let comments = input.mentorComments?.trimmed ?? "", goals = input.goals?.trimmed ?? ""
        if comments.isEmpty { errors["mentorComments"] = "Write how the period went: strengths, what to work on." } else if comments.count > FieldLimits.limit(for: "mentorComments") { errors["mentorComments"] = "At most \(FieldLimits.limit(for: "mentorComments")) characters." }
        if goals.isEmpty { errors["goals"] = "Set the goals for the next period." } else if goals.count > FieldLimits.limit(for: "goals") { errors["goals"] = "At most \(FieldLimits.limit(for: "goals")) characters." }
        guard errors.isEmpty else { throw ValidationFailure(errors: errors) }
        let review = ProgressReview()
        review.$apprentice.id = apprenticeID
        review.periodNumber = due.number
        review.periodEnd = due.periodEnd
        review.mentorComments = comments
        review.apprenticeComments = ""
        review.goals = goals
        review.$createdBy.id = try actor.requireID()
        review.createdAt = Date()
        do { try await review.create(on: db) } catch let error as any DatabaseError where error.isConstraintFailure {
            throw ValidationFailure(errors: ["form": "Review \(due.number) was started meanwhile."])
        }
        return review
    }

    /// The apprentice adds their comments, before anyone signs.
    static func comment(_ review: ProgressReview, apprentice: Apprentice, text: String?, by actor: User, on db: any Database) async throws {
        guard party(of: actor, for: apprentice) == .apprentice else { throw Abort(.forbidden, reason: "Only the apprentice adds their comments.") }
        let comments = text?.trimmed ?? ""
        if comments.isEmpty { throw ValidationFailure(errors: ["apprenticeComments": "Write your view of the period."]) }
        let limit = FieldLimits.limit(for: "apprenticeComments")
        if comments.count > limit { throw ValidationFailure(errors: ["apprenticeComments": "At most \(limit) characters."]) }
        if try await ReviewSignature.query(on: db).filter(\.$review.$id == review.requireID()).count() > 0 {
            throw ValidationFailure(errors: ["apprenticeComments": "The review has been signed; its text can no longer change."])
        }
        review.apprenticeComments = comments
        try await review.update(on: db)
    }

    static func sign(_ review: ProgressReview, apprentice: Apprentice, by actor: User, on db: any Database) async throws {
        guard let party = party(of: actor, for: apprentice) else { throw Abort(.forbidden, reason: "You do not sign this review.") }
        // Everyone signs the finished text: the apprentice's comments come first, since signing freezes it.
        if review.apprenticeComments.isEmpty {
            throw ValidationFailure(errors: ["form": party == .apprentice ? "Add your comments before you sign."
                                                                           : "The apprentice adds their comments first; then all three sign."])
        }
        let reviewID = try review.requireID()
        try await db.writeTransaction { db in
            try await TrainingLock.lock(apprentice.requireID(), on: db)
            if try await ReviewSignature.query(on: db).filter(\.$review.$id == reviewID).filter(\.$party == party).first() != nil {
                throw ValidationFailure(errors: ["form": "The \(party.label.lowercased()) has already signed."])
            }
            let signature = ReviewSignature()
            signature.$review.id = reviewID
            signature.party = party
            signature.$signer.id = try actor.requireID()
            signature.signedAt = Date()
            try await signature.create(on: db)
            try await AuditLog.record(.reviewSigned, .apprentice(apprentice.id),
                                      "\(party.label) signed progress review \(review.periodNumber) of \(apprentice.fullName)", by: actor, on: db)
            if try await ReviewSignature.query(on: db).filter(\.$review.$id == reviewID).count() == ReviewSignature.Party.allCases.count {
                review.completedAt = signature.signedAt
                try await review.update(on: db)
            }
        }
    }
}
