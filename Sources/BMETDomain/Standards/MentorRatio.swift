/// The most apprentices one group of mentors may supervise, e.g. 2 apprentices : 1 mentor.
public struct MentorRatio: Codable, Sendable, Equatable {
    public var apprentices: Int
    public var mentors: Int

    public init(apprentices: Int, mentors: Int) {
        self.apprentices = apprentices
        self.mentors = mentors
    }

    /// Whether `apprentices` apprentices may train under `mentors` mentors.
    public func allows(apprentices count: Int, mentors available: Int) -> Bool {
        count * mentors <= available * apprentices
    }
}
