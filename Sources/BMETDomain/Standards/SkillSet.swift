/// A group of skills in the work process schedule, with the on-the-job hours planned for it.
public struct SkillSet: Codable, Sendable, Equatable {
    public var code: String
    public var title: String
    public var hours: Int
    public var description: String?
    public var skills: [Skill]

    public init(code: String, title: String, hours: Int, description: String? = nil, skills: [Skill]) {
        self.code = code
        self.title = title
        self.hours = hours
        self.description = description
        self.skills = skills
    }
}
