import Foundation
import Fluent
import SQLKit

/// An apprentice's logged hours by where they stand: approved, waiting for the mentor, rejected (and not yet fixed).
/// Progress counts only approved hours; the dashboard shows all three apart, so 55 hours waiting never read as 0.
struct HourStates: Encodable, Equatable {
    let approved: String
    let waiting: String
    let rejected: String
    let waitingMinutes: Int
    let rejectedMinutes: Int
    /// The hours tab, where rejected entries are fixed.
    let hoursPath: String

    private struct Row: Decodable { let status: String; let minutes: Int }

    /// A rejection still open for the apprentice (`h` is the entry): nothing was resubmitted for it yet, and it is not a
    /// rejected correction of hours that stay approved (those hours still count; the correction simply did not).
    static let openRejection: SQLQueryString = """
        h.status = 'rejected'
        AND NOT EXISTS (SELECT 1 FROM \(ident: HourEntry.schema) c WHERE c.corrects_id = h.id)
        AND NOT EXISTS (SELECT 1 FROM \(ident: HourEntry.schema) o WHERE o.id = h.corrects_id AND o.status <> 'rejected')
        """

    /// One grouped statement on the (apprentice, status, day) index. The sum is cast: PostgreSQL sums a bigint column as
    /// numeric, which does not decode as Int.
    static func read(_ apprenticeID: UUID, on db: any Database) async throws -> HourStates {
        let sql = try db.sql()
        let rows = try await sql.raw("""
            SELECT h.status, CAST(SUM(h.minutes) AS BIGINT) AS minutes FROM \(ident: HourEntry.schema) h
            WHERE h.apprentice_id = \(bind: apprenticeID)
              AND (h.status IN (\(binds: [HourEntry.Status.approved, .pending].map(\.rawValue))) OR (\(openRejection)))
            GROUP BY h.status
            """).all(decoding: Row.self)
        let minutes = Dictionary(rows.map { ($0.status, $0.minutes) }, uniquingKeysWith: +)
        let approved = minutes[HourEntry.Status.approved.rawValue] ?? 0
        let waiting = minutes[HourEntry.Status.pending.rawValue] ?? 0
        let rejected = minutes[HourEntry.Status.rejected.rawValue] ?? 0
        return HourStates(approved: Hours.text(Double(approved) / 60), waiting: Hours.text(Double(waiting) / 60),
                          rejected: Hours.text(Double(rejected) / 60), waitingMinutes: waiting, rejectedMinutes: rejected,
                          hoursPath: "/apprentices/\(apprenticeID)/hours")
    }

    /// Open rejections of days from `since` on: what the apprentice's next step asks them to fix.
    static func openRejections(_ apprenticeID: UUID, since day: String, on db: any Database) async throws -> Int {
        let sql = try db.sql()
        struct Count: Decodable { let n: Int }
        return try await sql.raw("""
            SELECT COUNT(*) AS n FROM \(ident: HourEntry.schema) h
            WHERE h.apprentice_id = \(bind: apprenticeID) AND h.entry_date >= \(bind: day) AND \(openRejection)
            """).first(decoding: Count.self)?.n ?? 0
    }
}
