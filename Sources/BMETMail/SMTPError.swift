/// Why an SMTP delivery (or its configuration) failed.
///
/// `description` is meant for logs and operators: it names the step and, when
/// the server answered, its reply. It never contains credentials or the body.
public struct SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The message cannot be sent as given (e.g. CR/LF in a header field).
        case invalidMessage
        /// `SMTPConfiguration.fromEnvironment` found a bad value.
        case invalidConfiguration
        /// The TCP (or implicit TLS) connection could not be established.
        case connectionFailed
        /// The server did not answer within `SMTPConfiguration.timeout`.
        case timeout
        /// The server closed the connection in the middle of a step.
        case connectionClosed
        /// The server answered with a code the step does not accept.
        case unexpectedReply
        /// The server lacks an extension the configuration requires (STARTTLS, AUTH).
        case unsupportedByServer
        /// The server sent something that is not an SMTP reply.
        case protocolViolation
        /// TLS negotiation or the encrypted connection failed.
        case tls
    }

    public var kind: Kind
    /// The protocol step that failed, e.g. `"RCPT TO"`; nil for failures outside a conversation.
    public var step: String?
    /// The server's reply code, when the failure is a reply.
    public var replyCode: Int?
    /// The server's reply text (continuation lines joined with a space).
    public var replyText: String?
    /// Human-readable detail for failures that are not a server reply.
    public var detail: String?

    public init(kind: Kind, step: String? = nil, replyCode: Int? = nil, replyText: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.step = step
        self.replyCode = replyCode
        self.replyText = replyText
        self.detail = detail
    }

    public var description: String {
        var text: String
        if let replyCode {
            text = "SMTP server replied \(replyCode) to \(step ?? "command")"
            if let replyText, !replyText.isEmpty { text += ": \(replyText)" }
        } else {
            text = "SMTP \(kind.phrase)"
            if let step { text += " during \(step)" }
        }
        if let detail { text += " (\(detail))" }
        return text
    }
}

extension SMTPError.Kind {
    fileprivate var phrase: String {
        switch self {
        case .invalidMessage: "message rejected before sending"
        case .invalidConfiguration: "configuration invalid"
        case .connectionFailed: "connection failed"
        case .timeout: "timeout"
        case .connectionClosed: "connection closed by server"
        case .unexpectedReply: "unexpected reply"
        case .unsupportedByServer: "server lacks a required extension"
        case .protocolViolation: "protocol violation"
        case .tls: "TLS failure"
        }
    }
}

extension SMTPError {
    static func invalidMessage(_ detail: String) -> SMTPError {
        SMTPError(kind: .invalidMessage, detail: detail)
    }

    static func invalidConfiguration(_ detail: String) -> SMTPError {
        SMTPError(kind: .invalidConfiguration, detail: detail)
    }

    static func unexpectedReply(_ reply: SMTPReply, step: String) -> SMTPError {
        SMTPError(kind: .unexpectedReply, step: step, replyCode: reply.code, replyText: reply.text)
    }
}
