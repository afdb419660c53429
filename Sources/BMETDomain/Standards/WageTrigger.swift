/// What moves an apprentice onto a wage step.
///
/// JSON: `{"kind":"start"}`, `{"kind":"hours","value":2000}`, `{"kind":"months","value":6}`,
/// `{"kind":"skills","value":98}` (skills signed off), `{"kind":"credential","credential":"cabt"}`.
/// A struct rather than an enum with payloads so the JSON stays flat and readable.
public struct WageTrigger: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case start, hours, months, skills, credential
    }

    public var kind: Kind
    /// Hours, months or skills, for those kinds.
    public var value: Int?
    /// The credential's code, for `credential`.
    public var credential: String?

    public init(kind: Kind, value: Int? = nil, credential: String? = nil) {
        self.kind = kind
        self.value = value
        self.credential = credential
    }

    public static let start = WageTrigger(kind: .start)
    public static func hours(_ hours: Int) -> WageTrigger { WageTrigger(kind: .hours, value: hours) }
    public static func months(_ months: Int) -> WageTrigger { WageTrigger(kind: .months, value: months) }
    public static func skills(_ count: Int) -> WageTrigger { WageTrigger(kind: .skills, value: count) }
    public static func credential(_ code: String) -> WageTrigger { WageTrigger(kind: .credential, credential: code) }
}
