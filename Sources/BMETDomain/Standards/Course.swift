/// A related technical instruction (RTI) course.
public struct Course: Codable, Sendable, Equatable {
    public var code: String
    public var title: String
    public var hours: Int
    public var description: String?

    public init(code: String, title: String, hours: Int, description: String? = nil) {
        self.code = code
        self.title = title
        self.hours = hours
        self.description = description
    }
}
