import Fluent
import Vapor

/// `bmet admin create --email … --name …` — the first program administrator, from the terminal.
struct AdminCommand: AsyncCommandGroup {
    var help: String { "Manage program administrator accounts." }
    var commands: [String: any AnyAsyncCommand] { ["create": AdminCreateCommand()] }
}

struct AdminCreateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "The administrator's e-mail address (their sign-in name).")
        var email: String?
        @Option(name: "name", help: "The administrator's full name.")
        var name: String?
        @Flag(name: "password-stdin", help: "Read the password from the first line of standard input instead of prompting.")
        var passwordStdin: Bool
    }

    var help: String { "Create a program administrator. The password is prompted without echo, or read from stdin with --password-stdin." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let console = context.console
        let email = signature.email ?? console.ask("E-mail:")
        let name = signature.name ?? console.ask("Full name:")

        let password: String
        let confirm: String
        if signature.passwordStdin {
            password = readLine(strippingNewline: true) ?? ""
            confirm = password
        } else {
            console.output("Password (at least 10 characters, not shown):", newLine: false)
            password = console.input(isSecure: true)
            console.output("Repeat the password:", newLine: false)
            confirm = console.input(isSecure: true)
        }

        var errors = FieldErrors()
        Check.email(email, into: &errors)
        Check.required(name, "name", "Full name", into: &errors)
        Check.newPassword(password, confirm: confirm, into: &errors)
        let normalized = Check.normalizedEmail(email)
        if errors.isEmpty, try await User.query(on: app.db).filter(\.$email == normalized).first() != nil {
            errors["email"] = "An account with this e-mail already exists."
        }
        guard errors.isEmpty else {
            for (field, message) in errors.sorted(by: { $0.key < $1.key }) { console.error("\(field): \(message)") }
            throw CommandFailure("No administrator was created.")
        }
        let hash = try await app.passwordHasher.hash(password).get()
        let user = User(email: normalized, fullName: name.trimmed, passwordHash: hash, role: .programAdmin, employerID: nil)
        try await app.db.writeTransaction { db in
            try await user.create(on: db)
            try await AuditLog.record(.accountCreated, .user(user.id), "\(normalized) created as \(Role.programAdmin.label) on the command line",
                                      actorLabel: "command line", on: db)
        }
        console.success("Program administrator \(normalized) created. Sign in at \(app.settings.baseURL)/login")
    }
}

/// A command that failed for a reason the person can act on; the message is all they need.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
