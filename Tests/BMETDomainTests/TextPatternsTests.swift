import Testing

@testable import BMETDomain

@Suite struct TextPatternsTests {
    @Test(arguments: ["aami-bmet", "bmet", "a1-b2-c3"])
    func acceptsSlugs(text: String) { #expect(TextPatterns.isSlug(text)) }

    @Test(arguments: ["", "AAMI-bmet", "aami_bmet", "-aami", "aami-", "aami--bmet", "aami bmet"])
    func refusesNonSlugs(text: String) { #expect(!TextPatterns.isSlug(text)) }

    @Test(arguments: ["0888HY", "0888CB", "1234A"])
    func acceptsRAPIDSCodes(text: String) { #expect(TextPatterns.isRAPIDSCode(text)) }

    @Test(arguments: ["0888", "888HY", "0888HYX", "0888hy", "O888HY", "08881Y"])
    func refusesNonRAPIDSCodes(text: String) { #expect(!TextPatterns.isRAPIDSCode(text)) }

    @Test(arguments: ["49-9062.00", "17-3023.01"])
    func acceptsONetSOCCodes(text: String) { #expect(TextPatterns.isONetSOCCode(text)) }

    @Test(arguments: ["49-9062", "499062.00", "49-9062.0", "4a-9062.00", "49-9062-00"])
    func refusesNonONetSOCCodes(text: String) { #expect(!TextPatterns.isONetSOCCode(text)) }

    @Test func codesAllowDotsDashesAndUnderscoresAfterTheFirstCharacter() {
        #expect(TextPatterns.isCode("OS-01"))
        #expect(TextPatterns.isCode("2026.1"))
        #expect(TextPatterns.isCode("cbet_candidate"))
        #expect(!TextPatterns.isCode("-OS"))
        #expect(!TextPatterns.isCode("OS 01"))
        #expect(!TextPatterns.isCode(String(repeating: "A", count: 33)))
    }
}
