import BMETDomain
import Fluent
import Vapor

/// The registration form: who, where, under whom, from when, at what wages, with what credit, and the
/// ETA-671 data with what the RAPIDS upload layout adds. Dictionaries are keyed by wage step number or skill set code.
struct RegistrationInput: Content, RapidsUploadFieldsInput {
    @OptionalUUID var applicantID: UUID?
    var fullName: String?
    var email: String?
    @OptionalUUID var programVersionID: UUID?
    @OptionalUUID var employerID: UUID?
    @OptionalUUID var mentorID: UUID?
    var startDate: String?
    var addressLine1: String?
    var city: String?
    var state: String?
    var zip: String?
    var birthDate: String?
    var sex: String?
    var ethnicity: String?
    var races: [String]?
    var veteranStatus: String?
    var education: String?
    var employmentStatus: String?
    var careerConnection: String?
    var ssn: String?
    var guardianName: String?
    var wageRates: [String: String]?
    var creditHours: [String: String]?
    var creditSkills: [String: String]?
    var creditReasons: [String: String]?
    // The RAPIDS upload layout's fields (RapidsUploadFields).
    var firstName: String?
    var middleName: String?
    var lastName: String?
    var suffix: String?
    var priorWage: String?
    var priorWageUnit: String?
    var wioaParticipant: String?
    var wioaType: String?
    var taaParticipant: String?
    var studentStatus: String?
    var ojtFundingSources: String?
    var relatedTrainingCreditHours: String?
    var rtiProvider: String?
}

