import BMETDomain
import Fluent
import Vapor

/// Progress of a group of apprentices at once, for the mentor's, employer's and sponsor's dashboards.
enum Cohort {
    struct Row {
        let apprentice: Apprentice
        let progress: ApprenticeProgress
        let review: ProgressReviews.Due?
        let pendingEntries: Int
        let openRequests: Int
    }

    /// `apprentices` should have `mentor` and `employer` loaded when the caller shows them.
    static func rows(_ apprentices: [Apprentice], today: Date = ProgramCalendar.today(), on db: any Database) async throws -> [Row] {
        let ids = apprentices.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        var reviews: [UUID: Int] = [:]
        for review in try await ProgressReview.query(on: db).filter(\.$apprentice.$id ~~ ids).field(\.$apprentice.$id).all() {
            reviews[review.$apprentice.id, default: 0] += 1
        }
        var pending: [UUID: Int] = [:]
        for entry in try await HourEntry.query(on: db).filter(\.$apprentice.$id ~~ ids).filter(\.$status == .pending).field(\.$apprentice.$id).all() {
            pending[entry.$apprentice.id, default: 0] += 1
        }
        var requests: [UUID: Int] = [:]
        for request in try await AssessmentRequest.query(on: db).filter(\.$apprentice.$id ~~ ids).filter(\.$answeredBy.$id == nil).field(\.$apprentice.$id).all() {
            requests[request.$apprentice.id, default: 0] += 1
        }
        let progress = try await ProgressReader.progress(of: apprentices, today: today, on: db)
        var rows: [Row] = []
        for apprentice in apprentices {
            let id = try apprentice.requireID()
            guard let figures = progress[id] else { continue }
            rows.append(Row(apprentice: apprentice, progress: figures,
                            review: ProgressReviews.next(for: apprentice, reviewsOnFile: reviews[id] ?? 0, today: today),
                            pendingEntries: pending[id] ?? 0, openRequests: requests[id] ?? 0))
        }
        return rows
    }
}
