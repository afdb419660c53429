import Fluent
import Vapor

/// `bmet admin create --email … --name …` — the first program administrator, from the terminal.
struct AdminCommand: AsyncCommandGroup {
    var help: String { "Manage program administrator accounts." }
    var commands: [String: any AnyAsyncCommand] { ["create": AdminCreateCommand(), "eeo-officer": AdminEEOOfficerCommand()] }
}

/// `bmet admin eeo-officer --email … [--remove]` — names the sponsor's first EEO officer (29 CFR 30); EEO officers
/// name the others on the People page.
struct AdminEEOOfficerCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "The program administrator's e-mail address.")
        var email: String?
        @Flag(name: "remove", help: "Take the permission away instead.")
        var remove: Bool
    }

    var help: String { "Name a program administrator an EEO officer (or --remove it). Only EEO officers see the equal-opportunity pages and individual disability answers." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let email = Check.normalizedEmail(signature.email ?? context.console.ask("E-mail:"))
        guard let user = try await User.query(on: app.db).filter(\.$email == email).first() else {
            throw CommandFailure("No account has the e-mail \(email).")
        }
        do {
            try await EEOOfficers.set(user, officer: !signature.remove, by: nil, on: app.db)
        } catch let failure as ValidationFailure {
            throw CommandFailure(failure.errors.values.sorted().joined(separator: " "))
        }
        context.console.success(signature.remove ? "\(email) is no longer an EEO officer." : "\(email) is an EEO officer: the equal-opportunity pages are at \(app.settings.baseURL)/eeo")
    }
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