enum Registrations {
    /// Registers an apprentice. Everything is checked first; then the apprentice, their registration data,
    /// wage steps, credit and the first history event are stored in one transaction, and their account
    /// invitation is sent.
    static func register(_ input: RegistrationInput, by actor: User, app: Application, on db: any Database, now: Date = Date()) async throws -> Apprentice {
        var errors = FieldErrors()
        guard actor.role == .programAdmin || actor.role == .employerAdmin else { throw Abort(.forbidden) }

        // Who: from a hired applicant, or typed in for an existing trainee.
        var applicant: Applicant?
        if let applicantID = input.applicantID {
            applicant = try await Applicant.find(applicantID, on: db)
            if let found = applicant {
                if found.status != .hired { errors["applicantID"] = "Only a hired applicant can be registered (this one is \(found.status.label.lowercased()))." }
                if actor.role == .employerAdmin && found.$referredEmployer.id != actor.employerID { throw Abort(.notFound) }
                if try await Apprentice.query(on: db).filter(\.$applicant.$id == applicantID)
                    .filter(\.$status ~~ ApprenticeStatus.allCases.filter(\.isInProgram)).first() != nil {
                    errors["applicantID"] = "This applicant is already registered."
                }
            } else { errors["applicantID"] = "No such applicant." }
        }
        Check.required(input.fullName, "fullName", "Full legal name", into: &errors)
        Check.email(input.email, into: &errors)
        let email = Check.normalizedEmail(input.email)

        // Where and under which standards.
        let employerID = actor.role == .programAdmin ? input.employerID : actor.employerID
        let employer = try await employerID.asyncMap { try await Employer.find($0, on: db) } ?? nil
        if employer == nil { errors["employerID"] = "Choose the employer." }
        let version = try await input.programVersionID.asyncMap { try await ProgramVersion.find($0, on: db) } ?? nil
        if version == nil { errors["programVersionID"] = "Choose the program version." }
        let standards = try version.map { try StandardsLibrary.standards(of: $0) }

        // Under whom: a mentor of that employer with room under the standards' ratio.
        let mentor = try await input.mentorID.asyncMap { try await User.find($0, on: db) } ?? nil
        if let mentor, let employer {
            if mentor.role != .mentor || mentor.employerID != employer.id || !mentor.isActive {
                errors["mentorID"] = "Choose a mentor who works at \(employer.name)."
            } else if let standards {
                let current = try await Apprentice.query(on: db).filter(\.$mentor.$id == mentor.requireID())
                    .filter(\.$status ~~ ApprenticeStatus.allCases.filter(\.isInProgram)).count()
                if !standards.mentorRatio.allows(apprentices: current + 1, mentors: 1) {
                    errors["mentorID"] = "\(mentor.fullName) already mentors \(current) apprentice\(current == 1 ? "" : "s"); the standards allow \(standards.mentorRatio.apprentices) per \(standards.mentorRatio.mentors) mentor. Choose another mentor."
                }
            }
        } else { errors["mentorID"] = "Choose the mentor." }

        let today = ProgramCalendar.today(now)
        let start = ProgramCalendar.day(input.startDate ?? "")
        if let start {
            if start > ProgramCalendar.adding(years: 1, to: today) { errors["startDate"] = "The start date is more than a year away." }
            if start < ProgramCalendar.adding(years: -2, to: today) { errors["startDate"] = "The start date is more than two years ago." }
        } else { errors["startDate"] = "Enter the start date as YYYY-MM-DD." }

        // ETA-671 part II.
        let state = input.state?.trimmed.uppercased() ?? ""
        for (field, message) in USAddressRules.validate(line1: input.addressLine1?.trimmed ?? "", city: input.city?.trimmed ?? "", state: state, zip: input.zip?.trimmed ?? "", lineLimit: FieldLimits.limit(for: "addressLine1"), cityLimit: FieldLimits.limit(for: "city")) {
            errors[field == "line1" ? "addressLine1" : field] = message
        }
        let entry = standards?.entry ?? .standard
        let birth = Self.checkBirthDate(input.birthDate, guardianName: input.guardianName, start: start ?? today, entry: entry, into: &errors)
        let sex = parse(Sex.self, input.sex, "sex", &errors)
        let ethnicity = parse(Ethnicity.self, input.ethnicity, "ethnicity", &errors)
        let races = (input.races ?? []).compactMap(Race.init(rawValue:))
        if races.isEmpty || races.count != (input.races ?? []).count { errors["races"] = "Choose at least one answer (or \"Prefer not to say\")." }
        let veteran = parse(VeteranStatus.self, input.veteranStatus, "veteranStatus", &errors)
        let education = parse(EducationLevel.self, input.education, "education", &errors, offered: EducationLevel.choices)
        if let education { Self.checkEducation(education, entry: entry, expected: applicant?.expectedDiplomaDate, into: &errors) }
        let employment = parse(EmploymentStatus.self, input.employmentStatus, "employmentStatus", &errors)
        let career = parse(CareerConnection.self, input.careerConnection, "careerConnection", &errors, offered: CareerConnection.choices)
        // Disability is never entered by staff: the apprentice self-identifies on a separate form (SelfIdentification).
        let disability = DisabilityDisclosure.undisclosed
        let ssn = (input.ssn ?? "").filter(\.isNumber)
        if !(input.ssn ?? "").trimmed.isEmpty && !SSNRules.isPlausible(ssn) {
            errors["ssn"] = "Enter the 9-digit Social Security number as ###-##-####, or leave it empty: it is voluntary."
        }
        let upload = RapidsUploadFields.check(input, partial: false, into: &errors)

        // Wages: every step of the template gets a rate, and rates never go down.
        var rates: [Int: Int] = [:]
        if let standards {
            var previous = 0
            for step in standards.wageSchedule {
                let key = "wageRates.\(step.step)"
                guard let cents = Money.cents(input.wageRates?[String(step.step)]) else {
                    errors[key] = "Enter the hourly rate for step \(step.step), e.g. 19.50."; continue
                }
                if cents < 725 || cents > 20_000 { errors[key] = "Enter an hourly rate between $7.25 and $200." }
                else if cents < previous { errors[key] = "A later step cannot pay less than the one before." }
                rates[step.step] = cents
                previous = max(previous, cents)
            }
        }

        // Credit for prior learning, per skill set, each with its reason.
        var credits: [(SkillSet, Int, [String], String)] = []
        if let standards {
            for set in standards.skillSets {
                let hoursText = input.creditHours?[set.code]?.trimmed ?? ""
                let skillsText = input.creditSkills?[set.code]?.trimmed ?? ""
                let reason = input.creditReasons?[set.code]?.trimmed ?? ""
                if hoursText.isEmpty && skillsText.isEmpty && reason.isEmpty { continue }
                let hours = hoursText.isEmpty ? 0 : Int(hoursText)
                if hours == nil || hours! < 0 || hours! > set.hours {
                    errors["creditHours.\(set.code)"] = "Credit between 0 and \(set.hours) hours."
                }
                let codes = skillsText.split(whereSeparator: { $0 == "," || $0 == " " }).map { String($0).uppercased() }
                let unknown = codes.filter { code in !set.skills.contains { $0.code == code } }
                if !unknown.isEmpty { errors["creditSkills.\(set.code)"] = "Not skills of \(set.code): \(unknown.joined(separator: ", "))." }
                if reason.isEmpty { errors["creditReasons.\(set.code)"] = "Say why this credit is granted (e.g. prior military BMET training)." }
                if (hours ?? 0) == 0 && codes.isEmpty { errors["creditHours.\(set.code)"] = "Credit some hours or list skills, or clear this row." }
                credits.append((set, hours ?? 0, codes, reason))
            }
        }

        // The person's account: reuse an apprentice account at this employer, never another role's.
        let existingUser = try await User.query(on: db).filter(\.$email == email).first()
        if let existingUser, errors["email"] == nil {
            if existingUser.role != .apprentice || existingUser.employerID != employer?.id {
                errors["email"] = "This e-mail belongs to another account (\(existingUser.role.label.lowercased())). Use the apprentice's own address."
            } else if try await Apprentice.query(on: db).filter(\.$user.$id == existingUser.requireID())
                .filter(\.$status ~~ ApprenticeStatus.allCases.filter(\.isInProgram)).first() != nil {
                errors["email"] = "This person is already registered as an apprentice."
            }
        }
        if errors["email"] == nil, try await Apprentice.query(on: db).filter(\.$email == email)
            .filter(\.$status ~~ ApprenticeStatus.allCases.filter(\.isInProgram)).first() != nil {
            errors["email"] = "An apprentice with this e-mail is already in the program."
        }

        guard errors.isEmpty, let employer, let version, let standards, let mentor, let start, let birth,
              let sex, let ethnicity, let veteran, let education, let employment, let career
        else { throw ValidationFailure(errors: errors) }

        let apprentice = Apprentice()
        apprentice.$user.id = existingUser?.id
        apprentice.$applicant.id = applicant?.id
        apprentice.$programVersion.id = try version.requireID()
        apprentice.$employer.id = try employer.requireID()
        apprentice.$mentor.id = try mentor.requireID()
        apprentice.fullName = input.fullName?.trimmed ?? ""
        apprentice.email = email
        apprentice.startDate = ProgramCalendar.dayString(start)
        apprentice.probationEnd = ProgramCalendar.dayString(ProgramCalendar.probationEnd(start: start, months: standards.probationaryPeriod.months))
        apprentice.termEnd = ProgramCalendar.dayString(ProgramCalendar.termEnd(start: start, months: standards.termMonths))
        apprentice.status = .pendingAgreement
        apprentice.$registeredBy.id = try actor.requireID()
        apprentice.registeredAt = now

        let data = RegistrationData()
        data.addressLine1 = input.addressLine1?.trimmed ?? ""
        data.city = input.city?.trimmed ?? ""
        data.state = state
        data.zip = input.zip?.trimmed ?? ""
        data.birthDate = ProgramCalendar.dayString(birth)
        data.sex = sex
        data.ethnicity = ethnicity
        data.races = races.map(\.rawValue).joined(separator: ",")
        data.veteranStatus = veteran
        data.education = education
        data.employmentStatus = employment
        data.careerConnection = career
        data.disability = disability
        data.guardianName = input.guardianName?.trimmed.nilIfEmpty
        if !ssn.isEmpty {
            data.ssnCiphertext = try app.dataCipher.seal(ssn)
            data.ssnLast4 = String(ssn.suffix(4))
        }
        RapidsUploadFields.apply(upload, to: data)

        let wageRates = rates, priorCredits = credits
        try await db.writeTransaction { db in
            try await apprentice.create(on: db)
            let id = try apprentice.requireID()
            try await TrainingLock.lock(id, on: db)
            data.$apprentice.id = id
            try await data.create(on: db)
            for step in standards.wageSchedule {
                let row = ApprenticeWageStep()
                row.$apprentice.id = id
                row.step = step.step
                row.title = step.title
                row.triggerSummary = step.trigger.summary
                row.hourlyRateCents = wageRates[step.step] ?? 0
                try await row.create(on: db)
            }
            // The starting wage is in effect from the first day; later steps are recorded as they are reached.
            if let first = standards.wageSchedule.first, first.trigger.kind == .start {
                try await WageRaises.recordStart(apprenticeID: id, startDate: apprentice.startDate, rateCents: wageRates[first.step] ?? 0, by: actor.id, on: db)
            }
            for (set, hours, codes, reason) in priorCredits {
                let credit = PriorLearningCredit()
                credit.$apprentice.id = id
                credit.skillSetCode = set.code
                credit.hours = hours
                credit.skillCodes = codes.joined(separator: ",")
                credit.reason = reason
                credit.$grantedBy.id = try actor.requireID()
                credit.createdAt = now
                try await credit.create(on: db)
            }
            try await ApprenticeEvent(apprenticeID: id, kind: "registered", from: nil, to: .pendingAgreement,
                                      note: "Registered at \(employer.name) under \(mentor.fullName), starting \(apprentice.startDate).",
                                      toEmployerID: employer.id, actorID: actor.id, at: now).create(on: db)
            try await AuditLog.record(.apprenticeRegistered, .apprentice(id),
                                      "\(apprentice.fullName) registered at \(employer.name) under \(mentor.fullName), starting \(apprentice.startDate)", by: actor, on: db, now: now)
            if existingUser == nil {
                let invitation = try await Invitations.invite(
                    InvitationInput(email: email, fullName: apprentice.fullName, role: Role.apprentice.rawValue, employerID: employer.id),
                    by: actor, app: app, on: db)
                invitation.apprenticeID = id
                try await invitation.update(on: db)
            }
        }
        return apprentice
    }


