import NIOCore

/// Incrementally parses SMTP replies (RFC 5321 §4.2), folding multi-line
/// replies (`250-a` … `250 b`) into one `SMTPReply`.
///
/// Lines ending in a bare LF are tolerated because some servers send them.
struct SMTPReplyParser {
    /// RFC 5321 caps reply lines at 512 octets; allow slack but never buffer without bound.
    static let maximumLineLength = 4096
    /// Guards against a server that streams continuation lines forever.
    static let maximumLinesPerReply = 1000

    private var pendingCode: Int?
    private var pendingLines: [String] = []

    /// Consumes lines from `buffer`; returns a reply once its last line has
    /// arrived, or nil when more bytes are needed.
    mutating func parse(_ buffer: inout ByteBuffer) throws(SMTPError) -> SMTPReply? {
        while let line = try Self.readLine(&buffer) {
            if let reply = try consume(line: line) { return reply }
        }
        return nil
    }

    private static func readLine(_ buffer: inout ByteBuffer) throws(SMTPError) -> String? {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > maximumLineLength {
                throw SMTPError(kind: .protocolViolation, detail: "reply line longer than \(maximumLineLength) bytes")
            }
            return nil
        }
        var line = buffer.readString(length: newline - buffer.readerIndex) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }

    private mutating func consume(line: String) throws(SMTPError) -> SMTPReply? {
        let bytes = Array(line.utf8)
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        guard bytes.count >= 3, bytes[0..<3].allSatisfy(isDigit),
            separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-"),
            let code = Int(String(decoding: bytes[0..<3], as: UTF8.self))
        else {
            throw SMTPError(kind: .protocolViolation, detail: "malformed reply line: \(line.prefix(80))")
        }
        if let pendingCode, pendingCode != code {
            throw SMTPError(kind: .protocolViolation, detail: "reply code changed from \(pendingCode) to \(code) mid-reply")
        }
        pendingCode = code
        pendingLines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        if pendingLines.count > Self.maximumLinesPerReply {
            throw SMTPError(kind: .protocolViolation, detail: "reply has more than \(Self.maximumLinesPerReply) lines")
        }

        guard separator == UInt8(ascii: " ") else { return nil }
        defer {
            pendingCode = nil
            pendingLines = []
        }
        return SMTPReply(code: code, lines: pendingLines)
    }
}
