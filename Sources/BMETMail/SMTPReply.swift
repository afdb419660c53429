/// One complete server reply; multi-line replies (`250-a`, `250 b`) are folded into one value.
struct SMTPReply: Sendable, Equatable {
    var code: Int
    /// Text of each line without the code and separator.
    var lines: [String]

    var text: String { lines.joined(separator: " ") }

    /// 2xx: the command succeeded.
    var isPositiveCompletion: Bool { (200..<300).contains(code) }
}
