import Vapor

/// `bmet outbox send` — dispatch due e-mail once (for cron, or when `serve` runs with background jobs off).
struct OutboxCommand: AsyncCommandGroup {
    var help: String { "Work with the e-mail outbox." }
    var commands: [String: any AnyAsyncCommand] { ["send": OutboxSendCommand()] }
}

struct OutboxSendCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Send every e-mail that is due now." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let sent = try await Outbox.dispatchDue(app: context.application)
        context.console.print("\(sent) message\(sent == 1 ? "" : "s") sent.")
    }
}
