/// One level of the scale a mentor rates a skill on.
public struct RatingLevel: Codable, Sendable, Equatable {
    public var code: String
    public var label: String
    /// A rating at this level signs the skill off as demonstrated.
    public var signsOff: Bool
    public var description: String?

    public init(code: String, label: String, signsOff: Bool, description: String? = nil) {
        self.code = code
        self.label = label
        self.signsOff = signsOff
        self.description = description
    }
}
