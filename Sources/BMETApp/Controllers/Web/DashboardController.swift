import BMETDomain
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
        let mine: MyApprenticeship?
        let mentees: [ApprenticeRow]
    }
    /// The current program's schedule as bars, so everyone sees the shape of the two years.
    struct ProgramSummary: Encodable {
        struct Bar: Encodable { let title: String; let hours: Int; let percent: Int }
        let id: String; let title: String; let versionNumber: Int; let totalHours: String; let bars: [Bar]
    }

    struct MyApprenticeship: Encodable {
        let id: String; let program: String; let mentor: String; let mentorEmail: String; let employer: String
        let startDate: String; let probationEnd: String; let status: String
    }

    struct ApprenticeRow: Encodable { let id: String; let name: String; let status: String; let start: String }

    @Sendable func show(req: Request) async throws -> Response {
        let actor = try req.actor
        let db = req.db
        let program = try await Self.currentProgram(on: db)
        var figures: [Figure] = []
        var next: NextStep?
        var mine: MyApprenticeship?
        var mentees: [ApprenticeRow] = []
        let employer = try await actor.$employer.get(on: db)
        let inProgram = ApprenticeStatus.allCases.filter(\.isInProgram)

        switch actor.role {
        case .programAdmin:
            let employers = try await Employer.query(on: db).count()
            let newApplicants = try await Applicant.query(on: db).filter(\.$status == .new).count()
            let newInquiries = try await EmployerInquiry.query(on: db).filter(\.$status == .new).count()
            let unsigned = try await Self.awaitingSignature(of: .sponsor, employerID: nil, on: db)
            figures = [
                Figure(label: "New applicants", value: newApplicants, href: "/applicants?status=new"),
                Figure(label: "New employer inquiries", value: newInquiries, href: "/inquiries"),
                Figure(label: "Apprentices in the program", value: try await Apprentice.query(on: db).filter(\.$status ~~ inProgram).count(), href: "/apprentices"),
                Figure(label: "Employers", value: employers, href: "/employers"),
                Figure(label: "Mentors", value: try await User.query(on: db).filter(\.$role == .mentor).count(), href: "/people?role=mentor"),
                Figure(label: "E-mails waiting", value: try await OutboxMessage.query(on: db).filter(\.$status == .pending).count(), href: "/outbox"),
            ]
            if program == nil {
                next = NextStep(text: "Load the program standards so employers can register apprentices.", href: "/programs", action: "Load standards")
            } else if let first = unsigned.first {
                next = NextStep(text: "\(unsigned.count) apprenticeship agreement\(unsigned.count == 1 ? "" : "s") wait\(unsigned.count == 1 ? "s" : "") for the sponsor's signature.", href: "/apprentices/\(first)/agreement", action: "Review and sign")
            } else if newApplicants > 0 {
                next = NextStep(text: "\(newApplicants) new applicant\(newApplicants == 1 ? "" : "s") to screen.", href: "/applicants?status=new", action: "Screen applicants")
            } else if newInquiries > 0 {
                next = NextStep(text: "\(newInquiries) employer\(newInquiries == 1 ? "" : "s") asked to partner.", href: "/inquiries", action: "Open inquiries")
            } else if employers == 0 {
                next = NextStep(text: "Add your first partner employer.", href: "/employers/new", action: "Add an employer")
            } else {
                next = NextStep(text: "Review the apprentices in the program.", href: "/apprentices", action: "Open apprentices")
            }
        case .employerAdmin:
            let employerID = actor.employerID ?? UUID()
            let mentors = try await User.query(on: db).filter(\.$employer.$id == employerID).filter(\.$role == .mentor).count()
            let referred = try await Applicant.query(on: db).filter(\.$referredEmployer.$id == employerID).filter(\.$status ~~ [.referred, .interviewing]).count()
            let hiredIDs = try await Applicant.query(on: db).filter(\.$referredEmployer.$id == employerID).filter(\.$status == .hired).all(\.$id)
            let registeredIDs = Set(try await Apprentice.query(on: db).filter(\.$applicant.$id ~~ hiredIDs).all().compactMap { $0.$applicant.id })
            let toRegister = hiredIDs.filter { !registeredIDs.contains($0) }
            let unsigned = try await Self.awaitingSignature(of: .employer, employerID: employerID, on: db)
            figures = [
                Figure(label: "Candidates referred to you", value: referred, href: "/applicants"),
                Figure(label: "Apprentices", value: try await Apprentice.query(on: db).filter(\.$employer.$id == employerID).filter(\.$status ~~ inProgram).count(), href: "/apprentices"),
                Figure(label: "Mentors", value: mentors, href: "/people?role=mentor"),
            ]
            if let first = unsigned.first {
                next = NextStep(text: "\(unsigned.count) apprenticeship agreement\(unsigned.count == 1 ? "" : "s") wait\(unsigned.count == 1 ? "s" : "") for your signature.", href: "/apprentices/\(first)/agreement", action: "Review and sign")
            } else if let first = toRegister.first {
                next = NextStep(text: "You hired a candidate: register them as an apprentice with a mentor and a wage schedule.", href: "/apprentices/new?applicant=\(first)", action: "Register the apprentice")
            } else if referred > 0 {
                next = NextStep(text: "\(referred) candidate\(referred == 1 ? " was" : "s were") referred to you: record the interview and your decision.", href: "/applicants", action: "See candidates")
            } else if mentors == 0 {
                next = NextStep(text: "Invite an experienced HTM technician as mentor.", href: "/people/invite", action: "Invite a mentor")
            } else {
                next = NextStep(text: "Register an apprentice, or an existing trainee you want to enrol.", href: "/apprentices/new", action: "Register an apprentice")
            }
        case .mentor:
            let apprentices = try await Apprentice.query(on: db).filter(\.$mentor.$id == actor.requireID()).filter(\.$status ~~ inProgram).sort(\.$fullName).all()
            mentees = apprentices.map { ApprenticeRow(id: $0.id?.uuidString ?? "", name: $0.fullName, status: $0.status.label, start: $0.startDate) }
            figures = [Figure(label: "Apprentices you mentor", value: apprentices.count, href: "/apprentices")]
            next = apprentices.isEmpty
                ? NextStep(text: "No apprentice is assigned to you yet. Get to know the work process schedule in the meantime.", href: program.map { "/programs/\($0.id)" } ?? "/programs", action: "Open the schedule")
                : NextStep(text: "Open an apprentice's record to see where they stand.", href: "/apprentices/\(mentees[0].id)", action: "Open \(mentees[0].name)")
        case .apprentice:
            if let record = try await Apprentice.query(on: db).filter(\.$user.$id == actor.requireID()).with(\.$mentor).with(\.$employer).with(\.$programVersion).first() {
                let id = try record.requireID()
                mine = MyApprenticeship(id: id.uuidString, program: "\(record.programVersion.title) — version \(record.programVersion.versionNumber)",
                                        mentor: record.mentor.fullName, mentorEmail: record.mentor.email, employer: record.employer.name,
                                        startDate: record.startDate, probationEnd: record.probationEnd, status: record.status.label)
                let signedByMe = try await AgreementSignature.query(on: db).filter(\.$apprentice.$id == id).filter(\.$party == .apprentice).count() > 0
                if record.status == .pendingAgreement && !signedByMe {
                    next = NextStep(text: "Read and sign your apprenticeship agreement.", href: "/apprentices/\(id)/agreement", action: "Open the agreement")
                } else if record.status == .pendingAgreement {
                    next = NextStep(text: "You signed your agreement; your employer and the sponsor sign next.", href: "/apprentices/\(id)/agreement", action: "See the agreement")
                } else {
                    next = NextStep(text: "Meet \(record.mentor.fullName), your mentor, and read the skill sets you will learn.", href: "/programs/\(record.programVersion.id?.uuidString ?? "")", action: "Open the schedule")
                }
            } else {
                next = NextStep(text: "Your employer has not registered you yet. Meanwhile, read the work process schedule.",
                                href: program.map { "/programs/\($0.id)" } ?? "/programs", action: "Open the schedule")
            }
        }

        return try await req.render("dashboard", title: "Dashboard", View(
            greeting: "Welcome, \(actor.fullName)", role: actor.role.label, employer: employer?.name,
            figures: figures, next: next, program: program, mine: mine, mentees: mentees))
    }

    /// Apprentices whose agreement still lacks `party`'s signature (ids, oldest registration first).
    static func awaitingSignature(of party: AgreementSignature.Party, employerID: UUID?, on db: any Database) async throws -> [UUID] {
        let query = Apprentice.query(on: db).filter(\.$status == .pendingAgreement).sort(\.$registeredAt)
        if let employerID { query.filter(\.$employer.$id == employerID) }
        let pending = try await query.all()
        let signed = Set(try await AgreementSignature.query(on: db).filter(\.$party == party)
            .filter(\.$apprentice.$id ~~ pending.compactMap(\.id)).all().map { $0.$apprentice.id })
        return pending.compactMap(\.id).filter { !signed.contains($0) }
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
