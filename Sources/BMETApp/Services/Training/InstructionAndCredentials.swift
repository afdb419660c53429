import BMETDomain
import Fluent
import Vapor

struct InstructionInput: Content {
    var courseCode: String?
    var status: String?
    var provider: String?
    var date: String?
    var hours: String?
    var grade: String?
}

struct CredentialInput: Content {
    var credentialCode: String?
    var status: String?
    var date: String?
    var expires: String?
    var note: String?
    var evidence: File?
}

/// Related instruction and credentials: each step is a new record; the latest is the current state.
/// Apprentices record their own plans (enrolment, a planned or scheduled exam); results come from staff.
enum InstructionAndCredentials {
    static func isStaff(_ actor: User, for apprentice: Apprentice) -> Bool {
        switch actor.role {
        case .programAdmin: true
        case .employerAdmin, .mentor: actor.employerID != nil && actor.employerID == apprentice.$employer.id
        // A provider's staff record only for the courses their students take with them (`ProviderStudents`).
        case .apprentice, .instructionProvider: false
        }
    }

    static func isOwner(_ actor: User, of apprentice: Apprentice) -> Bool {
        actor.role == .apprentice && apprentice.$user.id != nil && apprentice.$user.id == actor.id
    }

    /// Instruction and credentials are recorded only while the apprenticeship is open (providers use this too).
    static func requireOpen(_ apprentice: Apprentice) throws {
        if [.cancelled, .completed].contains(apprentice.status) {
            let message = "The apprenticeship is \(apprentice.status.label.lowercased()): its record is closed."
            throw ValidationFailure(errors: ["form": message], message: message)
        }
    }

    static func recordInstruction(_ apprentice: Apprentice, _ input: InstructionInput, by actor: User,
                                  today: Date = ProgramCalendar.today(), on db: any Database) async throws -> InstructionRecord {
        var staff = isStaff(actor, for: apprentice)
        // A provider's staff record as staff, only for the courses the student takes with their provider, under
        // the provider's own name whatever was sent.
        var byProvider: Provider?
        if actor.role == .instructionProvider {
            byProvider = try await ProviderStudents.provider(of: actor, on: db)
            staff = true
        }
        guard staff || isOwner(actor, of: apprentice) else { throw Abort(.forbidden, reason: "You cannot record instruction for this apprentice.") }
        try requireOpen(apprentice)
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        var errors = FieldErrors()
        let course = standards.courses.first { $0.code == input.courseCode?.trimmed }
        if course == nil { errors["courseCode"] = "Choose a course of the program." }
        if let byProvider, let course {
            let enrolled = try await ProviderEnrolment.query(on: db).filter(\.$provider.$id == byProvider.requireID())
                .filter(\.$apprentice.$id == apprentice.requireID()).filter(\.$courseCode == course.code).first() != nil
            let state = try await ProviderStudents.latestStatus(apprentice.requireID(), course: course.code, on: db)
            if !enrolled { errors["courseCode"] = "Choose a course this student takes with \(byProvider.name)." }
            else if state == .completed { errors["courseCode"] = "This course is already completed." }
            else if state == .withdrawn && input.status != InstructionRecord.Status.enrolled.rawValue { errors["courseCode"] = "The student withdrew from this course: enrol them again first." }
            else if state == .enrolled && input.status == InstructionRecord.Status.enrolled.rawValue { errors["status"] = "The student is already enrolled in this course." }
        }
        let status = InstructionRecord.Status(rawValue: input.status ?? "")
        if status == nil { errors["status"] = "Choose enrolled, completed or withdrawn." }
        else if status != .enrolled && !staff { errors["status"] = "Your mentor or employer records completions and withdrawals." }
        let provider = byProvider?.name ?? input.provider?.trimmed ?? ""
        if provider.isEmpty { errors["provider"] = "Name the school or provider." } else if provider.count > FieldLimits.limit(for: "provider") { errors["provider"] = "At most \(FieldLimits.limit(for: "provider")) characters." }
        let date = ProgramCalendar.day(input.date ?? "")
        if date == nil { errors["date"] = "Enter the date as YYYY-MM-DD." }
        else if let date, status == .completed, date > today { errors["date"] = "A completion date cannot be in the future." }
        else if let date, let limit = ProgramCalendar.calendar.date(byAdding: .year, value: 1, to: today), date > limit { errors["date"] = "Enter a date within the next year." }
        var hours: Int?
        if status == .completed {
            hours = Int(input.hours?.trimmed ?? "")
            if hours == nil || hours! <= 0 || hours! > 1000 { errors["hours"] = "Enter the course's contact hours (1–1,000)." }
        }
        let grade = input.grade?.trimmed.nilIfEmpty
        if (grade?.count ?? 0) > FieldLimits.limit(for: "grade") { errors["grade"] = "At most \(FieldLimits.limit(for: "grade")) characters." }
        guard errors.isEmpty, let course, let status, let date else { throw ValidationFailure(errors: errors) }
        let record = InstructionRecord()
        record.$apprentice.id = try apprentice.requireID()
        record.courseCode = course.code
        record.status = status
        record.provider = provider
        record.eventDate = ProgramCalendar.dayString(date)
        record.hours = hours
        record.grade = status == .completed ? grade : nil
        record.$recordedBy.id = try actor.requireID()
        record.createdAt = Date()
        let audited = byProvider != nil, contactHours = hours
        try await db.writeTransaction { db in
            try await TrainingLock.lock(record.$apprentice.id, on: db)
            try await record.create(on: db)
            if audited {
                try await AuditLog.record(.providerInstruction, .apprentice(record.$apprentice.id),
                                          "\(provider) recorded \(status.label.lowercased()) in \(course.title) for \(apprentice.fullName), \(record.eventDate)"
                                          + (contactHours.map { ", \($0) h" } ?? "") + (record.grade.map { ", grade \($0)" } ?? ""), by: actor, on: db)
            }
        }
        return record
    }

