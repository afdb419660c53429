import Foundation
import Testing

@testable import BMETMail

struct MessageRendererTests {
    func render(_ message: MailMessage) throws -> String {
        try MessageRenderer(message).render(date: Date(timeIntervalSince1970: 1_709_210_096), messageID: "fixed")
    }

    /// Decodes a header value made of RFC 2047 "B" encoded-words, as a mail client would.
    func decodeEncodedWords(_ value: String) -> String {
        let bytes = value.components(separatedBy: "\r\n ").flatMap { word -> [UInt8] in
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { return Array(word.utf8) }
            return Array(Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))!)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func asciiMessageHasAllHeaders() throws {
        let text = try render(MailMessage(from: "noreply@bmet.test", to: "Ada <ada@bmet.test>", subject: "Welcome", textBody: "Hi"))
        #expect(text == """
            Date: Thu, 29 Feb 2024 12:34:56 +0000\r
            From: noreply@bmet.test\r
            To: Ada <ada@bmet.test>\r
            Subject: Welcome\r
            Message-ID: <fixed@bmet.test>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 7bit\r
            \r
            Hi\r

            """)
    }

    @Test func nonASCIISubjectIsRFC2047Encoded() throws {
        let subject = "Passwort zurücksetzen – Ausbildung zum Medizintechniker (BMET) 🔧"
        let text = try render(MailMessage(from: "noreply@bmet.test", to: "ada@bmet.test", subject: subject, textBody: "x"))
        let header = try #require(text.components(separatedBy: "\r\n").firstIndex { $0.hasPrefix("Subject: ") })
        let lines = text.components(separatedBy: "\r\n")
        var folded = [String(lines[header].dropFirst("Subject: ".count))]
        var index = header + 1
        while lines[index].hasPrefix(" ") {
            folded.append(String(lines[index].dropFirst()))
            index += 1
        }
        #expect(folded.count > 1)
        #expect(folded.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.utf8.count <= 75 })
        #expect(lines[header...].prefix(folded.count).allSatisfy { $0.utf8.count <= 78 })
        #expect(decodeEncodedWords(folded.joined(separator: "\r\n ")) == subject)
    }

    @Test func longASCIISubjectIsFoldedNotEncoded() throws {
        let subject = Array(repeating: "apprenticeship", count: 12).joined(separator: " ")
        let text = try render(MailMessage(from: "a@bmet.test", to: "b@bmet.test", subject: subject, textBody: "x"))
        #expect(!text.contains("=?UTF-8?"))
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(text.contains("Subject: apprenticeship"))
        #expect(text.replacingOccurrences(of: "\r\n ", with: " ").contains("Subject: \(subject)\r\n"))
    }

    @Test func nonASCIIDisplayNameIsEncoded() throws {
        let text = try render(MailMessage(from: "Jürgen <j@bmet.test>", to: "\"Doe, Jane\" <jane@bmet.test>", subject: "x", textBody: "x"))
        #expect(text.contains("From: =?UTF-8?B?\(Data("Jürgen".utf8).base64EncodedString())?= <j@bmet.test>\r\n"))
        #expect(text.contains("To: \"Doe, Jane\" <jane@bmet.test>\r\n"))
    }

    @Test func nonASCIIBodyIsQuotedPrintable() throws {
        let body = "Grüße, Ada!\nLine with trailing space \n" + String(repeating: "é", count: 40) + "\n= sign"
        let text = try render(MailMessage(from: "a@bmet.test", to: "b@bmet.test", subject: "x", textBody: body))
        #expect(text.contains("Content-Transfer-Encoding: quoted-printable\r\n"))
        let encoded = text.components(separatedBy: "\r\n\r\n")[1]
        #expect(encoded.hasPrefix("Gr=C3=BC=C3=9Fe, Ada!\r\nLine with trailing space=20\r\n"))
        #expect(encoded.hasSuffix("=3D sign\r\n"))
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        #expect(encoded.utf8.allSatisfy { $0 < 0x80 })
        #expect(decodeQuotedPrintable(encoded) == body.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n")
    }

    @Test func lineEndingsAreNormalisedToCRLF() {
        #expect(MessageRenderer.normalizedLines("a\r\nb\nc\rd\n") == ["a", "b", "c", "d"])
        #expect(MessageRenderer.normalizedLines("") == [""])
        #expect(MessageRenderer.normalizedLines("\n\n") == ["", ""])
    }

    @Test func dotStuffingAndTerminator() {
        let payload = MessageRenderer.dataPayload("Subject: x\r\n\r\n.\r\n.a\r\nb.\r\n..\r\n")
        #expect(String(decoding: payload, as: UTF8.self) == "Subject: x\r\n\r\n..\r\n..a\r\nb.\r\n...\r\n.\r\n")
        let unterminated = MessageRenderer.dataPayload("x")
        #expect(String(decoding: unterminated, as: UTF8.self) == "x\r\n.\r\n")
    }

    @Test(arguments: [
        (0.0, "Thu, 01 Jan 1970 00:00:00 +0000"),
        (-1.0, "Wed, 31 Dec 1969 23:59:59 +0000"),
        (951_782_400.0, "Tue, 29 Feb 2000 00:00:00 +0000"),
        (4_102_444_799.0, "Thu, 31 Dec 2099 23:59:59 +0000"),
    ])
    func rfc5322Dates(_ seconds: Double, expected: String) {
        #expect(MessageRenderer.rfc5322Date(Date(timeIntervalSince1970: seconds)) == expected)
    }

    private func decodeQuotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        var input = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)[...]
        while let byte = input.popFirst() {
            if byte == UInt8(ascii: "="), input.count >= 2 {
                bytes.append(UInt8(String(decoding: input.prefix(2), as: UTF8.self), radix: 16)!)
                input = input.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
