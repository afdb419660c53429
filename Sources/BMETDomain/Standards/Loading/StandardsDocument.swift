import Foundation

/// Reads standards files. A file is accepted whole or refused whole: nothing half-valid comes out.
public enum StandardsDocument {
    /// Parses, decodes and validates a standards file.
    ///
    /// Every problem is reported in one pass, each with its path: malformed JSON (one issue at `$`, with line
    /// and column), then missing, mistyped and unknown fields, then the rules in ``validate(_:)``. A rule is
    /// skipped for a field that already has a decoding problem, so one mistake is not reported twice.
    public static func decode(_ data: Data) throws(StandardsValidationError) -> ProgramStandards {
        let tree: JSONValue
        do {
            tree = try JSONParser.parse(data)
        } catch {
            throw StandardsValidationError(issues: [
                StandardsIssue(path: IssuePath.root, message: "is not valid JSON: \(error)")
            ])
        }
        // A later schema may be shaped differently: say so rather than list its differences as mistakes.
        if case .object(let members) = tree, case .number(let version)? = members["schemaVersion"],
            version != Double(ProgramStandards.currentSchemaVersion)
        {
            throw StandardsValidationError(issues: [unsupportedVersion(MessageFormat.number(version))])
        }

        let (decoded, decodingIssues) = TreeDecoder.decode(ProgramStandards.self, from: tree)
        guard let standards = decoded else {
            throw StandardsValidationError(issues: decodingIssues.isEmpty ? [unreadable] : decodingIssues)
        }
        let ruleIssues = StandardsRules(checking: standards, undecodablePaths: decodingIssues.map(\.path)).issues
        let issues = decodingIssues + ruleIssues
        guard issues.isEmpty else { throw StandardsValidationError(issues: issues) }
        return standards
    }

    /// Reads and decodes a standards file from disk. An unreadable file is one issue at `$`.
    public static func load(contentsOf url: URL) throws(StandardsValidationError) -> ProgramStandards {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw StandardsValidationError(issues: [
                StandardsIssue(path: IssuePath.root, message: "cannot be read: \(error.localizedDescription)")
            ])
        }
        return try decode(data)
    }

    /// The rules a well-formed document must also meet (29 CFR 29 and internal consistency).
    /// Returns an empty array when the document is valid.
    public static func validate(_ standards: ProgramStandards) -> [StandardsIssue] {
        StandardsRules(checking: standards).issues
    }

    private static func unsupportedVersion(_ version: String) -> StandardsIssue {
        StandardsIssue(
            path: "schemaVersion",
            message:
                "must be \(ProgramStandards.currentSchemaVersion); this build cannot read schema version \(version)")
    }

    private static let unreadable = StandardsIssue(
        path: IssuePath.root, message: "could not be read as a standards document")
}
