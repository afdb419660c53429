/// One problem in a standards document, at a path such as `skillSets[3].hours` (`$` for the whole file).
public struct StandardsIssue: Sendable, Hashable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `skillSets[3].hours: must be greater than 0`
    public var description: String { "\(path): \(message)" }
}
