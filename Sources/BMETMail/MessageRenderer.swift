#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Renders a `MailMessage` as an RFC 5322 / MIME text message with CRLF line
/// endings, ready for the SMTP DATA phase (after dot-stuffing).
struct MessageRenderer: Sendable {
    var from: MailAddress
    var to: MailAddress
    var subject: String
    var textBody: String

    /// Validates every field that ends up in a header or envelope command;
    /// CR/LF there would let a caller inject headers or SMTP commands.
    init(_ message: MailMessage) throws(SMTPError) {
        self.from = try MailAddress(parsing: message.from, role: "from")
        self.to = try MailAddress(parsing: message.to, role: "to")
        guard !message.subject.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\t" })
        else {
            throw .invalidMessage("subject contains a control character (CR/LF header injection is refused)")
        }
        self.subject = message.subject
        self.textBody = message.textBody
    }

    func render(date: Date = Date(), messageID: String = UUID().uuidString.lowercased()) -> String {
        let body = Self.encodeBody(textBody)
        let headers = [
            "Date: \(Self.rfc5322Date(date))",
            "From: \(Self.headerAddress(from))",
            "To: \(Self.headerAddress(to))",
            Self.unstructuredHeader(name: "Subject", value: subject),
            "Message-ID: <\(messageID)@\(from.domain)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: \(body.encoding)",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + body.text
    }

    // MARK: - Headers

    /// Keep header lines within RFC 5322's recommended 78 characters where we can.
    private static let preferredLineLength = 78

    static func headerAddress(_ address: MailAddress) -> String {
        guard let name = address.displayName else { return address.address }
        if !name.unicodeScalars.allSatisfy(\.isASCII) || name.utf8.count > 60 {
            return encodedWords(name, firstLineUsed: 6) + " <\(address.address)>"
        }
        // Specials (RFC 5322 §3.2.3) force a quoted-string.
        let specials = Set("()<>[]:;@\\,.\"")
        if name.contains(where: { specials.contains($0) }) {
            let escaped = name.flatMap { $0 == "\\" || $0 == "\"" ? ["\\", $0] : [$0] }
            return "\"\(String(escaped))\" <\(address.address)>"
        }
        return "\(name) <\(address.address)>"
    }

    /// Plain ASCII is folded at spaces; anything else (or text that could be
    /// mistaken for an encoded-word) becomes RFC 2047 encoded-words.
    static func unstructuredHeader(name: String, value: String) -> String {
        let prefix = "\(name): "
        let needsEncoding = !value.unicodeScalars.allSatisfy(\.isASCII) || value.contains("=?")
        if !needsEncoding, let folded = foldASCII(value, firstLineUsed: prefix.utf8.count) {
            return prefix + folded
        }
        return prefix + encodedWords(value, firstLineUsed: prefix.utf8.count)
    }

    /// Folds at spaces; nil when a single word would break the 998-octet hard limit.
    private static func foldASCII(_ value: String, firstLineUsed: Int) -> String? {
        var lines: [String] = []
        var current = ""
        var used = firstLineUsed
        for word in value.split(separator: " ", omittingEmptySubsequences: false) {
            if current.isEmpty {
                current = String(word)
            } else if used + current.utf8.count + 1 + word.utf8.count > preferredLineLength {
                lines.append(current)
                used = 0
                current = String(word)
            } else {
                current += " " + word
            }
        }
        lines.append(current)
        guard lines.allSatisfy({ $0.utf8.count < 990 }) else { return nil }
        // Continuation lines begin with the space that was folded away.
        return lines.joined(separator: "\r\n ")
    }

    /// RFC 2047 "B" encoded-words, split on Unicode scalar boundaries so no
    /// word holds a partial UTF-8 sequence, folded one word per line.
    static func encodedWords(_ value: String, firstLineUsed: Int) -> String {
        // 39 bytes -> 52 base64 chars -> 64-char word, which fits after "Subject: ".
        let maxBytesPerWord = 39
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in value.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > maxBytesPerWord {
                words.append(chunk.encodedWord())
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(chunk.encodedWord()) }
        return words.joined(separator: "\r\n ")
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// RFC 5322 §3.3 date in UTC, computed by hand so it never depends on the host locale.
    static func rfc5322Date(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        let weekday = (days + 4).floorModulo(7)  // 1970-01-01 was a Thursday.
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let time = "\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))"
        return "\(weekdays[weekday]), \(two(day)) \(months[month - 1]) \(year) \(time) +0000"
    }

    /// Proleptic Gregorian date for a day count since 1970-01-01 (era-based civil calendar arithmetic).
    private static func civilDate(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468  // Shift epoch to 0000-03-01 so leap days fall at year end.
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    // MARK: - Body

    /// Pure ASCII with short lines goes out as-is (7bit); anything else is
    /// quoted-printable so it survives servers without 8BITMIME.
    static func encodeBody(_ body: String) -> (encoding: String, text: String) {
        let lines = normalizedLines(body)
        let isPlain = lines.allSatisfy { line in line.utf8.count <= 998 && line.utf8.allSatisfy { $0 < 0x80 } }
        if isPlain {
            return ("7bit", lines.map { $0 + "\r\n" }.joined())
        }
        return ("quoted-printable", lines.map { quotedPrintable(Array($0.utf8)) + "\r\n" }.joined())
    }

    /// Splits on CRLF, CR or LF so the output uses CRLF only.
    static func normalizedLines(_ body: String) -> [String] {
        var lines: [String] = []
        var current: [UInt8] = []
        var previousWasCR = false
        for byte in body.utf8 {
            switch byte {
            case UInt8(ascii: "\r"):
                lines.append(String(decoding: current, as: UTF8.self))
                current = []
                previousWasCR = true
                continue
            case UInt8(ascii: "\n"):
                if !previousWasCR {
                    lines.append(String(decoding: current, as: UTF8.self))
                    current = []
                }
            default:
                current.append(byte)
            }
            previousWasCR = false
        }
        // A trailing newline does not start another (empty) line.
        if !current.isEmpty || lines.isEmpty { lines.append(String(decoding: current, as: UTF8.self)) }
        return lines
    }

    /// RFC 2045 §6.7 for one hard line, with soft breaks keeping lines ≤ 76 characters.
    static func quotedPrintable(_ line: [UInt8]) -> String {
        var output: [String] = []
        var current = ""
        for (index, byte) in line.enumerated() {
            let isLast = index == line.count - 1
            let literal =
                (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                || ((byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) && !isLast)
            let token = literal ? String(UnicodeScalar(byte)) : "=" + byte.hexByte
            // 75 leaves room for the "=" of a soft line break.
            if current.utf8.count + token.utf8.count > 75 {
                output.append(current + "=")
                current = ""
            }
            current += token
        }
        output.append(current)
        return output.joined(separator: "\r\n")
    }

    // MARK: - Transport

    /// Dot-stuffing (RFC 5321 §4.5.2) plus the terminating "." line.
    /// Works on bytes so a "." followed by a combining mark is still stuffed.
    static func dataPayload(_ rendered: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(rendered.utf8.count + 16)
        var atLineStart = true
        for byte in rendered.utf8 {
            if atLineStart && byte == UInt8(ascii: ".") { output.append(UInt8(ascii: ".")) }
            output.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        if !output.isEmpty && !atLineStart { output += Array("\r\n".utf8) }
        return output + Array(".\r\n".utf8)
    }
}

extension [UInt8] {
    fileprivate func encodedWord() -> String {
        "=?UTF-8?B?\(Data(self).base64EncodedString())?="
    }
}

extension UInt8 {
    fileprivate var hexByte: String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(self >> 4)], digits[Int(self & 0x0F)]])
    }
}

extension Int {
    fileprivate func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }

    fileprivate func floorModulo(_ divisor: Int) -> Int {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
