import Foundation
import Vapor

/// A per-address limit on the public verification routes, so nobody can walk through credential numbers: at most
/// `limit` lookups a minute from one address. Kept in memory: a lookup is cheap and the limit is a brake, not an
/// account (the sign-in and form limits, which must hold across instances, are in the database).
final class VerificationThrottle: @unchecked Sendable {
    static let limit = 30
    static let window: TimeInterval = 60

    /// How long a lookup counts: a minute in use; tests that cannot make 30 requests within a minute on a busy machine
    /// give a longer one.
    let window: TimeInterval

    init(window: TimeInterval = VerificationThrottle.window) { self.window = window }

    private let lock = NSLock()
    private var hits: [String: [Date]] = [:]

    /// Counts one lookup; the seconds to wait when the address is over the limit, else nil.
    func admit(_ address: String, now: Date = Date()) -> Int? {
        lock.withLock {
            let since = now.addingTimeInterval(-window)
            var recent = (hits[address] ?? []).filter { $0 > since }
            if recent.count >= Self.limit {
                hits[address] = recent
                return max(1, Int((recent[0].timeIntervalSince(since)).rounded(.up)))
            }
            recent.append(now)
            hits[address] = recent
            if hits.count > 10_000 { hits = hits.filter { $0.value.last.map { $0 > since } ?? false } }
            return nil
        }
    }

    struct Key: StorageKey { typealias Value = VerificationThrottle }

    struct Middleware: AsyncMiddleware {
        func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            if let wait = req.application.verificationThrottle.admit(req.clientIP ?? "unknown") {
                throw Abort(.tooManyRequests, headers: ["Retry-After": String(wait)],
                            reason: "Too many verifications from your address in the last minute. Please wait \(wait) seconds and try again.")
            }
            return try await next.respond(to: req)
        }
    }
}

extension Application {
    var verificationThrottle: VerificationThrottle {
        get {
            if let throttle = storage[VerificationThrottle.Key.self] { return throttle }
            let throttle = VerificationThrottle()
            storage[VerificationThrottle.Key.self] = throttle
            return throttle
        }
        set { storage[VerificationThrottle.Key.self] = newValue }
    }
}
