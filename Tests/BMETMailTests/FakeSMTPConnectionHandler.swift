import NIOCore

/// Server side of one fake SMTP connection: splits CRLF lines and answers by script.
final class FakeSMTPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case command
        case authLoginUsername
        case authLoginPassword
        case data([String])
    }

    private let script: FakeSMTPServer.Script
    private let transcript: FakeSMTPServer.Transcript
    private var buffer = ByteBuffer()
    private var state = State.command

    init(script: FakeSMTPServer.Script, transcript: FakeSMTPServer.Transcript) {
        self.script = script
        self.transcript = transcript
    }

    func channelActive(context: ChannelHandlerContext) {
        transcript.recordConnection()
        if let greeting = script.greeting { send(greeting, context: context) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = Self.unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        while let crlf = buffer.readableBytesView.firstRange(of: [UInt8(ascii: "\r"), UInt8(ascii: "\n")]) {
            let line = buffer.readString(length: crlf.lowerBound - buffer.readerIndex)!
            buffer.moveReaderIndex(forwardBy: 2)
            handle(line: line, context: context)
        }
        buffer.discardReadBytes()
    }

    private func handle(line: String, context: ChannelHandlerContext) {
        switch state {
        case .data(var lines):
            if line == "." {
                transcript.record(message: lines.map { $0 + "\r\n" }.joined())
                state = .command
                reply("END_DATA", default: "250 2.0.0 queued as FAKE1", context: context)
            } else {
                lines.append(line)
                state = .data(lines)
            }
            return
        case .authLoginUsername:
            transcript.record(command: line)
            state = .authLoginPassword
            send("334 UGFzc3dvcmQ6\r\n", context: context)
            return
        case .authLoginPassword:
            transcript.record(command: line)
            state = .command
            send("235 2.7.0 authenticated\r\n", context: context)
            return
        case .command:
            break
        }

        transcript.record(command: line)
        let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
        if verb == script.hangUpOnVerb {
            context.close(promise: nil)
            return
        }
        switch verb {
        case "EHLO":
            let lines = ["fake.test greets you"] + script.extensions
            let text = lines.enumerated().map { index, text in
                "250\(index == lines.count - 1 ? " " : "-")\(text)\r\n"
            }.joined()
            reply("EHLO", default: text, context: context)
        case "HELO":
            send("250 fake.test\r\n", context: context)
        case "AUTH" where line.uppercased() == "AUTH LOGIN":
            state = .authLoginUsername
            send("334 VXNlcm5hbWU6\r\n", context: context)
        case "AUTH":
            reply("AUTH", default: "235 2.7.0 authenticated", context: context)
        case "MAIL":
            reply("MAIL", default: "250 2.1.0 ok", context: context)
        case "RCPT":
            reply("RCPT", default: "250 2.1.5 ok", context: context)
        case "DATA":
            let text = script.overrides["DATA"] ?? "354 end with <CRLF>.<CRLF>"
            if text.hasPrefix("354") { state = .data([]) }
            send(text + "\r\n", context: context)
        case "QUIT":
            let channel = context.channel
            context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: "221 2.0.0 bye\r\n"))).whenComplete { _ in
                channel.close(promise: nil)
            }
        default:
            send("502 5.5.2 command not recognized\r\n", context: context)
        }
    }

    private func reply(_ key: String, default text: String, context: ChannelHandlerContext) {
        var text = script.overrides[key] ?? text
        if !text.hasSuffix("\r\n") { text += "\r\n" }
        send(text, context: context)
    }

    private func send(_ text: String, context: ChannelHandlerContext) {
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
    }
}
