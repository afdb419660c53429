import BMETDomain
import Fluent
import Vapor

/// What a prospective apprentice types into the public interest form.
struct ApplicationInput: Content {
    var fullName: String?
    var email: String?
    var phone: String?
    var city: String?
    var state: String?
    var zip: String?
    var birthDate: String?
    var education: String?
    /// Students still in school: when they expect their diploma or GED.
    var expectedDiplomaDate: String?
    var workAuthorized: String?
    var veteranStatus: String?
    var heardFrom: String?
    var statement: String?
    var guardianConsent: String?
    var consent: String?
    /// The honeypot: hidden from people, filled in by bots.
    var website: String?
    var resume: File?

    /// A checkbox counts only when ticked: the form's value "yes". "no", "false", "0" or empty are not consent.
    static func isYes(_ value: String?) -> Bool {
        value?.trimmed.lowercased() == "yes"
    }

    static let heardFromOptions = ["Employer or coworker", "School or counselor", "Workforce agency", "AAMI", "Social media", "Search engine", "Friend or family", "Other"]
}

/// The interest form and the applicant pipeline.
enum Applications {
    enum Outcome {
        case created(Applicant)
        case updated(Applicant)
        /// The honeypot was filled: answered like a success, stored nowhere.
        case ignored
    }

    static func submit(_ input: ApplicationInput, ip: String?, settings: AppSettings, cipher: DataCipher, on db: any Database, now: Date = Date()) async throws -> Outcome {
        if let honeypot = input.website, !honeypot.trimmed.isEmpty { return .ignored }
        let entry = try await StandardsLibrary.newestStandards(on: db)?.entry ?? .standard
        let today = ProgramCalendar.today(now)

        var errors = FieldErrors()
        Check.required(input.fullName, "fullName", "Your name", into: &errors)
        Check.email(input.email, into: &errors)
        let phoneDigits = (input.phone ?? "").filter(\.isNumber)
        if phoneDigits.count != 10 && !(phoneDigits.count == 11 && phoneDigits.hasPrefix("1")) {
            errors["phone"] = "Enter a U.S. phone number with area code, e.g. (713) 555-0100."
        }
        let state = input.state?.trimmed.uppercased() ?? ""
        for (field, message) in USAddressRules.validate(line1: "-", city: input.city?.trimmed ?? "", state: state, zip: input.zip?.trimmed ?? "", lineLimit: FieldLimits.limit(for: "addressLine1"), cityLimit: FieldLimits.limit(for: "city")) {
            errors[field] = message
        }
        let birthDate = ProgramCalendar.day(input.birthDate ?? "")
        if let birthDate {
            switch ApplicantRules.checkAge(birthDate: birthDate, today: today, minimumAge: entry.minimumAge) {
            case .adult: break
            case .minorWithConsentRequired:
                if !ApplicationInput.isYes(input.guardianConsent) {
                    errors["guardianConsent"] = "Applicants under 18 need a parent's or guardian's consent: tick the box to confirm it."
                }
            case .tooYoung: errors["birthDate"] = "Apprentices must be at least \(entry.minimumAge) years old."
            case .implausible: errors["birthDate"] = "Check the date of birth: it is in the future or more than 100 years ago."
            }
        } else {
            errors["birthDate"] = (input.birthDate ?? "").trimmed.isEmpty ? "Date of birth is required." : "Enter a real date as YYYY-MM-DD."
        }
        let education = input.education.flatMap(EducationLevel.init(rawValue:)).flatMap { EducationLevel.choices.contains($0) ? $0 : nil }
        if education == nil { errors["education"] = "Choose your highest education." }
        let expectedDiploma = ProgramCalendar.day(input.expectedDiplomaDate ?? "")
        var keepsExpectedDate = false
        if let education {
            switch ApplicantRules.checkDiploma(education, expected: expectedDiploma, today: today, entry: entry) {
            case .met: break
            case .expected: keepsExpectedDate = true
            case .expectedDateMissing:
                errors["expectedDiplomaDate"] = (input.expectedDiplomaDate ?? "").trimmed.isEmpty
                    ? "Still in school? Enter the date you expect your diploma or GED: you need it by your first day."
                    : "Enter a real date as YYYY-MM-DD."
            case .expectedDateInPast:
                errors["expectedDiplomaDate"] = "This date has passed. If you have your diploma or GED now, choose it under highest education."
            case .expectedDateTooFar:
                errors["expectedDiplomaDate"] = "Apply within \(ApplicantRules.longestDiplomaWaitYears) years of your expected diploma date."
            }
        }
        if input.workAuthorized != "yes" {
            errors["workAuthorized"] = input.workAuthorized == "no"
                ? "Apprentices must be eligible to work in the United States."
                : "Tell us whether you are eligible to work in the United States."
        }
        var veteran: VeteranStatus?
        if let raw = input.veteranStatus?.trimmed, !raw.isEmpty {
            veteran = VeteranStatus(rawValue: raw)
            if veteran == nil { errors["veteranStatus"] = "Choose one of the listed answers." }
        }
        let heardFrom = input.heardFrom?.trimmed ?? ""
        if !ApplicationInput.heardFromOptions.contains(heardFrom) { errors["heardFrom"] = "Tell us how you heard about the program." }
        Check.required(input.statement, "statement", "A short statement", into: &errors)
        if !ApplicationInput.isYes(input.consent) { errors["consent"] = "Please agree to let the program contact you and share your application with partner employers." }

        var resumeData: Data?
        if let file = input.resume, file.data.readableBytes > 0 || !file.filename.isEmpty {
            let data = Data(buffer: file.data)
            switch await ResumeStore.check(data) {
            case .tooLarge?: errors["resume"] = "The résumé is larger than 2 MB. Upload a smaller PDF."
            case .notPDF?: errors["resume"] = "The résumé must be a PDF file."
            case .empty?: if !file.filename.isEmpty { errors["resume"] = "The résumé file is empty." }
            case nil: resumeData = data
            }
        }
        guard errors.isEmpty, let birthDate, let education else { throw ValidationFailure(errors: errors) }

        let email = Check.normalizedEmail(input.email)
        try await FormThrottle.check(form: "application", keys: [email, ip], what: "applications", on: db, now: now)

        let resumeName = try resumeData.map { try ResumeStore.save($0, settings: settings) }
        let existing = try await Applicant.query(on: db).filter(\.$email == email)
            .filter(\.$status ~~ ApplicantStatus.allCases.filter(\.isOpen)).first()
        // The answers as they were before this submission, kept in the history (an update never erases them).
        let previousAnswers = existing.map { Self.answers($0) }
        let applicant = existing ?? Applicant()
        applicant.fullName = input.fullName?.trimmed ?? ""
        applicant.email = email
        applicant.phone = input.phone?.trimmed ?? ""
        applicant.city = input.city?.trimmed ?? ""
        applicant.state = state
        applicant.zip = input.zip?.trimmed ?? ""
        applicant.birthDate = ProgramCalendar.dayString(birthDate)
        applicant.education = education
        applicant.expectedDiplomaDate = keepsExpectedDate ? expectedDiploma.map(ProgramCalendar.dayString) : nil
        applicant.workAuthorized = true
        applicant.veteranStatus = veteran
        applicant.heardFrom = heardFrom
        applicant.statement = input.statement?.trimmed ?? ""
        applicant.guardianConsent = ApplicationInput.isYes(input.guardianConsent)
        if let resumeName {
            applicant.resumeFile = resumeName
            applicant.resumeName = String((input.resume?.filename ?? "resume.pdf").prefix(200))
        }
        applicant.consentedAt = now
        applicant.updatedAt = now
        if existing == nil {
            applicant.status = .new
            applicant.submissions = 1
            applicant.createdAt = now
        } else {
            applicant.submissions += 1
        }
        do {
            try await store(applicant, existing: existing, previousAnswers: previousAnswers, email: email, ip: ip, settings: settings, cipher: cipher, on: db, now: now)
        } catch {
            // Nothing half-saved: a résumé written for a failed submission is removed again.
            if let resumeName, let path = ResumeStore.path(of: resumeName, settings: settings) { try? FileManager.default.removeItem(atPath: path) }
            throw error
        }
        return existing == nil ? .created(applicant) : .updated(applicant)
    }