    /// The age rule on the first day, shared by registration and corrections: the standards' minimum, and a
    /// guardian under 18. Returns the parsed date.
    static func checkBirthDate(_ text: String?, guardianName: String?, start: Date, entry: EntryRequirements, into errors: inout FieldErrors) -> Date? {
        guard let birth = ProgramCalendar.day(text ?? "") else {
            errors["birthDate"] = "Enter the date of birth as YYYY-MM-DD."
            return nil
        }
        switch ApplicantRules.checkAge(birthDate: birth, today: start, minimumAge: entry.minimumAge) {
        case .adult: break
        case .minorWithConsentRequired:
            if (guardianName ?? "").trimmed.isEmpty { errors["guardianName"] = "An apprentice under 18 needs a parent or guardian to sign: enter their name." }
        case .tooYoung: errors["birthDate"] = "Apprentices must be at least \(entry.minimumAge) years old at the start."
        case .implausible: errors["birthDate"] = "Check the date of birth."
        }
        return birth
    }

    /// The diploma rule on the first day: an applicant who applied while in school is registered once they have it.
    static func checkEducation(_ education: EducationLevel, entry: EntryRequirements, expected: String?, into errors: inout FieldErrors) {
        guard !ApplicantRules.meetsEducation(education, entry: entry) else { return }
        errors["education"] = "The standards need a high-school diploma or GED by the start date"
            + (expected.map { " (this applicant expected theirs on \($0))" } ?? "")
            + ". Choose it here once they have it, or move the start date after it."
    }