    static func recordCredential(_ apprentice: Apprentice, _ input: CredentialInput, by actor: User, settings: AppSettings,
                                 today: Date = ProgramCalendar.today(), on db: any Database) async throws -> CredentialRecord {
        let staff = isStaff(actor, for: apprentice)
        guard staff || isOwner(actor, of: apprentice) else { throw Abort(.forbidden, reason: "You cannot record credentials for this apprentice.") }
        try requireOpen(apprentice)
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        var errors = FieldErrors()
        let credential = standards.credential(code: input.credentialCode?.trimmed ?? "")
        if credential == nil { errors["credentialCode"] = "Choose a credential of the program." }
        let status = CredentialStatus(rawValue: input.status ?? "")
        if status == nil { errors["status"] = "Choose planned, scheduled, passed or failed." }
        else if [.passed, .failed].contains(status!) && !staff { errors["status"] = "Your mentor or employer records exam results, with the evidence." }
        let date = ProgramCalendar.day(input.date ?? "")
        var expires: Date?
        switch status {
        case .scheduled?:
            if date == nil { errors["date"] = "Enter the exam date as YYYY-MM-DD." }
        case .passed?, .failed?:
            if date == nil { errors["date"] = "Enter the exam date as YYYY-MM-DD." }
            else if let date, date > today { errors["date"] = "A result cannot be dated in the future." }
            if status == .passed {
                if let text = input.expires?.trimmed.nilIfEmpty {
                    expires = ProgramCalendar.day(text)
                    if expires == nil { errors["expires"] = "Enter the expiry as YYYY-MM-DD, or leave it empty." }
                    else if let expires, let date, expires <= date { errors["expires"] = "The expiry must be after the exam date." }
                } else if let years = credential?.validityYears, let date {
                    expires = ProgramCalendar.calendar.date(byAdding: .year, value: years, to: date)
                }
            }
        default:
            if let text = input.date?.trimmed.nilIfEmpty, ProgramCalendar.day(text) == nil { errors["date"] = "Enter a date as YYYY-MM-DD, or leave it empty." }
        }
        let note = input.note?.trimmed ?? ""
        if note.count > FieldLimits.limit(for: "note") { errors["note"] = "At most \(FieldLimits.limit(for: "note")) characters." }
        let evidence = await EvidenceStore.read(input.evidence, into: &errors)
        guard errors.isEmpty, let credential, let status else { throw ValidationFailure(errors: errors) }
        let record = CredentialRecord()
        record.$apprentice.id = try apprentice.requireID()
        record.credentialCode = credential.code
        record.status = status
        record.eventDate = date.map(ProgramCalendar.dayString)
        record.expiresOn = expires.map(ProgramCalendar.dayString)
        record.note = note
        record.evidenceFile = try evidence.map { try EvidenceStore.save($0.0, kind: $0.1, settings: settings) }
        record.evidenceName = evidence?.2
        record.$recordedBy.id = try actor.requireID()
        record.createdAt = Date()
        try await db.writeTransaction { db in
            try await TrainingLock.lock(record.$apprentice.id, on: db)
            try await record.create(on: db)
        }
        return record
    }
}
