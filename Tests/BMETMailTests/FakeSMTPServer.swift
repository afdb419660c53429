import Foundation
import NIOCore
import NIOPosix

/// An in-process SMTP server on 127.0.0.1 that follows a script and records
/// what the client said, so tests can check the wire conversation.
final class FakeSMTPServer: Sendable {
    struct Script: Sendable {
        /// Raw bytes sent on connect; nil keeps the server silent (for timeout tests).
        var greeting: String? = "220 fake.test ESMTP ready\r\n"
        var extensions = ["AUTH PLAIN LOGIN", "8BITMIME", "SIZE 10485760"]
        /// Replies that replace the happy-path reply for a verb ("MAIL", "RCPT", "DATA", "AUTH", "EHLO"),
        /// or for the end of the message ("END_DATA").
        var overrides: [String: String] = [:]
        /// Drop the connection without replying when this verb arrives.
        var hangUpOnVerb: String?
    }

    /// What the client sent. Locked because the server runs on an event loop thread.
    final class Transcript: @unchecked Sendable {
        private let lock = NSLock()
        private var _commands: [String] = []
        private var _messages: [String] = []
        private var _connections = 0

        /// Every command line, in order, without CRLF.
        var commands: [String] { lock.withLock { _commands } }
        /// Each DATA payload exactly as received (still dot-stuffed), without the final "." line.
        var messages: [String] { lock.withLock { _messages } }
        var connections: Int { lock.withLock { _connections } }

        func record(command: String) { lock.withLock { _commands.append(command) } }
        func record(message: String) { lock.withLock { _messages.append(message) } }
        func recordConnection() { lock.withLock { _connections += 1 } }
    }

    let port: Int
    let transcript: Transcript
    private let channel: any Channel

    private init(port: Int, channel: any Channel, transcript: Transcript) {
        self.port = port
        self.channel = channel
        self.transcript = transcript
    }

    static func start(script: Script = Script(), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton)
        async throws -> FakeSMTPServer
    {
        let transcript = Transcript()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(
                        FakeSMTPConnectionHandler(script: script, transcript: transcript))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return FakeSMTPServer(port: channel.localAddress!.port!, channel: channel, transcript: transcript)
    }

    func stop() async throws {
        try await channel.close()
    }

    /// Runs `body` against a fresh server and always shuts it down afterwards.
    static func with<Result>(
        _ script: Script = Script(),
        _ body: (FakeSMTPServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(script: script)
        do {
            let result = try await body(server)
            try await server.stop()
            return result
        } catch {
            try? await server.stop()
            throw error
        }
    }
}
