import BMETDomain
import Fluent
import Vapor

/// `bmet seed demo` — a small, believable program to click through.
struct SeedCommand: AsyncCommandGroup {
    var help: String { "Fill the database with data." }
    var commands: [String: any AnyAsyncCommand] { ["demo": SeedDemoCommand(), "scale": ScaleSeedCommand()] }
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
        let created = try await DemoData.seed(app: app, password: password, standardsPath: app.directory.workingDirectory + "standards/aami-bmet.json",
                                              completionStage: true)
        context.console.print(created ? "Demo data created." : "Demo data was already there; nothing changed.")
        context.console.print("Deliberately incomplete for RAPIDS: \(DemoData.accounts[4].name) (no \(DemoData.incompleteForRAPIDS.missing)); see /reports/rapids.")
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
        // A second Gulf Coast mentor (Priya's), so Linda has room for one more apprentice under the 2:1 ratio.
        Account(email: "mentor2@gulfcoast.demo.bmet.example", name: "Carlos Mendoza", role: .mentor, employer: 0),
        // The end of the life cycle: Morgan has met every requirement and waits for Buckeye's completion request;
        // Riley completed and holds the certificate.
        Account(email: "apprentice2@buckeye.demo.bmet.example", name: "Morgan Ellis", role: .apprentice, employer: 1),
        Account(email: "apprentice3@gulfcoast.demo.bmet.example", name: "Riley Chen", role: .apprentice, employer: 0),
        // The related-instruction provider's staff member: sees only the apprentices enrolled with the college.
        Account(email: "instructor@hccs.demo.bmet.example", name: "Renee Dubois", role: .instructionProvider, employer: nil),
    ]

    static let provider = ProviderInput(name: "Houston Community College", kind: Provider.Kind.college.rawValue, contactName: "Renee Dubois",
                                        contactEmail: "instructor@hccs.demo.bmet.example", contactPhone: "(713) 555-0177")

    /// Returns false when the demo data already exists. `bmet seed demo` includes the two records at the end of the life
    /// cycle; tests of the smaller program leave them out with `completionStage: false`.
    static func seed(app: Application, password: String, standardsPath: String, completionStage: Bool = false) async throws -> Bool {
        let db = app.db
        if try await User.query(on: db).filter(\.$email == accounts[0].email).first() != nil { return false }
        guard let standards = FileManager.default.contents(atPath: standardsPath) else {
            throw CommandFailure("Cannot read the standards file at \(standardsPath).")
        }
        let hash = try await app.passwordHasher.hash(password).get()
        let admin = User(email: accounts[0].email, fullName: accounts[0].name, passwordHash: hash, role: .programAdmin, employerID: nil)
        // The demo sponsor is its own EEO officer, so the equal-opportunity pages can be tried.
        admin.isEEOOfficer = true
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
        let providerID = try await Providers.create(provider, by: admin, on: db).requireID()
        for account in accounts.dropFirst() {
            let user = User(email: account.email, fullName: account.name, passwordHash: hash, role: account.role,
                            employerID: account.employer.map { employerIDs[$0] })
            if account.role == .instructionProvider { user.providerID = providerID }
            try await user.create(on: db)
        }
        // One open invitation, so the outbox and the pending list have something real in them.
        _ = try await Invitations.invite(
            InvitationInput(email: "new.mentor@gulfcoast.demo.bmet.example", fullName: "Sam Whitaker", role: Role.mentor.rawValue, employerID: employerIDs[0]),
            by: admin, app: app, on: db)
        try await seedRecruitment(app: app, admin: admin, employerIDs: employerIDs)
        try await seedApprentices(app: app, admin: admin)
        try await seedIncompleteRegistration(app: app, admin: admin)
        try await seedProviderEnrolments(app: app, admin: admin)
        if completionStage { try await seedCompletionStage(app: app, admin: admin) }
        return true
    }

    /// Jordan and Aaliyah enrolled with the college, each for one course; Jordan has attended part of his.
    private static func seedProviderEnrolments(app: Application, admin: User) async throws {
        let db = app.db
        guard let college = try await Provider.query(on: db).filter(\.$name == provider.name ?? "").first(),
              let staff = try await User.query(on: db).filter(\.$providerID == college.id).first() else { return }
        let today = ProgramCalendar.today()
        let monthAgo = ProgramCalendar.dayString(ProgramCalendar.calendar.date(byAdding: .month, value: -1, to: today)!)
        for (email, course) in [(accounts[3].email, "RTI-AP"), (accounts[7].email, "RTI-HTM")] {
            guard let apprentice = try await Apprentice.query(on: db).filter(\.$email == email).first() else { continue }
            _ = try await Providers.enrol(apprentice, with: college, EnrolmentInput(courseCode: course, date: monthAgo), by: admin, on: db)
            if email == accounts[3].email {
                _ = try await Providers.recordAttendance(apprentice, AttendanceInput(courseCode: course, hours: "24",
                    date: ProgramCalendar.dayString(ProgramCalendar.calendar.date(byAdding: .day, value: -3, to: today)!)), by: staff, on: db)
            }
        }
    }

    /// Applicants at several pipeline stages and one employer inquiry, entered through the same code as the public forms.
    private static func seedRecruitment(app: Application, admin: User, employerIDs: [UUID]) async throws {
        let db = app.db
        let people: [(String, String, String, String, String, ApplicantStatus)] = [
            ("Chris Morgan", "chris.morgan@demo.bmet.example", "Pasadena", "TX", "77506", .new),
            ("Taylor Nguyen", "taylor.nguyen@demo.bmet.example", "Dayton", "OH", "45402", .screening),
            ("Sam Patel", "sam.patel@demo.bmet.example", "Sugar Land", "TX", "77478", .referred),
        ]
        for (name, email, city, state, zip, stage) in people {
            let input = ApplicationInput(fullName: name, email: email, phone: "(555) 010-0199", city: city, state: state, zip: zip,
                                         birthDate: "2002-03-14", education: EducationLevel.highSchool.rawValue, workAuthorized: "yes",
                                         heardFrom: "Workforce agency", statement: "I like fixing things and want a career in healthcare technology.", consent: "yes")
            guard case .created(let applicant) = try await Applications.submit(input, ip: nil, settings: app.settings, cipher: app.dataCipher, on: db) else { continue }
            if stage != .new { try await Applications.move(applicant, to: .screening, note: "Phone screen done.", referTo: nil, by: admin, settings: app.settings, cipher: app.dataCipher, on: db) }
            if stage == .referred { try await Applications.move(applicant, to: .referred, note: "Good fit for Houston.", referTo: employerIDs[0], by: admin, settings: app.settings, cipher: app.dataCipher, on: db) }
        }
        _ = try await Inquiries.submit(InquiryInput(
            organization: "Prairie Health System", employerType: EmployerType.hospital.rawValue, contactName: "Renee Walsh",
            contactEmail: "renee.walsh@prairie.demo.bmet.example", contactPhone: "(402) 555-0117", country: "US",
            addressLine1: "8200 Dodge St", city: "Omaha", state: "NE", zip: "68114", apprenticesWanted: "2",
            message: "We would like to start two apprentices next spring."), ip: nil, settings: app.settings, on: db)
    }

    /// Jordan started seven months ago, has every signature and seven months of training on record; Aaliyah waits for
    /// the employer's and sponsor's signatures.
    private static func seedApprentices(app: Application, admin: User) async throws {
        let db = app.db
        guard let version = try await ProgramVersion.query(on: db).sort(\.$versionNumber, .descending).first() else { return }
        for (email, mentorEmail, signAll) in [(accounts[3].email, accounts[2].email, true), (accounts[7].email, accounts[6].email, false)] {
            guard let user = try await User.query(on: db).filter(\.$email == email).first(),
                  let mentor = try await User.query(on: db).filter(\.$email == mentorEmail).first(),
                  let employerAdmin = try await User.query(on: db).filter(\.$employer.$id == user.employerID ?? UUID()).filter(\.$role == .employerAdmin).first()
            else { continue }
            let start = ProgramCalendar.adding(months: signAll ? -7 : -1, to: ProgramCalendar.today())
            let input = RegistrationInput(
                fullName: user.fullName, email: user.email, programVersionID: version.id, employerID: user.employerID, mentorID: mentor.id,
                startDate: ProgramCalendar.dayString(start), addressLine1: "400 Demo Ave", city: "Houston", state: "TX", zip: "77030",
                birthDate: "2000-06-01", sex: Sex.undisclosed.rawValue, ethnicity: Ethnicity.undisclosed.rawValue, races: [Race.undisclosed.rawValue],
                veteranStatus: VeteranStatus.notVeteran.rawValue, education: EducationLevel.highSchool.rawValue,
                employmentStatus: EmploymentStatus.newEmployee.rawValue, careerConnection: CareerConnection.none.rawValue,
                ssn: nil, guardianName: nil,
                wageRates: ["1": "18.00", "2": "19.00", "3": "20.50", "4": "21.25", "5": "23.00"],
                priorWage: "15.00", priorWageUnit: WageUnit.hourly.rawValue, studentStatus: StudentStatus.notApplicable.rawValue,
                rtiProvider: DemoData.rtiProvider)
            var registration = input
            if email == accounts[7].email { registration.city = "Columbus"; registration.state = "OH"; registration.zip = "43210" }
            let apprentice = try await Registrations.register(registration, by: employerAdmin, app: app, on: db)
            try await ApprenticeRecords.sign(apprentice, typedName: user.fullName, by: user, ip: nil, on: db)
            if signAll {
                try await ApprenticeRecords.sign(apprentice, typedName: employerAdmin.fullName, by: employerAdmin, ip: nil, on: db)
                try await ApprenticeRecords.sign(apprentice, typedName: admin.fullName, by: admin, ip: nil, on: db)
                try await seedTrainingRecord(apprentice, user: user, mentor: mentor, employerAdmin: employerAdmin, app: app)
            }
        }
    }

    /// Two records at the end of the life cycle, so a newcomer sees completion, the PDFs, verification and revocation
    /// without logging 4,000 hours by hand. Both started 23 months ago with 400 hours of credit for prior learning,
    /// logged and had approved five eight-hour days a week across the schedule, had every skill rated proficient,
    /// finished every course and passed every required credential. Morgan's employer has not asked for completion yet;
    /// Riley's did, and the sponsor approved it, which issued the certificate.
    private static func seedCompletionStage(app: Application, admin: User) async throws {
        let db = app.db
        guard let version = try await ProgramVersion.query(on: db).sort(\.$versionNumber, .descending).first() else { return }
        let standards = try StandardsLibrary.standards(of: version)
        let calendar = ProgramCalendar.calendar
        let today = ProgramCalendar.today()
        for (account, mentorEmail, completes) in [(accounts[9], accounts[6].email, false), (accounts[10], accounts[2].email, true)] {
            guard let user = try await User.query(on: db).filter(\.$email == account.email).first(),
                  let mentor = try await User.query(on: db).filter(\.$email == mentorEmail).first(),
                  let employerAdmin = try await User.query(on: db).filter(\.$employer.$id == user.employerID ?? UUID()).filter(\.$role == .employerAdmin).first()
            else { continue }
            let start = ProgramCalendar.adding(months: -23, to: today)
            let ohio = account.employer == 1
            let registration = RegistrationInput(
                fullName: user.fullName, email: user.email, programVersionID: version.id, employerID: user.employerID, mentorID: mentor.id,
                startDate: ProgramCalendar.dayString(start), addressLine1: "18 Demo Ct", city: ohio ? "Columbus" : "Houston", state: ohio ? "OH" : "TX",
                zip: ohio ? "43210" : "77030", birthDate: "1998-09-15", sex: Sex.undisclosed.rawValue, ethnicity: Ethnicity.undisclosed.rawValue,
                races: [Race.undisclosed.rawValue], veteranStatus: VeteranStatus.veteran.rawValue, education: EducationLevel.associate.rawValue,
                employmentStatus: EmploymentStatus.newEmployee.rawValue, careerConnection: CareerConnection.none.rawValue, ssn: nil, guardianName: nil,
                wageRates: ["1": "18.00", "2": "19.00", "3": "20.50", "4": "21.25", "5": "23.00"],
                creditHours: ["OS": "200", "MF": "200"], creditSkills: [:],
                creditReasons: ["OS": "Navy biomedical equipment repair school (safety and orientation modules)", "MF": "Navy biomedical equipment repair school (electronics fundamentals)"],
                priorWage: "17.00", priorWageUnit: WageUnit.hourly.rawValue, studentStatus: StudentStatus.notApplicable.rawValue, rtiProvider: DemoData.rtiProvider)
            let apprentice = try await Registrations.register(registration, by: employerAdmin, app: app, on: db)
            for signer in [user, employerAdmin, admin] { try await ApprenticeRecords.sign(apprentice, typedName: signer.fullName, by: signer, ip: nil, on: db) }
            // Probation ended on its date, as the daily job does it.
            _ = try await ApprenticeRecords.endDueProbations(on: db)
            guard let record = try await Apprentice.find(apprentice.id, on: db) else { continue }

            // Weeks spread over the skill sets in proportion to their planned hours.
            let plan = standards.skillSets.flatMap { Array(repeating: $0.code, count: max(1, $0.hours / 40)) }
            let lastWeek = ProgramCalendar.adding(days: -7, to: ProgressEngine.weekStart(of: today))
            let weeks = stride(from: 0, to: 200, by: 1).map { ProgramCalendar.adding(days: 7 * $0, to: ProgressEngine.weekStart(of: start)) }.filter { $0 <= lastWeek }
            var logged: [UUID] = []
            for (index, week) in weeks.enumerated() {
                let set = plan[min(plan.count - 1, index * plan.count / max(1, weeks.count))]
                let rows: [(prefix: String, input: HourEntryInput)] = (0..<5).compactMap { offset in
                    let day = ProgramCalendar.adding(days: offset, to: week)
                    guard day >= start else { return nil }
                    return ("", HourEntryInput(date: ProgramCalendar.dayString(day), skillSetCode: set, hours: "8", description: "Work orders on the \(set) list with \(mentor.fullName)",
                                               skills: nil, workOrder: "WO-\(31000 + index * 5 + offset)", clientKey: "demo-end-\(account.email)-\(index)-\(offset)"))
                }
                guard !rows.isEmpty else { continue }
                logged += try await HourLog.log(rows, for: record, by: user, on: db).compactMap(\.id)
            }
            for batch in stride(from: 0, to: logged.count, by: 200).map({ Array(logged[$0..<min(logged.count, $0 + 200)]) }) {
                _ = try await HourLog.decide(batch, .approve, comment: nil, by: mentor, on: db)
            }
            for skill in standards.skillSets.flatMap(\.skills) {
                _ = try await Assessments.assess(record, AssessmentInput(skillCode: skill.code, rating: "proficient", observed: "Performed \(skill.code) safely and correctly without guidance."),
                                                 by: mentor, settings: app.settings, on: db)
            }
            for (index, course) in standards.courses.enumerated() {
                let done = ProgramCalendar.dayString(ProgramCalendar.adding(months: 2 + index * 4, to: start))
                _ = try await InstructionAndCredentials.recordInstruction(record, InstructionInput(courseCode: course.code, status: "completed", provider: DemoData.rtiProvider,
                                                                                                    date: done, hours: String(course.hours), grade: index % 2 == 0 ? "A" : "B"), by: mentor, on: db)
            }
            for (index, credential) in standards.credentials.enumerated() where credential.required {
                let passed = ProgramCalendar.dayString(ProgramCalendar.adding(months: 8 + index * 6, to: start))
                _ = try await InstructionAndCredentials.recordCredential(record, CredentialInput(credentialCode: credential.code, status: "passed", date: passed, note: "Score report on file"),
                                                                         by: employerAdmin, settings: app.settings, on: db)
            }
            guard completes, let fresh = try await Apprentice.find(record.id, on: db) else { continue }
            let request = try await Completions.request(fresh, note: "Every requirement met; Riley is ready.", by: employerAdmin, on: db)
            try await Completions.decide(request, .approve, note: nil, apprentice: fresh, by: admin, app: app, on: db)
        }
    }

    /// Seven months of believable training: approved weeks across the first skill sets, last week waiting for the mentor
    /// (one day rejected), assessments (one skill rated twice), instruction, a scheduled exam, one review signed and the
    /// next one overdue, and the six-month raise due.
    private static func seedTrainingRecord(_ apprentice: Apprentice, user: User, mentor: User, employerAdmin: User, app: Application) async throws {
        let db = app.db
        try await ApprenticeRecords.transition(apprentice, .init(action: ApprenticeRecords.Action.endProbation.rawValue, note: "Probation completed."), by: employerAdmin, on: db)
        let calendar = ProgramCalendar.calendar
        guard let start = ProgramCalendar.day(apprentice.startDate) else { return }
        let thisWeek = ProgressEngine.weekStart(of: ProgramCalendar.today())
        let lastWeek = ProgramCalendar.adding(days: -7, to: thisWeek)
        let schedule = ["OS", "OS", "OS", "OS", "OS", "MF", "MF", "MF", "II", "PM"]
        var week = ProgressEngine.weekStart(of: start)
        var index = 0
        var approved: [UUID] = []
        var lastWeekEntries: [HourEntry] = []
        while week <= lastWeek {
            let set = schedule[min(index, schedule.count - 1)]
            var rows: [(prefix: String, input: HourEntryInput)] = []
            for offset in 0..<5 {
                let day = ProgramCalendar.adding(days: offset, to: week)
                guard day >= start else { continue }
                rows.append(("", HourEntryInput(date: ProgramCalendar.dayString(day), skillSetCode: set, hours: offset == 4 ? "6" : "8",
                                                description: set == "OS" ? "Safety rounds and electrical safety checks with Linda" : "Inspections and PM on the \(set) work list",
                                                skills: nil, workOrder: "WO-\(24000 + index * 5 + offset)", clientKey: "demo-\(index)-\(offset)")))
            }
            if !rows.isEmpty {
                let stored = try await HourLog.log(rows, for: apprentice, by: user, on: db)
                if week == lastWeek { lastWeekEntries = stored } else { approved += stored.compactMap(\.id) }
            }
            week = ProgramCalendar.adding(days: 7, to: week)
            index += 1
        }
        _ = try await HourLog.decide(approved, .approve, comment: nil, by: mentor, on: db)
        if let friday = lastWeekEntries.last?.id {
            _ = try await HourLog.decide([friday], .reject, comment: "You were off sick on Friday; log only the hours you worked.", by: mentor, on: db)
        }

        let ratings: [(String, String, String)] = [
            ("OS-01", "proficient", "Explained the hospital safety program and reported a frayed cord correctly."),
            ("OS-02", "proficient", "Followed lockout/tagout on a sterilizer without prompting."),
            ("OS-03", "developing", "Electrical safety test on an ESU: needed help reading the leakage limits."),
            ("OS-03", "proficient", "Ran electrical safety tests on six infusion pumps alone, limits right every time."),
            ("OS-04", "proficient", "Handled a device involved in an incident as the policy requires."),
            ("MF-01", "developing", "Traced a pulse oximeter signal with guidance."),
        ]
        for (skill, rating, observed) in ratings {
            _ = try await Assessments.assess(apprentice, AssessmentInput(skillCode: skill, rating: rating, observed: observed), by: mentor, settings: app.settings, on: db)
        }
        _ = try await Assessments.request(apprentice, skillCode: "OS-05", note: "I did the fire drill walk-through this week.", by: user, on: db)
        let twoMonthsAgo = ProgramCalendar.dayString(ProgramCalendar.adding(months: -2, to: ProgramCalendar.today()))
        _ = try await InstructionAndCredentials.recordInstruction(apprentice, InstructionInput(courseCode: "RTI-HTM", status: "completed", provider: "Houston Community College",
                                                                                                 date: twoMonthsAgo, hours: "36", grade: "A"), by: mentor, on: db)
        _ = try await InstructionAndCredentials.recordInstruction(apprentice, InstructionInput(courseCode: "RTI-MT", status: "enrolled", provider: "Houston Community College",
                                                                                                 date: ProgramCalendar.dayString(ProgramCalendar.today())), by: user, on: db)
        _ = try await InstructionAndCredentials.recordCredential(apprentice, CredentialInput(credentialCode: "cabt", status: "scheduled",
            date: ProgramCalendar.dayString(ProgramCalendar.adding(days: 24, to: ProgramCalendar.today())), note: "Online proctored exam"), by: user, settings: app.settings, on: db)

        // The first quarterly review, written and signed by all three; the second is now overdue.
        let review = ProgressReview()
        review.$apprentice.id = try apprentice.requireID()
        review.periodNumber = 1
        review.periodEnd = ProgramCalendar.dayString(ProgressReviews.periodEnd(1, start: start))
        review.mentorComments = "Jordan learned the safety program quickly and asks good questions. Needs more practice reading service manuals."
        review.apprenticeComments = "I would like more time on the bench with the test equipment."
        review.goals = "Finish the Orientation and Safety skills; start the medical device fundamentals; book the CABT exam."
        review.$createdBy.id = try mentor.requireID()
        review.createdAt = ProgramCalendar.adding(days: 2, to: ProgramCalendar.day(review.periodEnd)!)
        review.completedAt = review.createdAt
        try await review.create(on: db)
        for (party, signer) in [(ReviewSignature.Party.mentor, mentor), (.apprentice, user), (.employer, employerAdmin)] {
            let signature = ReviewSignature()
            signature.$review.id = try review.requireID()
            signature.party = party
            signature.$signer.id = try signer.requireID()
            signature.signedAt = review.createdAt
            try await signature.create(on: db)
        }
    }
}
