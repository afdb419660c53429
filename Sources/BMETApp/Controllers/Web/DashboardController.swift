import Fluent
import Vapor

/// Each role's home after sign-in: a few figures and the one thing to do next.
struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RoleGuard()).get("dashboard", use: show)
    }

    struct Figure: Encodable { let label: String; let value: Int; let href: String? }
    struct NextStep: Encodable { let text: String; let href: String; let action: String }
    struct View: Encodable {
        let greeting: String
        let role: String
        let employer: String?
        let figures: [Figure]
        let next: NextStep?
        let program: ProgramSummary?
    }
    /// The current program's schedule as bars, so everyone sees the shape of the two years.
    struct ProgramSummary: Encodable {
        struct Bar: Encodable { let title: String; let hours: Int; let percent: Int }
        let id: String; let title: String; let versionNumber: Int; let totalHours: String; let bars: [Bar]
    }

    @Sendable func show(req: Request) async throws -> Response {
        let actor = try req.actor
        let db = req.db
        let program = try await Self.currentProgram(on: db)
        var figures: [Figure] = []
        var next: NextStep?
        let employer = try await actor.$employer.get(on: db)

        switch actor.role {
        case .programAdmin:
            let employers = try await Employer.query(on: db).count()
            let pendingInvites = try await Invitation.query(on: db).filter(\.$acceptedAt == nil).filter(\.$revokedAt == nil).filter(\.$expiresAt > Date()).count()
            figures = [
                Figure(label: "Program versions", value: try await ProgramVersion.query(on: db).count(), href: "/programs"),
                Figure(label: "Employers", value: employers, href: "/employers"),
                Figure(label: "Apprentices", value: try await User.query(on: db).filter(\.$role == .apprentice).count(), href: "/people?role=apprentice"),
                Figure(label: "Mentors", value: try await User.query(on: db).filter(\.$role == .mentor).count(), href: "/people?role=mentor"),
                Figure(label: "Open invitations", value: pendingInvites, href: "/employers"),
                Figure(label: "E-mails waiting", value: try await OutboxMessage.query(on: db).filter(\.$status == .pending).count(), href: "/outbox"),
            ]
            if program == nil {
                next = NextStep(text: "Load the program standards so employers can register apprentices.", href: "/programs", action: "Load standards")
            } else if employers == 0 {
                next = NextStep(text: "Add your first partner employer.", href: "/employers/new", action: "Add an employer")
            } else if try await User.query(on: db).filter(\.$role == .employerAdmin).count() == 0 {
                next = NextStep(text: "Invite an administrator for each employer.", href: "/people/invite", action: "Invite an administrator")
            } else {
                next = NextStep(text: "Review your partner employers and their people.", href: "/employers", action: "Open employers")
            }
        case .employerAdmin:
            let employerID = actor.employerID ?? UUID()
            let mentors = try await User.query(on: db).filter(\.$employer.$id == employerID).filter(\.$role == .mentor).count()
            let apprentices = try await User.query(on: db).filter(\.$employer.$id == employerID).filter(\.$role == .apprentice).count()
            figures = [
                Figure(label: "Mentors", value: mentors, href: "/people?role=mentor"),
                Figure(label: "Apprentices", value: apprentices, href: "/people?role=apprentice"),
                Figure(label: "Open invitations", value: try await Invitation.query(on: db).filter(\.$employer.$id == employerID)
                    .filter(\.$acceptedAt == nil).filter(\.$revokedAt == nil).filter(\.$expiresAt > Date()).count(), href: "/employers/mine"),
            ]
            if mentors == 0 {
                next = NextStep(text: "Invite an experienced HTM technician as mentor.", href: "/people/invite", action: "Invite a mentor")
            } else if apprentices == 0 {
                next = NextStep(text: "Invite your first apprentice.", href: "/people/invite", action: "Invite an apprentice")
            } else {
                next = NextStep(text: "See your people and their invitations.", href: "/employers/mine", action: "Open your organization")
            }
        case .mentor:
            let apprentices = try await User.query(on: db).filter(\.$employer.$id == (actor.employerID ?? UUID())).filter(\.$role == .apprentice).count()
            figures = [Figure(label: "Apprentices at \(employer?.name ?? "your employer")", value: apprentices, href: "/people?role=apprentice")]
            next = NextStep(text: "Get to know the work process schedule your apprentices follow.", href: program.map { "/programs/\($0.id)" } ?? "/programs", action: "Open the schedule")
        case .apprentice:
            next = NextStep(text: "Read the work process schedule: these are the skill sets you will learn over two years.",
                            href: program.map { "/programs/\($0.id)" } ?? "/programs", action: "Open the schedule")
        }

        return try await req.render("dashboard", title: "Dashboard", View(
            greeting: "Welcome, \(actor.fullName)", role: actor.role.label, employer: employer?.name,
            figures: figures, next: next, program: program))
    }

    /// The newest version of the first program loaded.
    static func currentProgram(on db: any Database) async throws -> ProgramSummary? {
        guard let version = try await ProgramVersion.query(on: db).sort(\.$loadedAt, .descending).first() else { return nil }
        let sets = try await SkillSetRecord.query(on: db).filter(\.$programVersion.$id == version.requireID()).sort(\.$position).all()
        let total = max(1, sets.reduce(0) { $0 + $1.requiredHours })
        return ProgramSummary(
            id: try version.requireID().uuidString, title: version.title, versionNumber: version.versionNumber, totalHours: total.grouped,
            bars: sets.map { .init(title: $0.title, hours: $0.requiredHours, percent: Int((Double($0.requiredHours) * 100 / Double(total)).rounded())) })
    }
}
