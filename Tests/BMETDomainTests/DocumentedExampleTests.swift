import Foundation
import Testing

@testable import BMETDomain

@Suite struct DocumentedExampleTests {
    /// docs/STANDARDS.md promises that its example file loads.
    @Test func theExampleInTheDocsLoads() throws {
        let docsURL = ShippedStandards.url.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/STANDARDS.md")
        let docs = try String(contentsOf: docsURL, encoding: .utf8)
        let exampleSection = try #require(docs.components(separatedBy: "## Example\n").last)
        let json = try #require(
            exampleSection.components(separatedBy: "```json\n").dropFirst().first?.components(separatedBy: "\n```")
                .first)
        let standards = try StandardsDocument.decode(Data(json.utf8))
        #expect(standards.programCode == "example-tech")
        #expect(standards.totalSkillCount == 3)
    }
}
