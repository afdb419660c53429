import Foundation

/// SplitMix64: small, fast and seedable, so `bmet seed scale --seed S` writes the same people, days and ratings every time.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    /// When set, `uuid()` makes time-ordered ids (version 7) from this tick on (milliseconds << 12, counted up by one per
    /// id), so a load appends to its primary-key indexes; otherwise random version-4 ids.
    private var tick: UInt64?

    init(seed: UInt64, timeOrderedFrom start: Date? = nil) {
        state = seed
        tick = start.map { UInt64(max(0, $0.timeIntervalSince1970 * 1000)) << 12 }
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A UUID from the stream, so ids are reproducible too: time-ordered when asked for, else version 4.
    mutating func uuid() -> UUID {
        if let current = tick {
            tick = current + 1
            return TimeOrderedID.uuid(tick: current, random: next())
        }
        let a = next(), b = next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * i)); bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (8 * i)) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
}
