import Fluent
import SQLKit
import Vapor

/// A lock per throttled key, held until the surrounding transaction ends. Counting tries and recording one under
/// it is atomic: without it, thirty requests at once all read "four so far" and all go ahead.
/// PostgreSQL locks the key's row; SQLite has one writer at a time, which the first write here claims.
enum ThrottleLock {
    static let schema = "throttle_locks"

    /// Locks every key, in a fixed order so two requests holding overlapping keys cannot deadlock.
    /// Must run inside a transaction, before anything else is written in it.
    static func lock(_ keys: [String], on db: any Database) async throws {
        let sql = try db.sql()
        guard db.inTransaction else { throw Abort(.internalServerError, reason: "A throttle lock outside a transaction holds nothing.") }
        for key in Set(keys).sorted() {
            // One statement that both creates the row and write-locks it, so a row removed meanwhile (housekeeping)
            // can never leave the caller without the lock.
            try await sql.raw("INSERT INTO throttle_locks (key) VALUES (\(bind: key)) ON CONFLICT (key) DO UPDATE SET key = excluded.key").run()
        }
    }

    /// Seconds until `oldest` (the oldest counted try) leaves a window of `window` seconds; at least one.
    static func retryAfter(oldest: Date?, window: TimeInterval, now: Date) -> Int {
        guard let oldest else { return Int(window) }
        return max(1, Int(oldest.addingTimeInterval(window).timeIntervalSince(now).rounded(.up)))
    }
}

