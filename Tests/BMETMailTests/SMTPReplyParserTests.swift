import NIOCore
import Testing

@testable import BMETMail

struct SMTPReplyParserTests {
    @Test func multiLineReplyArrivingInPieces() throws {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: "250-smtp.bmet.test hello\r\n250-AUTH PLAIN LOGIN\r\n25")
        #expect(try parser.parse(&buffer) == nil)
        buffer.writeString("0 STARTTLS\r\n")
        let reply = try #require(try parser.parse(&buffer))
        #expect(reply == SMTPReply(code: 250, lines: ["smtp.bmet.test hello", "AUTH PLAIN LOGIN", "STARTTLS"]))
        #expect(SMTPSession.parseExtensions(reply) == ["AUTH": ["PLAIN", "LOGIN"], "STARTTLS": []])
    }

    @Test func bareLFAndCodeOnlyLinesAreTolerated() throws {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: "220\n354 go ahead\r\n")
        #expect(try parser.parse(&buffer) == SMTPReply(code: 220, lines: [""]))
        #expect(try parser.parse(&buffer)?.code == 354)
    }

    @Test(arguments: ["hello\r\n", "25x ok\r\n", "250_ok\r\n", "250-a\r\n251 b\r\n"])
    func malformedRepliesAreRejected(_ input: String) {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: input)
        #expect(throws: SMTPError.self) {
            while try parser.parse(&buffer) != nil {}
        }
    }

    @Test func unboundedLineIsRejected() {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: String(repeating: "a", count: SMTPReplyParser.maximumLineLength + 1))
        #expect(throws: SMTPError.self) { try parser.parse(&buffer) }
    }
}
