import Foundation
import Synchronization

/// Time-ordered ids (UUID version 7, RFC 9562): 48 bits of Unix milliseconds, 12 bits of counter, 62 random bits.
/// Ids made one after another sort one after another (also as the upper-case text SQLite stores), so a bulk write
/// appends to the right edge of each primary-key index instead of touching a random page of it per row — the cost that
/// made large loads slow down as their indexes outgrew the page cache (docs/PERFORMANCE.md). They are as unguessable
/// as version-4 ids for what ids are used for here (never as secrets), and every column that holds a UUID takes them.
enum TimeOrderedID {
    /// The last (milliseconds << 12 | counter) handed out: the next id is later even when the clock stands still or
    /// goes back.
    private static let last = Mutex<UInt64>(0)

    static func make(now: Date = Date()) -> UUID {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let tick = last.withLock { last in
            last = max(millis << 12, last + 1)
            return last
        }
        var random = SystemRandomNumberGenerator()
        return uuid(tick: tick, random: random.next())
    }

    /// The id of `tick` (milliseconds << 12 | counter) with the given random bits.
    static func uuid(tick: UInt64, random: UInt64) -> UUID {
        let millis = tick >> 12, counter = tick & 0xFFF
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - i))) }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: counter >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        for i in 0..<8 { bytes[8 + i] = UInt8(truncatingIfNeeded: random >> (8 * (7 - i))) }
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
