#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import NIOCore
import NIOSSL

/// One SMTP conversation over an already-connected channel (RFC 5321 §3).
///
/// The client never pipelines: each command waits for its reply, and each
/// round-trip has its own deadline so a silent server cannot hang a request.
struct SMTPSession {
    let channel: any Channel
    var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    let writer: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let configuration: SMTPConfiguration
    let logger: Logger

    /// Extension keywords (upper-cased) from the last EHLO, with their parameters.
    private var extensions: [String: [String]] = [:]

    init(
        channel: any Channel,
        replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator,
        writer: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        configuration: SMTPConfiguration,
        logger: Logger
    ) {
        self.channel = channel
        self.replies = replies
        self.writer = writer
        self.configuration = configuration
        self.logger = logger
    }

    mutating func deliver(from: MailAddress, to: MailAddress, payload: [UInt8], sslContext: NIOSSLContext?) async throws {
        try await expect(roundTrip(nil, step: "greeting"), step: "greeting", accepting: [220])
        try await hello()

        if configuration.security == .startTLS {
            guard let sslContext else {
                throw SMTPError(kind: .tls, step: "STARTTLS", detail: "no TLS context was prepared")
            }
            try await startTLS(sslContext)
            try await hello()  // RFC 3207 §4.2: forget everything learned before TLS.
        }
        if let username = configuration.username, let password = configuration.password {
            try await authenticate(username: username, password: password)
        }

        try await command("MAIL FROM:<\(from.address)>", step: "MAIL FROM", accepting: [250])
        try await command("RCPT TO:<\(to.address)>", step: "RCPT TO", accepting: [250, 251])
        try await command("DATA", step: "DATA", accepting: [354])
        let accepted = try await roundTrip(payload, step: "end of DATA")
        try expect(accepted, step: "end of DATA", accepting: [250])
        logger.debug("SMTP message accepted", metadata: ["smtp.reply": .string(accepted.text)])

        // The message is already accepted; a slow or failed QUIT must not turn that into an error.
        _ = try? await roundTrip(Array("QUIT\r\n".utf8), step: "QUIT", timeout: min(configuration.timeout, .seconds(5)))
    }

    // MARK: - Steps

    private mutating func hello() async throws {
        let ehlo = try await roundTrip(Array("EHLO \(configuration.heloName)\r\n".utf8), step: "EHLO")
        if ehlo.isPositiveCompletion {
            extensions = Self.parseExtensions(ehlo)
            return
        }
        // RFC 5321 §3.2: fall back to HELO, but only when nothing needs an extension.
        let needsExtensions = configuration.security == .startTLS || configuration.username != nil
        guard (500..<600).contains(ehlo.code), !needsExtensions else {
            throw SMTPError.unexpectedReply(ehlo, step: "EHLO")
        }
        try await command("HELO \(configuration.heloName)", step: "HELO", accepting: [250])
        extensions = [:]
    }

    private mutating func startTLS(_ sslContext: NIOSSLContext) async throws {
        guard extensions["STARTTLS"] != nil else {
            throw SMTPError(
                kind: .unsupportedByServer, step: "STARTTLS",
                detail: "server does not advertise STARTTLS; refusing to continue unencrypted")
        }
        // The handler installs TLS itself the moment it decodes the 220 (see SMTPClientHandler).
        let host = configuration.host
        let request = SMTPClientHandler.StartTLSRequest(
            sslContext: sslContext, serverHostname: SMTPMailSender.isIPAddress(host) ? nil : host)
        try await channel.triggerUserOutboundEvent(request).get()
        try await command("STARTTLS", step: "STARTTLS", accepting: [220])
    }

