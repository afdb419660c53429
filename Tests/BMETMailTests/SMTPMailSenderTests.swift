import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import BMETMail

@Suite(.timeLimit(.minutes(1)))
struct SMTPMailSenderTests {
    let message = MailMessage(
        from: "BMET Program <noreply@bmet.test>",
        to: "ada@bmet.test",
        subject: "Reset your password",
        textBody: "Hello Ada,\n.hidden line\n..two dots\nhttps://bmet.test/reset?token=abc\n.\nend"
    )

    func sender(port: Int, security: SMTPConfiguration.Security = .none, username: String? = nil,
                password: String? = nil, timeout: Duration = .seconds(5)) -> SMTPMailSender {
        SMTPMailSender(
            configuration: SMTPConfiguration(
                host: "127.0.0.1", port: port, security: security,
                username: username, password: password, heloName: "app.bmet.test", timeout: timeout),
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton
        )
    }

    @Test func deliversMessageWithEnvelopeHeadersAndDotStuffedBody() async throws {
        try await FakeSMTPServer.with { server in
            try await sender(port: server.port).send(message)

            #expect(server.transcript.commands == [
                "EHLO app.bmet.test",
                "MAIL FROM:<noreply@bmet.test>",
                "RCPT TO:<ada@bmet.test>",
                "DATA",
                "QUIT",
            ])
            let data = try #require(server.transcript.messages.first)
            let parts = data.components(separatedBy: "\r\n\r\n")
            let headers = parts[0].components(separatedBy: "\r\n")
            #expect(headers.contains("From: BMET Program <noreply@bmet.test>"))
            #expect(headers.contains("To: ada@bmet.test"))
            #expect(headers.contains("Subject: Reset your password"))
            #expect(headers.contains("MIME-Version: 1.0"))
            #expect(headers.contains("Content-Type: text/plain; charset=utf-8"))
            #expect(headers.contains("Content-Transfer-Encoding: 7bit"))
            #expect(headers.contains { $0.hasPrefix("Message-ID: <") && $0.hasSuffix("@bmet.test>") })
            let date = try #require(headers.first { $0.hasPrefix("Date: ") })
            #expect(date.range(of: #"^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$"#, options: .regularExpression) != nil)

