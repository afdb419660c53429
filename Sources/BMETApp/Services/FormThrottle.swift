import Fluent
import Vapor

/// Per-address limits on the public forms, counted in the database so they hold across app instances.
/// Each submission is counted under the sender's e-mail and under their IP address.
enum FormThrottle {
    static let maxPerHour = 5
    static let window: TimeInterval = 3600

    /// Refuses with 429 when this e-mail or address already sent `maxPerHour` of `form` in the last hour.
    /// A cheap early answer only: `claim` is the check that holds under concurrency.
    static func check(form: String, keys: [String?], what: String, on db: any Database, now: Date) async throws {
        for key in keys.compactMap({ $0 }) {
            try await refuseIfFull(form: form, key: key, what: what, on: db, now: now)
        }
    }

    /// Counts one submission, inside the submission's own transaction and before anything else is written in it:
    /// locks the keys, checks the limit and records the try as one step, so concurrent submissions cannot all pass.
    static func claim(form: String, keys: [String?], what: String, on db: any Database, now: Date) async throws {
        let keys = keys.compactMap { $0 }
        try await ThrottleLock.lock(keys.map { "form:\(form):\($0)" }, on: db)
        for key in keys {
            try await refuseIfFull(form: form, key: key, what: what, on: db, now: now)
        }
        for key in keys {
            try await FormSubmission(form: form, key: key, at: now).create(on: db)
        }
    }

    private static func refuseIfFull(form: String, key: String, what: String, on db: any Database, now: Date) async throws {
        let recent = try await FormSubmission.query(on: db)
            .filter(\.$form == form).filter(\.$key == key).filter(\.$createdAt > now.addingTimeInterval(-window))
            .sort(\.$createdAt, .descending).limit(maxPerHour).all()
        if recent.count >= maxPerHour {
            let seconds = ThrottleLock.retryAfter(oldest: recent.last?.createdAt, window: window, now: now)
            throw Abort(.tooManyRequests, headers: ["Retry-After": String(seconds)],
                        reason: "We received several \(what) from you in the last hour. Please try again later.")
        }
    }
}