    private static func store(_ applicant: Applicant, existing: Applicant?, previousAnswers: String?, email: String, ip: String?, settings: AppSettings,
                              cipher: DataCipher, on db: any Database, now: Date) async throws {
        try await db.writeTransaction { db in
            try await FormThrottle.claim(form: "application", keys: [email, ip], what: "applications", on: db, now: now)
            try await applicant.save(on: db)
            let id = try applicant.requireID()
            let event = ApplicantEvent(applicantID: id, from: existing?.status, to: applicant.status,
                                       note: existing == nil ? "Applied through the interest form." : "Updated the application through the interest form.",
                                       actorID: nil, at: now)
            event.previousAnswers = previousAnswers
            try await event.create(on: db)
            try await Outbox.enqueue(
                to: email,
                subject: existing == nil ? "We received your BMET apprenticeship application" : "We updated your BMET apprenticeship application",
                body: """
                Hello \(applicant.fullName),

                Thank you for your interest in the BMET Apprenticeship. \(existing == nil ? "We received your application" : "We updated your open application with the details you just sent").
                The program team will review it and contact you about next steps, usually by introducing you to a partner employer near \(applicant.city), \(applicant.state).

                Questions? Write to \(settings.contactEmail).
                """,
                on: db)
            // 29 CFR 30.11: the invitation to self-identify a disability goes separately from the application.
            if existing == nil {
                try await SelfIdentification.invite(.applicant(id), stage: .applicant, name: applicant.fullName, email: email, settings: settings,
                                                    cipher: cipher, on: db, now: now)
            }
        }
    }