            // Lines starting with "." arrive with one extra dot; the lone "." cannot end DATA early.
            #expect(parts.dropFirst().joined(separator: "\r\n\r\n")
                == "Hello Ada,\r\n..hidden line\r\n...two dots\r\nhttps://bmet.test/reset?token=abc\r\n..\r\nend\r\n")
        }
    }

    @Test func authPlainSendsBase64Credentials() async throws {
        try await FakeSMTPServer.with { server in
            try await sender(port: server.port, username: "apprentice", password: "s3cret pw!").send(message)

            let expected = Data("\u{0}apprentice\u{0}s3cret pw!".utf8).base64EncodedString()
            #expect(server.transcript.commands.contains("AUTH PLAIN \(expected)"))
            #expect(!server.transcript.commands.joined().contains("s3cret"))
            #expect(server.transcript.messages.count == 1)
        }
    }

    @Test func authLoginIsUsedWhenPlainIsNotOffered() async throws {
        var script = FakeSMTPServer.Script()
        script.extensions = ["AUTH LOGIN"]
        try await FakeSMTPServer.with(script) { server in
            try await sender(port: server.port, username: "apprentice", password: "s3cret").send(message)

            let commands = server.transcript.commands
            let auth = try #require(commands.firstIndex(of: "AUTH LOGIN"))
            #expect(commands[auth + 1] == Data("apprentice".utf8).base64EncodedString())
            #expect(commands[auth + 2] == Data("s3cret".utf8).base64EncodedString())
        }
    }

    @Test func rejectedCredentialsNameTheStepButNotThePassword() async throws {
        var script = FakeSMTPServer.Script()
        script.overrides["AUTH"] = "535 5.7.8 authentication credentials invalid"
        try await FakeSMTPServer.with(script) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await sender(port: server.port, username: "apprentice", password: "s3cret").send(message)
            }
            #expect(error?.replyCode == 535)
            #expect(error?.description.contains("AUTH PLAIN") == true)
            #expect(error?.description.contains("s3cret") == false)
            #expect(!server.transcript.commands.contains { $0.hasPrefix("MAIL") })
        }
    }

    @Test func recipientRejectionSurfacesAsRCPTError() async throws {
        var script = FakeSMTPServer.Script()
        script.overrides["RCPT"] = "550 5.1.1 <ada@bmet.test>: Recipient address rejected"
        try await FakeSMTPServer.with(script) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await sender(port: server.port).send(message)
            }
            #expect(error?.kind == .unexpectedReply)
            #expect(error?.step == "RCPT TO")
            #expect(error?.replyCode == 550)
            #expect(error?.description.contains("RCPT") == true)
            #expect(error?.description.contains("Recipient address rejected") == true)
            #expect(!server.transcript.commands.contains("DATA"))
        }
    }

    @Test func rejectionAfterDataNamesTheStep() async throws {
        var script = FakeSMTPServer.Script()
        script.overrides["END_DATA"] = "554 5.6.0 message refused"
        try await FakeSMTPServer.with(script) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await sender(port: server.port).send(message)
            }
            #expect(error?.replyCode == 554)
            #expect(error?.step == "end of DATA")
        }
    }

    @Test func connectionRefusedFailsFast() async throws {
        // Bind then close to get a loopback port with nothing listening.
        let server = try await FakeSMTPServer.start()
        let port = server.port
        try await server.stop()

        let clock = ContinuousClock()
        let started = clock.now
        let error = await #expect(throws: SMTPError.self) {
            try await sender(port: port, timeout: .seconds(20)).send(message)
        }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.description.contains("127.0.0.1:\(port)") == true)
        #expect(clock.now - started < .seconds(10))
    }

    @Test func silentServerTimesOut() async throws {
        var script = FakeSMTPServer.Script()
        script.greeting = nil
        try await FakeSMTPServer.with(script) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await sender(port: server.port, timeout: .milliseconds(300)).send(message)
            }
            #expect(error?.kind == .timeout)
            #expect(error?.step == "greeting")
        }
    }

    @Test func multiLineGreetingIsAccepted() async throws {
        var script = FakeSMTPServer.Script()
        script.greeting = "220-fake.test ESMTP\r\n220-no UCE\r\n220 ready\r\n"
        try await FakeSMTPServer.with(script) { server in
            try await sender(port: server.port).send(message)
            #expect(server.transcript.messages.count == 1)
        }
    }

    @Test func unsolicitedReplyIsAProtocolViolation() async throws {
        var script = FakeSMTPServer.Script()
        script.greeting = "220 fake.test ready\r\n250 injected\r\n"
        try await FakeSMTPServer.with(script) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await sender(port: server.port).send(message)
            }
            #expect(error?.kind == .protocolViolation)
            #expect(server.transcript.messages.isEmpty)
        }
    }

    @Test func startTLSRequiredButNotAdvertised() async throws {
        try await FakeSMTPServer.with { server in  // advertises AUTH but not STARTTLS
            let error = await #expect(throws: SMTPError.self) {
                try await sender(port: server.port, security: .startTLS, username: "apprentice", password: "s3cret")
                    .send(message)
            }
            #expect(error?.kind == .unsupportedByServer)
            #expect(error?.step == "STARTTLS")
            // Credentials must never go out unencrypted when TLS was asked for.
            #expect(server.transcript.commands == ["EHLO app.bmet.test"])
        }
    }

    @Test(arguments: [
        MailMessage(from: "noreply@bmet.test", to: "ada@bmet.test\r\nBcc: eve@evil.test", subject: "Hi", textBody: "x"),
        MailMessage(from: "noreply@bmet.test\nX-Evil: 1", to: "ada@bmet.test", subject: "Hi", textBody: "x"),
        MailMessage(from: "noreply@bmet.test", to: "ada@bmet.test", subject: "Hi\r\nBcc: eve@evil.test", textBody: "x"),
        MailMessage(from: "noreply@bmet.test", to: "ada@bmet.test", subject: "Hi\rthere", textBody: "x"),
        MailMessage(from: "noreply@bmet.test", to: "ada@bmet.test>\r\nRCPT TO:<eve@evil.test", subject: "Hi", textBody: "x"),
        MailMessage(from: "noreply@bmet.test", to: "not-an-address", subject: "Hi", textBody: "x"),
    ])
    func headerInjectionIsRefusedBeforeConnecting(_ bad: MailMessage) async throws {
        try await FakeSMTPServer.with { server in
            let error = await #expect(throws: SMTPError.self) {
                try await sender(port: server.port).send(bad)
            }
            #expect(error?.kind == .invalidMessage)
            #expect(server.transcript.connections == 0)
        }
    }

    @Test func serverHangingUpMidConversationIsAnError() async throws {
        var script = FakeSMTPServer.Script()
        script.hangUpOnVerb = "RCPT"
        try await FakeSMTPServer.with(script) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await sender(port: server.port).send(message)
            }
            #expect(error?.kind == .connectionClosed)
            #expect(error?.step == "RCPT TO")
        }
    }

    @Test func serviceUnavailableReplyNamesTheStep() async throws {
        var script = FakeSMTPServer.Script()
        script.overrides["MAIL"] = "421 4.3.2 shutting down"
        try await FakeSMTPServer.with(script) { server in
            let error = await #expect(throws: SMTPError.self) {
                try await sender(port: server.port).send(message)
            }
            #expect(error?.replyCode == 421)
            #expect(error?.step == "MAIL FROM")
            #expect(error?.description == "SMTP server replied 421 to MAIL FROM: 4.3.2 shutting down")
        }
    }
}