    private mutating func authenticate(username: String, password: String) async throws {
        guard let mechanisms = extensions["AUTH"] else {
            throw SMTPError(kind: .unsupportedByServer, step: "AUTH", detail: "server does not advertise AUTH")
        }
        if mechanisms.contains("PLAIN") {
            // RFC 4616: authzid NUL authcid NUL passwd, sent as the initial response.
            let token = Self.base64([0] + Array(username.utf8) + [0] + Array(password.utf8))
            try await command("AUTH PLAIN \(token)", step: "AUTH PLAIN", accepting: [235])
        } else if mechanisms.contains("LOGIN") {
            try await command("AUTH LOGIN", step: "AUTH LOGIN", accepting: [334])
            try await command(Self.base64(Array(username.utf8)), step: "AUTH LOGIN username", accepting: [334])
            try await command(Self.base64(Array(password.utf8)), step: "AUTH LOGIN password", accepting: [235])
        } else {
            throw SMTPError(
                kind: .unsupportedByServer, step: "AUTH",
                detail: "server offers no supported mechanism (offered: \(mechanisms.joined(separator: " ")); need PLAIN or LOGIN)")
        }
    }

    // MARK: - Plumbing

    @discardableResult
    private mutating func command(_ line: String, step: String, accepting codes: Set<Int>) async throws -> SMTPReply {
        let reply = try await roundTrip(Array((line + "\r\n").utf8), step: step)
        try expect(reply, step: step, accepting: codes)
        return reply
    }

    private func expect(_ reply: SMTPReply, step: String, accepting codes: Set<Int>) throws {
        guard codes.contains(reply.code) else { throw SMTPError.unexpectedReply(reply, step: step) }
    }

    /// Writes `bytes` (if any) and waits for one reply, failing the whole
    /// connection if the deadline passes first.
    private mutating func roundTrip(_ bytes: [UInt8]?, step: String, timeout: Duration? = nil) async throws -> SMTPReply {
        let channel = self.channel
        let limit = timeout ?? configuration.timeout
        // Firing the error through the pipeline makes the pending `next()` throw it.
        let deadline = channel.eventLoop.scheduleTask(in: TimeAmount(limit)) {
            channel.pipeline.fireErrorCaught(
                SMTPError(kind: .timeout, step: step, detail: "no reply within \(limit)"))
            channel.close(promise: nil)
        }
        defer { deadline.cancel() }

        do {
            if let bytes { try await write(bytes) }
            guard let reply = try await replies.next() else {
                throw SMTPError(kind: .connectionClosed, step: step)
            }
            logger.trace("SMTP reply", metadata: ["smtp.step": .string(step), "smtp.code": .stringConvertible(reply.code)])
            return reply
        } catch {
            throw Self.normalize(error, step: step)
        }
    }

    private mutating func write(_ bytes: [UInt8]) async throws {
        do {
            try await writer.write(ByteBuffer(bytes: bytes))
        } catch {
            // A write fails once the channel is closed; the real reason (a
            // protocol violation, a TLS alert, a timeout) is usually waiting in
            // the inbound stream, and `next()` throws it if so.
            _ = try await replies.next()
            throw error
        }
    }

    /// Every failure leaves as an `SMTPError` that names the step.
    static func normalize(_ error: any Error, step: String) -> SMTPError {
        if var smtpError = error as? SMTPError {
            if smtpError.step == nil { smtpError.step = step }
            return smtpError
        }
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
            return SMTPError(kind: .tls, step: step, detail: String(describing: error))
        }
        return SMTPError(kind: .connectionClosed, step: step, detail: String(describing: error))
    }

    static func parseExtensions(_ reply: SMTPReply) -> [String: [String]] {
        var result: [String: [String]] = [:]
        // The first line is the server's greeting, not an extension.
        for line in reply.lines.dropFirst() {
            let words = line.split(separator: " ").map { $0.uppercased() }
            guard var keyword = words.first else { continue }
            var parameters = Array(words.dropFirst())
            // Some old servers advertise "AUTH=LOGIN PLAIN".
            if keyword.hasPrefix("AUTH=") {
                parameters.insert(String(keyword.dropFirst(5)), at: 0)
                keyword = "AUTH"
            }
            result[keyword, default: []].append(contentsOf: parameters)
        }
        return result
    }

    static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
