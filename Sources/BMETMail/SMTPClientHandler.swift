import NIOCore
import NIOSSL

/// Sits between the socket (or TLS) and the async session: turns bytes into
/// `SMTPReply` values and enforces the one-reply-per-command rhythm of a
/// non-pipelining client.
///
/// Counting replies against commands means any unsolicited reply is an error,
/// which is what stops a man-in-the-middle from smuggling plaintext replies
/// past STARTTLS (the CVE-2011-0411 class of bugs). The TLS handler is
/// inserted synchronously while handling the `220` to STARTTLS, so not a
/// single later byte is read as plaintext.
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = SMTPReply
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Sent as a user outbound event just before writing `STARTTLS`.
    struct StartTLSRequest: Sendable {
        var sslContext: NIOSSLContext
        var serverHostname: String?
    }

    private var buffer = ByteBuffer()
    private var parser = SMTPReplyParser()
    /// Starts at one: the server speaks first with its greeting.
    private var expectedReplies = 1
    private var pendingStartTLS: StartTLSRequest?
    private var failed = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var incoming = Self.unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        do {
            while let reply = try parser.parse(&buffer) {
                guard expectedReplies > 0 else {
                    throw SMTPError(
                        kind: .protocolViolation,
                        detail: "unsolicited reply from server: \(reply.code) \(reply.text)")
                }
                expectedReplies -= 1
                var installedTLS = false
                if let request = pendingStartTLS {
                    pendingStartTLS = nil
                    if reply.code == 220 {
                        try startTLS(request, context: context)
                        installedTLS = true
                    }
                }
                context.fireChannelRead(Self.wrapInboundOut(reply))
                // The TLS handler now sits before us and swallows this read's
                // channelReadComplete, which NIOAsyncChannel waits for to hand
                // the reply over, so deliver it ourselves.
                if installedTLS { context.fireChannelReadComplete() }
            }
            buffer.discardReadBytes()
        } catch {
            failed = true
            context.fireErrorCaught(error)
            context.close(promise: nil)
        }
    }

    private func startTLS(_ request: StartTLSRequest, context: ChannelHandlerContext) throws {
        guard buffer.readableBytes == 0 else {
            throw SMTPError(
                kind: .protocolViolation, step: "STARTTLS",
                detail: "server sent unencrypted data after agreeing to STARTTLS")
        }
        let tls = try NIOSSLClientHandler(context: request.sslContext, serverHostname: request.serverHostname)
        try context.pipeline.syncOperations.addHandler(tls, position: .first)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // The session writes exactly one buffer per command (DATA's payload counts as one).
        expectedReplies += 1
        context.write(data, promise: promise)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        if let request = event as? StartTLSRequest {
            pendingStartTLS = request
            promise?.succeed(())
        } else {
            context.triggerUserOutboundEvent(event, promise: promise)
        }
    }
}
