import Foundation
import Testing

@testable import BMETApp

/// Time-ordered ids are what make bulk loads append to their primary-key indexes (docs/PERFORMANCE.md): they must sort
/// in the order they were made, also as the upper-case text SQLite stores, and still be valid version-7 UUIDs.
@Suite("Time-ordered ids")
struct TimeOrderedIDTests {
    @Test("ids made one after another sort one after another, as UUIDs and as text, even when the clock stands still")
    func ordered() {
        let instant = Date(timeIntervalSince1970: 1_800_000_000)
        let ids = (0..<10_000).map { _ in TimeOrderedID.make(now: instant) }
        #expect(Set(ids).count == ids.count)
        #expect(ids.map(\.uuidString) == ids.map(\.uuidString).sorted())
        // Version 7 and the RFC 9562 variant.
        for id in ids.prefix(100) {
            let text = id.uuidString
            #expect(text[text.index(text.startIndex, offsetBy: 14)] == "7")
            #expect("89AB".contains(text[text.index(text.startIndex, offsetBy: 19)]))
        }
        // The clock going back does not make an earlier id.
        let later = TimeOrderedID.make(now: instant.addingTimeInterval(-3_600))
        #expect(later.uuidString > ids.last!.uuidString)
    }

    @Test("the first 48 bits are the Unix milliseconds")
    func timestamp() {
        let id = TimeOrderedID.uuid(tick: UInt64(1_800_000_000_123) << 12, random: 0)
        #expect(id.uuidString.hasPrefix("01A3185C-507B-7000-8000-"))
    }

    @Test("the generator's seeded ids are the same for the same seed, time-ordered when asked, random otherwise")
    func seeded() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var a = SeededRandom(seed: 7, timeOrderedFrom: start), b = SeededRandom(seed: 7, timeOrderedFrom: start)
        let first = (0..<1_000).map { _ in a.uuid() }
        #expect(first == (0..<1_000).map { _ in b.uuid() })
        #expect(first.map(\.uuidString) == first.map(\.uuidString).sorted())
        var random = SeededRandom(seed: 7)
        let shuffled = (0..<1_000).map { _ in random.uuid().uuidString }
        #expect(shuffled != shuffled.sorted())
    }
}
