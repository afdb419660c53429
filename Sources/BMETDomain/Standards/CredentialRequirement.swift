/// An industry credential earned during the program.
public struct CredentialRequirement: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var issuer: String
    /// The current exam, kept as data because vendors retire exams (CompTIA ITF+ became Tech+ in 2025).
    public var exam: String?
    /// How long the credential stays valid; nil when it does not expire.
    public var validityYears: Int?
    /// Needed to complete the program.
    public var required: Bool
    public var note: String?

    public init(
        code: String,
        name: String,
        issuer: String,
        exam: String? = nil,
        validityYears: Int? = nil,
        required: Bool,
        note: String? = nil
    ) {
        self.code = code
        self.name = name
        self.issuer = issuer
        self.exam = exam
        self.validityYears = validityYears
        self.required = required
        self.note = note
    }
}
