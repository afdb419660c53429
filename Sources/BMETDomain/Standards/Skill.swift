/// One competency in the work process schedule.
public struct Skill: Codable, Sendable, Equatable {
    /// Unique across the whole document, e.g. `OS-01`.
    public var code: String
    public var title: String

    public init(code: String, title: String) {
        self.code = code
        self.title = title
    }
}
