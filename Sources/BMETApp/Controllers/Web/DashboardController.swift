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
        /// The apprentice's own progress.
        let progress: ProgressView?
        /// Mentor and employer: their apprentices with progress.
        let cohort: [CohortRowView]
        /// Sponsor: every employer at a glance.
        let employers: [EmployerRow]
    }
    struct EmployerRow: Encodable {
        let id: String; let name: String; let state: String; let apprentices: Int; let atRisk: Int; let raisesDue: Int
        let reviewsOverdue: Int; let averagePercent: Int
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
        var progress: ProgressView?
        var cohort: [CohortRowView] = []
        var employerRows: [EmployerRow] = []
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
            let running = try await Apprentice.query(on: db).filter(\.$status ~~ inProgram).filter(\.$status != .pendingAgreement).with(\.$employer).all()
            let rows = try await Cohort.rows(running, on: db)
            let byEmployer = Dictionary(grouping: rows, by: { $0.apprentice.$employer.id })
            employerRows = try await Employer.query(on: db).sort(\.$name).all().map { employer in
                let group = byEmployer[employer.id ?? UUID()] ?? []
                return EmployerRow(id: employer.id?.uuidString ?? "", name: employer.name, state: employer.state, apprentices: group.count,
                                   atRisk: group.filter { $0.progress.outlook.code == "at-risk" }.count,
                                   raisesDue: group.filter { !$0.progress.wage.dueSteps.isEmpty }.count,
                                   reviewsOverdue: group.filter { $0.review?.isOverdue == true }.count,
                                   averagePercent: group.isEmpty ? 0 : Int(group.reduce(0.0) { $0 + $1.progress.hoursFraction } * 100 / Double(group.count)))
            }
            figures.append(Figure(label: "Apprentices at risk", value: rows.filter { $0.progress.outlook.code == "at-risk" }.count, href: nil))
            let completionRequests = try await CompletionRequest.query(on: db).filter(\.$status == .requested).sort(\.$requestedAt).all()
            figures.append(Figure(label: "Completion requests", value: completionRequests.count, href: nil))
            if program == nil {
                next = NextStep(text: "Load the program standards so employers can register apprentices.", href: "/programs", action: "Load standards")
            } else if let first = completionRequests.first {
                next = NextStep(text: "\(completionRequests.count) apprentice\(completionRequests.count == 1 ? " is" : "s are") put forward for completion: review the checklist.",
                                href: "/apprentices/\(first.$apprentice.id)/completion", action: "Review the completion")
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
            let running = try await Apprentice.query(on: db).filter(\.$employer.$id == employerID).filter(\.$status ~~ inProgram)
                .filter(\.$status != .pendingAgreement).with(\.$mentor).sort(\.$fullName).all()
            let rows = try await Cohort.rows(running, on: db)
            cohort = rows.map(CohortRowView.init)
            let raiseDue = rows.first { !$0.progress.wage.dueSteps.isEmpty }
            let overdue = rows.first { $0.review?.isOverdue == true }
            figures.append(Figure(label: "Raises due", value: rows.filter { !$0.progress.wage.dueSteps.isEmpty }.count, href: nil))
            figures.append(Figure(label: "At risk", value: rows.filter { $0.progress.outlook.code == "at-risk" }.count, href: nil))
            if let first = unsigned.first {
                next = NextStep(text: "\(unsigned.count) apprenticeship agreement\(unsigned.count == 1 ? "" : "s") wait\(unsigned.count == 1 ? "s" : "") for your signature.", href: "/apprentices/\(first)/agreement", action: "Review and sign")
            } else if let ready = rows.first(where: { $0.progress.eligibility.isEligible && $0.apprentice.status == .active }), let id = ready.apprentice.id,
                      try await Completions.open(for: id, on: db) == nil {
                next = NextStep(text: "\(ready.apprentice.fullName) meets every requirement: put them forward for completion.", href: "/apprentices/\(id)/completion", action: "Request completion")
            } else if let raiseDue, let id = raiseDue.apprentice.id, let step = raiseDue.progress.wage.dueSteps.first {
                next = NextStep(text: "A raise is due for \(raiseDue.apprentice.fullName): step \(step.step), \(step.title). Record the effective date and rate.", href: "/apprentices/\(id)/wages", action: "Record the raise")
            } else if let overdue, let id = overdue.apprentice.id {
                next = NextStep(text: "The progress review of \(overdue.apprentice.fullName) is overdue.", href: "/apprentices/\(id)/reviews", action: "Open the review")
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
            let apprentices = try await Apprentice.query(on: db).filter(\.$employer.$id == (actor.employerID ?? UUID())).filter(\.$status ~~ inProgram)
                .filter(\.$status != .pendingAgreement).with(\.$mentor).sort(\.$fullName).all()
            let rows = try await Cohort.rows(apprentices, on: db)
            // Their own mentees first; colleagues' apprentices follow, since any mentor of the employer may approve.
            let sorted = rows.filter { $0.apprentice.$mentor.id == actor.id } + rows.filter { $0.apprentice.$mentor.id != actor.id }
            cohort = sorted.map(CohortRowView.init)
            mentees = sorted.filter { $0.apprentice.$mentor.id == actor.id }.map { ApprenticeRow(id: $0.apprentice.id?.uuidString ?? "", name: $0.apprentice.fullName, status: $0.apprentice.status.label, start: $0.apprentice.startDate) }
            let pending = rows.reduce(0) { $0 + $1.pendingEntries }
            let requests = rows.reduce(0) { $0 + $1.openRequests }
            let reviewsDue = rows.filter { $0.apprentice.$mentor.id == actor.id && ($0.review?.canStart ?? false) }
            figures = [
                Figure(label: "Hour entries to approve", value: pending, href: "/approvals"),
                Figure(label: "Assessment requests", value: requests, href: nil),
                Figure(label: "Reviews to write", value: reviewsDue.count, href: nil),
                Figure(label: "Apprentices you mentor", value: mentees.count, href: "/apprentices"),
            ]
            if pending > 0 {
                next = NextStep(text: "\(pending) hour entr\(pending == 1 ? "y waits" : "ies wait") for your approval.", href: "/approvals", action: "Open the approval queue")
            } else if let row = rows.first(where: { $0.openRequests > 0 }), let id = row.apprentice.id {
                next = NextStep(text: "\(row.apprentice.fullName) asked you to assess a skill.", href: "/apprentices/\(id)/skills", action: "Open their skills")
            } else if let row = reviewsDue.first, let id = row.apprentice.id {
                next = NextStep(text: "Review \(row.review?.number ?? 1) of \(row.apprentice.fullName) is due by \(row.review?.dueBy ?? "").", href: "/apprentices/\(id)/reviews", action: "Write the review")
            } else if let first = mentees.first {
                next = NextStep(text: "Nothing waits for you. Assess a skill you saw \(first.name) perform.", href: "/apprentices/\(first.id)/skills", action: "Open \(first.name)'s skills")
            } else {
                next = NextStep(text: "No apprentice is assigned to you yet. Get to know the work process schedule in the meantime.", href: program.map { "/programs/\($0.id)" } ?? "/programs", action: "Open the schedule")
            }
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
                    let snapshot = try await ProgressReader.progress(of: record, on: db)
                    progress = ProgressView(snapshot)
                    next = try await Self.apprenticeNextStep(record, progress: snapshot, on: db)
                }
            } else {
                next = NextStep(text: "Your employer has not registered you yet. Meanwhile, read the work process schedule.",
                                href: program.map { "/programs/\($0.id)" } ?? "/programs", action: "Open the schedule")
            }
        }

        return try await req.render("dashboard", title: "Dashboard", View(
            greeting: "Welcome, \(actor.fullName)", role: actor.role.label, employer: employer?.name,
            figures: figures, next: next, program: actor.role == .apprentice && progress != nil ? nil : program, mine: mine, mentees: mentees,
            progress: progress, cohort: cohort, employers: employerRows))
    }

    /// The apprentice's single next step, most urgent first.
    static func apprenticeNextStep(_ record: Apprentice, progress: ApprenticeProgress, on db: any Database) async throws -> NextStep {
        let id = try record.requireID()
        let reviews = try await ProgressReview.query(on: db).filter(\.$apprentice.$id == id).filter(\.$completedAt == nil).all()
        for review in reviews {
            let signed = try await ReviewSignature.query(on: db).filter(\.$review.$id == review.requireID()).filter(\.$party == .apprentice).count() > 0
            if !signed {
                return NextStep(text: review.apprenticeComments.isEmpty ? "Add your comments to progress review \(review.periodNumber), then sign it." : "Sign progress review \(review.periodNumber).",
                                href: "/apprentices/\(id)/reviews", action: "Open the review")
            }
        }
        let monthAgo = ProgramCalendar.dayString(ProgramCalendar.calendar.date(byAdding: .day, value: -30, to: ProgramCalendar.today())!)
        let rejected = try await HourEntry.query(on: db).filter(\.$apprentice.$id == id).filter(\.$status == .rejected).filter(\.$entryDate >= monthAgo).count()
        if rejected > 0 {
            return NextStep(text: "\(rejected) hour entr\(rejected == 1 ? "y was" : "ies were") rejected. Read your mentor's comment and log the hours again.",
                            href: "/apprentices/\(id)/hours", action: "See your hours")
        }
        if record.status == .completed {
            return NextStep(text: "Congratulations: you completed your apprenticeship. Download your certificate, your transcript and your digital credentials.",
                            href: "/apprentices/\(id)/completion", action: "Get your certificate")
        }
        if HourLog.refusal(for: record.status) != nil {
            return NextStep(text: "Your apprenticeship is \(record.status.label.lowercased()). Talk to your employer about what happens next.", href: "/apprentices/\(id)", action: "Open your record")
        }
        if progress.eligibility.isEligible {
            return NextStep(text: "You meet every requirement. Your employer puts you forward for completion.", href: "/apprentices/\(id)", action: "See your record")
        }
        let weekStart = ProgramCalendar.dayString(ProgressEngine.weekStart(of: ProgramCalendar.today()))
        let thisWeek = try await HourEntry.query(on: db).filter(\.$apprentice.$id == id).filter(\.$entryDate >= weekStart).count()
        if thisWeek == 0 {
            return NextStep(text: "Log this week's on-the-job hours: it takes a minute.", href: "/apprentices/\(id)/hours/week", action: "Log this week")
        }
        if let deadline = progress.nextCredentialDeadline, let date = deadline.date {
            return NextStep(text: "Prepare for your \(deadline.name) exam on \(ProgramCalendar.dayString(date)).", href: "/apprentices/\(id)/credentials", action: "See your credentials")
        }
        return NextStep(text: "Hours are logged for this week. Ask your mentor to assess a skill you have practised.", href: "/apprentices/\(id)/skills", action: "Open your skills")
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
