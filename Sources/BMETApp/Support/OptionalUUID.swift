import Foundation

/// An optional id from a form or JSON body where an empty or malformed value means "not chosen".
/// A `<select>` left on "Choose…" posts an empty string; without this the whole form would fail to decode
/// (a 400 page) instead of coming back with "Choose the employer" next to the field.
@propertyWrapper
struct OptionalUUID: Codable, Sendable, Equatable {
    var wrappedValue: UUID?

    init(wrappedValue: UUID?) {
        self.wrappedValue = wrappedValue
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { wrappedValue = nil; return }
        wrappedValue = (try? container.decode(String.self)).flatMap { UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension KeyedDecodingContainer {
    /// A missing key is "not chosen" too.
    func decode(_ type: OptionalUUID.Type, forKey key: Key) throws -> OptionalUUID {
        try decodeIfPresent(type, forKey: key) ?? OptionalUUID(wrappedValue: nil)
    }
}
