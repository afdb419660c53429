/// A parsed `from`/`to` field: the bare address for the SMTP envelope plus an
/// optional display name for the header.
struct MailAddress: Sendable, Equatable {
    var displayName: String?
    var address: String

    /// Accepts `addr@host` or `Display Name <addr@host>`.
    ///
    /// Addresses must be ASCII (we do not negotiate SMTPUTF8) and may not
    /// contain whitespace, control characters or angle brackets, which is also
    /// what keeps envelope commands and headers from being injected into.
    init(parsing field: String, role: String) throws(SMTPError) {
        guard !field.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidMessage("\(role) contains a control character (CR/LF header injection is refused)")
        }
        let trimmed = field.trimmingWhitespace()
        var address = trimmed
        var displayName: String?
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            let name = String(trimmed[..<open]).trimmingWhitespace().removingSurroundingQuotes()
            displayName = name.isEmpty ? nil : name
        }
        guard Self.isValidAddress(address) else {
            throw .invalidMessage("\(role) is not a valid e-mail address: \(field)")
        }
        self.displayName = displayName
        self.address = address
    }

    /// Deliberately conservative: one `@`, non-empty local part and domain, printable ASCII only.
    private static func isValidAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, address.utf8.count <= 254 else { return false }
        return address.utf8.allSatisfy { byte in
            byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "<") && byte != UInt8(ascii: ">")
                && byte != UInt8(ascii: "(") && byte != UInt8(ascii: ")") && byte != UInt8(ascii: ",")
                && byte != UInt8(ascii: ";") && byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "\"")
        }
    }

    /// The domain part, used to build a Message-ID under the sender's domain.
    var domain: Substring {
        address[address.index(after: address.lastIndex(of: "@")!)...]
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    fileprivate func removingSurroundingQuotes() -> String {
        guard count >= 2, hasPrefix("\""), hasSuffix("\"") else { return self }
        return String(dropFirst().dropLast()).replacingOccurrences("\\\"", with: "\"")
    }

    fileprivate func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