    private static func parse<T: RawRepresentable & Equatable>(_ type: T.Type, _ raw: String?, _ field: String, _ errors: inout FieldErrors,
                                                               offered: [T]? = nil) -> T? where T.RawValue == String {
        guard let value = raw.flatMap(T.init(rawValue:)), offered?.contains(value) ?? true else {
            errors[field] = "Choose one of the listed answers."
            return nil
        }
        return value
    }
}

/// Plausibility of a U.S. Social Security number (SSA rules: no 000, 666 or 9xx area, no 00 group, no 0000 serial).
enum SSNRules {
    static func isPlausible(_ digits: String) -> Bool {
        guard digits.count == 9, digits.allSatisfy(\.isNumber) else { return false }
        let area = digits.prefix(3), group = digits.dropFirst(3).prefix(2), serial = digits.suffix(4)
        return area != "000" && area != "666" && !area.hasPrefix("9") && group != "00" && serial != "0000"
    }
}

/// Dollar amounts typed by people, held as cents.
enum Money {
    /// `wholeDigits` bounds the dollars: 4 for an hourly rate, more for a wage paid per month or year.
    static func cents(_ text: String?, wholeDigits: Int = 4) -> Int? {
        let cleaned = (text ?? "").trimmed.replacingOccurrences(of: "$", with: "").replacingOccurrences(of: ",", with: "")
        guard cleaned.range(of: #"^\d{1,\#(wholeDigits)}(\.\d{1,2})?$"#, options: .regularExpression) != nil, let value = Decimal(string: cleaned) else { return nil }
        return NSDecimalNumber(decimal: value * 100).intValue
    }

    static func text(_ cents: Int) -> String {
        String(format: "$%d.%02d", cents / 100, cents % 100)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
