import Fluent
import Vapor

/// Per-address limits on the public forms, counted in the database so they hold across app instances.
/// Each submission is counted under the sender's e-mail and under their IP address.
enum FormThrottle {
    static let maxPerHour = 5

    /// Refuses with 429 when this e-mail or address already sent `maxPerHour` of `form` in the last hour.
    static func check(form: String, keys: [String?], what: String, on db: any Database, now: Date) async throws {
        let hourAgo = now.addingTimeInterval(-3600)
        for key in keys.compactMap({ $0 }) {
            let recent = try await FormSubmission.query(on: db)
                .filter(\.$form == form).filter(\.$key == key).filter(\.$createdAt > hourAgo).count()
            if recent >= maxPerHour {
                throw Abort(.tooManyRequests, reason: "We received several \(what) from you in the last hour. Please try again later.")
            }
        }
    }

    /// Counts one submission (inside the submission's own transaction).
    static func record(form: String, keys: [String?], on db: any Database, now: Date) async throws {
        for key in keys.compactMap({ $0 }) {
            try await FormSubmission(form: form, key: key, at: now).create(on: db)
        }
    }
}
