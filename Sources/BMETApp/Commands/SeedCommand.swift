import Fluent
import Vapor

/// `bmet seed demo` — a small, believable program to click through.
struct SeedCommand: AsyncCommandGroup {
    var help: String { "Fill the database with data." }
    var commands: [String: any AnyAsyncCommand] { ["demo": SeedDemoCommand()] }
}

struct SeedDemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "password", help: "Password for every demo account (default: $BMET_DEMO_PASSWORD or 'demo-password-2026').")
        var password: String?
    }

    var help: String { "Load the AAMI BMET standards and create demo employers and accounts. Running it again changes nothing." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let password = signature.password ?? Environment.get("BMET_DEMO_PASSWORD") ?? "demo-password-2026"
        let created = try await DemoData.seed(app: app, password: password, standardsPath: app.directory.workingDirectory + "standards/aami-bmet.json")
        context.console.print(created ? "Demo data created." : "Demo data was already there; nothing changed.")
        context.console.print("")
        context.console.print("Demo sign-ins at \(app.settings.baseURL)/login (password: \(password)):")
        for account in DemoData.accounts {
            context.console.print("  \(account.role.label.padding(toLength: 24, withPad: " ", startingAt: 0)) \(account.email)")
        }
    }
}

enum DemoData {
    struct Account { let email: String; let name: String; let role: Role; let employer: Int? }

    static let employers: [EmployerInput] = [
        EmployerInput(name: "Gulf Coast Medical Center", addressLine1: "6565 Fannin St", city: "Houston", state: "TX", zip: "77030", phone: "(713) 555-0100"),
        EmployerInput(name: "Buckeye Clinical Engineering Services", addressLine1: "410 W 10th Ave", city: "Columbus", state: "OH", zip: "43210", phone: "(614) 555-0142"),
    ]

    static let accounts: [Account] = [
        Account(email: "admin@demo.bmet.example", name: "Dana Whitfield", role: .programAdmin, employer: nil),
        Account(email: "hr@gulfcoast.demo.bmet.example", name: "Marcus Reyes", role: .employerAdmin, employer: 0),
        Account(email: "mentor@gulfcoast.demo.bmet.example", name: "Linda Okafor", role: .mentor, employer: 0),
        Account(email: "apprentice@gulfcoast.demo.bmet.example", name: "Jordan Alvarez", role: .apprentice, employer: 0),
        Account(email: "apprentice2@gulfcoast.demo.bmet.example", name: "Priya Natarajan", role: .apprentice, employer: 0),
        Account(email: "hr@buckeye.demo.bmet.example", name: "Susan Kowalski", role: .employerAdmin, employer: 1),
        Account(email: "mentor@buckeye.demo.bmet.example", name: "Tom Brennan", role: .mentor, employer: 1),
        Account(email: "apprentice@buckeye.demo.bmet.example", name: "Aaliyah Carter", role: .apprentice, employer: 1),
    ]

    /// Returns false when the demo data already exists.
    static func seed(app: Application, password: String, standardsPath: String) async throws -> Bool {
        let db = app.db
        if try await User.query(on: db).filter(\.$email == accounts[0].email).first() != nil { return false }
        guard let standards = FileManager.default.contents(atPath: standardsPath) else {
            throw CommandFailure("Cannot read the standards file at \(standardsPath).")
        }
        let hash = try await app.password.async.hash(password).get()
        let admin = User(email: accounts[0].email, fullName: accounts[0].name, passwordHash: hash, role: .programAdmin, employerID: nil)
        try await admin.create(on: db)
        do {
            _ = try await StandardsLibrary.load(standards, loadedBy: admin, on: db)
        } catch StandardsLibrary.LoadError.duplicate {
            // Already loaded by hand: keep that version.
        }
        var employerIDs: [UUID] = []
        for input in employers {
            employerIDs.append(try await EmployerDirectory.create(input, by: admin, on: db).requireID())
        }
        for account in accounts.dropFirst() {
            try await User(email: account.email, fullName: account.name, passwordHash: hash, role: account.role,
                           employerID: account.employer.map { employerIDs[$0] }).create(on: db)
        }
        // One open invitation, so the outbox and the pending list have something real in them.
        _ = try await Invitations.invite(
            InvitationInput(email: "new.mentor@gulfcoast.demo.bmet.example", fullName: "Sam Whitaker", role: Role.mentor.rawValue, employerID: employerIDs[0]),
            by: admin, settings: app.settings, on: db)
        return true
    }
}
