import Foundation

/// A standards document was refused. Holds every problem found, not just the first.
public struct StandardsValidationError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    public let issues: [StandardsIssue]

    public init(issues: [StandardsIssue]) {
        self.issues = issues
    }

    /// One line per issue, after a count.
    public var description: String {
        let count = issues.count == 1 ? "1 problem" : "\(issues.count) problems"
        return (["The standards file was refused (\(count)):"] + issues.map { "  \($0)" }).joined(separator: "\n")
    }

    public var errorDescription: String? { description }
}