    /// The applicant's own answers as JSON, for the history.
    static func answers(_ applicant: Applicant) -> String {
        let values: [String: String] = [
            "fullName": applicant.fullName, "phone": applicant.phone, "city": applicant.city, "state": applicant.state,
            "zip": applicant.zip, "birthDate": applicant.birthDate, "education": applicant.education.rawValue,
            "expectedDiplomaDate": applicant.expectedDiplomaDate ?? "",
            "veteranStatus": applicant.veteranStatus?.rawValue ?? "", "heardFrom": applicant.heardFrom,
            "statement": applicant.statement, "resumeFile": applicant.resumeFile ?? "", "resumeName": applicant.resumeName ?? "",
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(values)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// Moves an applicant along the pipeline, recording who, when and why.
    static func move(_ applicant: Applicant, to next: ApplicantStatus, note: String?, referTo employerID: UUID?, by actor: User,
                     settings: AppSettings, cipher: DataCipher, on db: any Database) async throws {
        let pipelineActor: ApplicantPipeline.Actor
        switch actor.role {
        case .programAdmin: pipelineActor = .programAdmin
        case .employerAdmin:
            guard applicant.$referredEmployer.id == actor.employerID, actor.employerID != nil else { throw Abort(.notFound) }
            pipelineActor = .employerAdmin
        default: throw Abort(.forbidden)
        }
        var errors = FieldErrors()
        if !ApplicantPipeline.canMove(from: applicant.status, to: next, by: pipelineActor) {
            errors["status"] = "An applicant who is \(applicant.status.label.lowercased()) cannot be moved to \(next.label.lowercased()) by you."
        }
        var employer: Employer?
        if next == .referred {
            if let employerID { employer = try await Employer.find(employerID, on: db) }
            if employer == nil { errors["employerID"] = "Choose the partner employer to refer this applicant to." }
        }
        if (note ?? "").count > FieldLimits.limit(for: "note") { errors["note"] = "At most \(FieldLimits.limit(for: "note")) characters." }
        if next == .declined && pipelineActor == .employerAdmin && (note ?? "").trimmed.isEmpty {
            errors["note"] = "Say why you decline this candidate: the reason is kept in the history for the sponsor."
        }
        guard errors.isEmpty else { throw ValidationFailure(errors: errors) }

        let previous = applicant.status
        let previousEmployerID = applicant.$referredEmployer.id
        applicant.status = next
        applicant.updatedAt = Date()
        if next == .referred { applicant.$referredEmployer.id = employer?.id }
        if next == .screening { applicant.$referredEmployer.id = nil }
        let referredTo = employer
        try await db.writeTransaction { db in
            try await applicant.update(on: db)
            try await ApplicantEvent(applicantID: try applicant.requireID(), from: previous, to: next, note: note?.trimmed ?? "",
                                     actorID: actor.id, employerID: referredTo?.id ?? previousEmployerID).create(on: db)
            try await AuditLog.record(.applicantMoved, .applicant(applicant.id),
                                      "\(applicant.fullName): \(previous.label) → \(next.label)\(referredTo.map { ", referred to \($0.name)" } ?? "")", by: actor, on: db)
            if next == .hired {
                // 29 CFR 30.11: after the offer and before the start, the invitation to self-identify a disability.
                try await SelfIdentification.invite(.applicant(try applicant.requireID()), stage: .postOffer, name: applicant.fullName, email: applicant.email,
                                                    settings: settings, cipher: cipher, on: db)
            }
            if let referredTo {
                // Tell the employer's administrators there is someone to interview.
                let admins = try await User.query(on: db).filter(\.$employer.$id == referredTo.requireID()).filter(\.$role == .employerAdmin).all()
                for admin in admins {
                    try await Outbox.enqueue(to: admin.email, subject: "A BMET apprentice candidate was referred to \(referredTo.name)",
                        body: """
                        Hello \(admin.fullName),

                        The program referred \(applicant.fullName) (\(applicant.city), \(applicant.state)) to \(referredTo.name).
                        See the application and record the interview (or decline, with a reason):
                        \(settings.baseURL)/applicants/\(try applicant.requireID())
                        """, on: db)
                }
            }
        }
    }

    /// Applicants `actor` may see: all for the sponsor, those referred to their employer for an employer admin.
    static func visible(to actor: User, on db: any Database) throws -> QueryBuilder<Applicant> {
        let query = Applicant.query(on: db)
        switch actor.role {
        case .programAdmin: return query
        case .employerAdmin: return query.filter(\.$referredEmployer.$id == (actor.employerID ?? UUID()))
        default: throw Abort(.forbidden)
        }
    }
}
