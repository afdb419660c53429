import BMETDomain
import Fluent
import Vapor

/// Each role's home after sign-in: a few figures and the one thing to do next.
struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RoleGuard.anySignedIn()).get("dashboard", use: show)
    }

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
        var cohortNext: String?
        var employersNext: String?
        let employer = try await actor.$employer.get(on: db)
        let inProgram = ApprenticeStatus.allCases.filter(\.isInProgram)

        switch actor.role {
        case .instructionProvider:
            // A provider's staff have their own dashboard: their students only.
            return req.redirect(to: "/provider")
        case .programAdmin:
            let sponsor = try await SponsorDashboardQuery(after: req.query[UUID.self, at: "employersAfter"]).run(on: db)
            let employers = sponsor.employers, newApplicants = sponsor.newApplicants, newInquiries = sponsor.newInquiries
            let unsigned = try await Self.awaitingSignature(of: .sponsor, employerID: nil, on: db)
            figures = [
                Figure(label: "New applicants", value: newApplicants, href: "/applicants?status=new"),
                Figure(label: "New employer inquiries", value: newInquiries, href: "/inquiries"),
                Figure(label: "Apprentices in the program", value: sponsor.apprenticesInProgram, href: "/apprentices"),
                Figure(label: "Employers", value: employers, href: "/employers"),
                Figure(label: "Mentors", value: sponsor.mentors, href: "/people?role=mentor"),
                Figure(label: "E-mails waiting", value: sponsor.emailsWaiting, href: "/outbox"),
                Figure(label: "Apprentices at risk", value: sponsor.atRisk, href: nil),
            ]
            employerRows = sponsor.employerRows
            employersNext = sponsor.next.map { "/dashboard?employersAfter=\($0)" }
            let completionRequests = try await CompletionRequest.query(on: db).filter(\.$status == .requested).sort(\.$requestedAt).limit(1).all()
            let completionCount = try await CompletionRequest.query(on: db).filter(\.$status == .requested).count()
            figures.append(Figure(label: "Completion requests", value: completionCount, href: nil))
            if program == nil {
                next = NextStep(text: "Load the program standards so employers can register apprentices.", href: "/programs", action: "Load standards")
            } else if let first = completionRequests.first {
                next = NextStep(text: "\(completionCount) apprentice\(completionCount == 1 ? " is" : "s are") put forward for completion: review the checklist.",
                                href: "/apprentices/\(first.$apprentice.id)/completion", action: "Review the completion")
            } else if let first = unsigned.first {
                // Named, so the link opens the agreement the text talks about.
                let name = try await Apprentice.find(first, on: db)?.fullName ?? "The oldest"
                let others = unsigned.count - 1
                next = NextStep(text: "\(name)'s apprenticeship agreement waits for the sponsor's signature" + (others > 0 ? " (and \(others) more after it)." : "."),
                                href: "/apprentices/\(first)/agreement", action: "Review and sign \(name)'s agreement")
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
            let page = try await CohortPageQuery(employerID: employerID, after: req.query[UUID.self, at: "after"]).run(on: db)
            cohort = page.rows
            cohortNext = page.next.map { "/dashboard?after=\($0)" }
            figures.append(Figure(label: "Raises due", value: page.figures.raisesDue, href: nil))
            figures.append(Figure(label: "At risk", value: page.figures.atRisk, href: nil))
            if let first = unsigned.first {
                next = NextStep(text: "\(unsigned.count) apprenticeship agreement\(unsigned.count == 1 ? "" : "s") wait\(unsigned.count == 1 ? "s" : "") for your signature.", href: "/apprentices/\(first)/agreement", action: "Review and sign")
            } else if let ready = page.firstEligible, try await Completions.open(for: ready.id, on: db) == nil {
                next = NextStep(text: "\(ready.fullName) meets every requirement: put them forward for completion.", href: "/apprentices/\(ready.id)/completion", action: "Request completion")
            } else if let raiseDue = page.firstRaiseDue, let step = raiseDue.raiseStep {
                next = NextStep(text: "A raise is due for \(raiseDue.fullName): step \(step), \(raiseDue.raiseTitle ?? ""). Record the effective date and rate.", href: "/apprentices/\(raiseDue.id)/wages", action: "Record the raise")
            } else if let overdue = page.firstOverdue {
                next = NextStep(text: "The progress review of \(overdue.fullName) is overdue.", href: "/apprentices/\(overdue.id)/reviews", action: "Open the review")
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
            let actorID = try actor.requireID()
            let page = try await CohortPageQuery(employerID: actor.employerID ?? UUID(), mentorFirst: actorID, after: req.query[UUID.self, at: "after"]).run(on: db)
            cohort = page.rows
            cohortNext = page.next.map { "/dashboard?after=\($0)" }
            let own = try await Apprentice.query(on: db).filter(\.$mentor.$id == actorID).filter(\.$status ~~ CohortPageQuery.running).sort(\.$fullName).all()
            mentees = own.map { ApprenticeRow(id: $0.id?.uuidString ?? "", name: $0.fullName, status: $0.status.label, start: $0.startDate) }
            let pending = page.figures.pendingEntries
            let requests = page.figures.openRequests
            let reviewsDue = page.reviewsToWrite
            figures = [
                Figure(label: "Hour entries to approve", value: pending, href: "/approvals"),
                Figure(label: "Assessment requests", value: requests, href: nil),
                Figure(label: "Reviews to write", value: reviewsDue.count, href: nil),
                Figure(label: "Apprentices you mentor", value: mentees.count, href: "/apprentices"),
            ]
            if pending > 0 {
                next = NextStep(text: "\(pending) hour entr\(pending == 1 ? "y waits" : "ies wait") for your approval.", href: "/approvals", action: "Open the approval queue")
            } else if let row = page.firstRequest {
                next = NextStep(text: "\(row.fullName) asked you to assess a skill.", href: "/apprentices/\(row.id)/skills", action: "Open their skills")
            } else if let row = reviewsDue.first {
                next = NextStep(text: "Review \(row.reviewNumber ?? 1) of \(row.fullName) is due by \(row.reviewDueBy ?? "").", href: "/apprentices/\(row.id)/reviews", action: "Write the review")
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
                var snapshot: ApprenticeProgress?
                if record.status != .pendingAgreement {
                    let read = try await ProgressReader.progress(of: record, on: db)
                    snapshot = read
                    progress = ProgressView(read, hours: try await HourStates.read(id, on: db))
                }
                next = Self.words(for: ApprenticeNextStep.decide(try await Self.apprenticeFacts(record, progress: snapshot, on: db)), apprenticeID: id)
            } else {
                next = NextStep(text: "Your employer has not registered you yet. Meanwhile, read the work process schedule.",
                                href: program.map { "/programs/\($0.id)" } ?? "/programs", action: "Open the schedule")
            }
        }

        return try await req.render("dashboard", title: "Dashboard", View(
            greeting: "Welcome, \(actor.fullName)", role: actor.role.label, employer: employer?.name,
            figures: figures, next: next, program: actor.role == .apprentice && progress != nil ? nil : program, mine: mine, mentees: mentees,
            progress: progress, cohort: cohort, cohortNext: cohortNext, employers: employerRows, employersNext: employersNext))
    }

    /// What the apprentice's next step depends on, read with one small statement each.
    static func apprenticeFacts(_ record: Apprentice, progress: ApprenticeProgress?, today: Date = ProgramCalendar.today(), on db: any Database) async throws -> ApprenticeNextStep.Facts {
        let id = try record.requireID()
        let parties = Set(try await AgreementSignature.query(on: db).filter(\.$apprentice.$id == id).all().map(\.party))
        var unsignedReview: (number: Int, commented: Bool)?
        for review in try await ProgressReview.query(on: db).filter(\.$apprentice.$id == id).filter(\.$completedAt == nil).sort(\.$periodNumber).all() {
            let signed = try await ReviewSignature.query(on: db).filter(\.$review.$id == review.requireID()).filter(\.$party == .apprentice).count() > 0
            if !signed { unsignedReview = (review.periodNumber, !review.apprenticeComments.isEmpty); break }
        }
        let monthAgo = ProgramCalendar.dayString(ProgramCalendar.adding(days: -30, to: today))
        // Rejections of the last 30 days not yet fixed and resubmitted.
        let rejected = try await HourStates.openRejections(id, since: monthAgo, on: db)
        let weekStart = ProgramCalendar.dayString(ProgressEngine.weekStart(of: today))
        let thisWeek = try await HourEntry.query(on: db).filter(\.$apprentice.$id == id).filter(\.$entryDate >= weekStart).count()
        let request = try await AssessmentRequest.query(on: db).filter(\.$apprentice.$id == id).filter(\.$answeredBy.$id == nil).sort(\.$requestedAt).first()
        let revokedCertificates = record.status != .completed ? 0 : try await IssuedCredential.query(on: db).filter(\.$apprentice.$id == id)
            .filter(\.$kind == .certificate).filter(\.$revokedAt != nil).count()
        let exam = progress?.nextCredentialDeadline.flatMap { deadline in deadline.date.map { (name: deadline.name, date: $0) } }
        return ApprenticeNextStep.Facts(
            status: record.status, signedByApprentice: parties.contains(.apprentice), signedByEmployer: parties.contains(.employer),
            signedBySponsor: parties.contains(.sponsor), unsignedReview: unsignedReview, recentRejections: rejected,
            eligible: progress?.eligibility.isEligible ?? false, completionRequested: try await Completions.open(for: id, on: db) != nil,
            loggedThisWeek: thisWeek > 0, nextExam: exam, openAssessmentRequest: request.map { (skillCode: $0.skillCode, since: $0.requestedAt) },
            certificateRevoked: revokedCertificates > 0)
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
            minimumHours: version.minimumOJLHours.grouped,
            bars: sets.map { .init(title: $0.title, hours: $0.requiredHours, percent: Int((Double($0.requiredHours) * 100 / Double(total)).rounded())) })
    }
}
