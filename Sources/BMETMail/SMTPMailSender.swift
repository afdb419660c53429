import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Delivers mail to an SMTP server (RFC 5321) over SwiftNIO, one connection per message.
///
/// Every failure surfaces as an `SMTPError`. The password and the message body
/// are never logged: bodies carry password-reset and invitation links.
public struct SMTPMailSender: MailSender {
    public let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger

    public init(
        configuration: SMTPConfiguration,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger = Logger(label: "BMETMail.SMTP")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    public func send(_ message: MailMessage) async throws {
        // Validate everything before touching the network so bad input never reaches a server.
        let renderer = try MessageRenderer(message)
        try validateConfiguration()
        let payload = MessageRenderer.dataPayload(renderer.render())
        let sslContext = try makeSSLContext()

        if configuration.security == .none, configuration.username != nil, !Self.isLoopback(configuration.host) {
            logger.warning("SMTP credentials will be sent unencrypted", metadata: ["smtp.host": .string(configuration.host)])
        }

        let channel = try await connect(sslContext: sslContext)
        let configuration = self.configuration
        let logger = self.logger
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(
                channel: channel.channel,
                replies: inbound.makeAsyncIterator(),
                writer: outbound,
                configuration: configuration,
                logger: logger
            )
            try await session.deliver(from: renderer.from, to: renderer.to, payload: payload, sslContext: sslContext)
        }
        logger.info(
            "mail delivered",
            metadata: [
                "mail.to": .string(renderer.to.address),
                "mail.bytes": .stringConvertible(payload.count),
                "smtp.host": .string(configuration.host),
            ]
        )
    }

    private func validateConfiguration() throws(SMTPError) {
        // heloName goes verbatim into a command line, so it must not carry CR/LF or spaces.
        guard !configuration.heloName.isEmpty, configuration.heloName.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .invalidConfiguration("heloName must be a non-empty host name without spaces or control characters")
        }
        guard (1...65_535).contains(configuration.port) else {
            throw .invalidConfiguration("port must be from 1 to 65535, got \(configuration.port)")
        }
        guard configuration.timeout > .zero else {
            throw .invalidConfiguration("timeout must be positive")
        }
        if (configuration.username == nil) != (configuration.password == nil) {
            throw .invalidConfiguration("username and password must be given together")
        }
    }

    private func makeSSLContext() throws -> NIOSSLContext? {
        guard configuration.security != .none else { return nil }
        do {
            return try NIOSSLContext(configuration: configuration.tlsConfiguration)
        } catch {
            throw SMTPError(kind: .tls, step: "TLS setup", detail: String(describing: error))
        }
    }

    private func connect(sslContext: NIOSSLContext?) async throws -> NIOAsyncChannel<SMTPReply, ByteBuffer> {
        let host = configuration.host
        let implicitTLS = configuration.security == .tls ? sslContext : nil
        do {
            return try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(TimeAmount(configuration.timeout))
                .connect(host: host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let implicitTLS {
                            let tls = try NIOSSLClientHandler(
                                context: implicitTLS, serverHostname: Self.isIPAddress(host) ? nil : host)
                            try channel.pipeline.syncOperations.addHandler(tls)
                        }
                        try channel.pipeline.syncOperations.addHandler(SMTPClientHandler())
                        return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch ChannelError.connectTimeout(let amount) {
            throw SMTPError(
                kind: .timeout, step: "connect",
                detail: "no connection to \(host):\(configuration.port) within \(Duration(amount))")
        } catch {
            throw SMTPError(
                kind: .connectionFailed, step: "connect",
                detail: "could not connect to \(host):\(configuration.port): \(error)")
        }
    }

    /// SNI must not carry an IP address; NIOSSL then verifies the certificate against the peer IP.
    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
