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

    /// One grouped statement on the (apprentice, status, day) index. The sum is cast: PostgreSQL sums a bigint column as
    /// numeric, which does not decode as Int.
    static func read(_ apprenticeID: UUID, on db: any Database) async throws -> HourStates {
        guard let sql = db as? any SQLDatabase else { throw SQLRequired() }
        let rows = try await sql.raw("""
            SELECT status, CAST(SUM(minutes) AS BIGINT) AS minutes FROM \(ident: HourEntry.schema)
            WHERE apprentice_id = \(bind: apprenticeID) AND status IN (\(binds: [HourEntry.Status.approved, .pending, .rejected].map(\.rawValue)))
            GROUP BY status
            """).all(decoding: Row.self)
        let minutes = Dictionary(rows.map { ($0.status, $0.minutes) }, uniquingKeysWith: +)
        let approved = minutes[HourEntry.Status.approved.rawValue] ?? 0
        let waiting = minutes[HourEntry.Status.pending.rawValue] ?? 0
        let rejected = minutes[HourEntry.Status.rejected.rawValue] ?? 0
        return HourStates(approved: Hours.text(Double(approved) / 60), waiting: Hours.text(Double(waiting) / 60),
                          rejected: Hours.text(Double(rejected) / 60), waitingMinutes: waiting, rejectedMinutes: rejected,
                          hoursPath: "/apprentices/\(apprenticeID)/hours")
    }
}
