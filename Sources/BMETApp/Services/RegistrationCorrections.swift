import BMETDomain
import Fluent
import Vapor

/// Corrections to an apprentice's name and ETA-671 registration data (what RAPIDS needs), by the sponsor or the
/// apprentice's employer. The history gets an event naming the fields changed — never their values, which are
/// personal (date of birth, SSN).
struct RegistrationCorrectionInput: Content, RapidsUploadFieldsInput {
    var fullName: String?
    var addressLine1: String?
    var city: String?
    var state: String?
    var zip: String?
    var birthDate: String?
    var guardianName: String?
    /// Empty keeps the stored SSN; `clearSSN` removes it (it is voluntary).
    var ssn: String?
    var clearSSN: String?
    /// Education and career connection, for records made when the lists did not yet follow RAPIDS; absent keeps them.
    var education: String?
    var careerConnection: String?
    // The RAPIDS upload layout's fields: a field not sent keeps what is stored (RapidsUploadFields).
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

enum RegistrationCorrections {
    static func mayCorrect(_ actor: User, _ apprentice: Apprentice) -> Bool {
        actor.role == .programAdmin || (actor.role == .employerAdmin && actor.employerID != nil && actor.employerID == apprentice.$employer.id)
    }

    static func correct(_ apprentice: Apprentice, _ input: RegistrationCorrectionInput, by actor: User, app: Application, on db: any Database) async throws {
        guard mayCorrect(actor, apprentice) else { throw Abort(.forbidden, reason: "Only the sponsor or the apprentice's employer can correct registration data.") }
        var errors = FieldErrors()
        Check.required(input.fullName, "fullName", "Full legal name", into: &errors)
        let state = input.state?.trimmed.uppercased() ?? ""
        for (field, message) in USAddressRules.validate(line1: input.addressLine1?.trimmed ?? "", city: input.city?.trimmed ?? "", state: state, zip: input.zip?.trimmed ?? "", lineLimit: FieldLimits.limit(for: "addressLine1"), cityLimit: FieldLimits.limit(for: "city")) {
            errors[field == "line1" ? "addressLine1" : field] = message
        }
        let start = ProgramCalendar.day(apprentice.startDate) ?? ProgramCalendar.today()
        let entry = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db).entry
        let birth = Registrations.checkBirthDate(input.birthDate, guardianName: input.guardianName, start: start, entry: entry, into: &errors)
        let ssn = (input.ssn ?? "").filter(\.isNumber)
        if !(input.ssn ?? "").trimmed.isEmpty && !SSNRules.isPlausible(ssn) {
            errors["ssn"] = "Enter the 9-digit Social Security number as ###-##-####, or leave it empty to keep the stored one."
        }
        let upload = RapidsUploadFields.check(input, partial: true, into: &errors)
        let education = input.education.map { EducationLevel(rawValue: $0).flatMap { EducationLevel.choices.contains($0) ? $0 : nil } }
        if case .some(nil) = education { errors["education"] = "Choose one of the listed answers." }
        let career = input.careerConnection.map { CareerConnection(rawValue: $0).flatMap { CareerConnection.choices.contains($0) ? $0 : nil } }
        if case .some(nil) = career { errors["careerConnection"] = "Choose one of the listed answers." }
        guard errors.isEmpty, let birth else { throw ValidationFailure(errors: errors) }
        let id = try apprentice.requireID()
        guard let data = try await RegistrationData.query(on: db).filter(\.$apprentice.$id == id).first() else {
            throw ValidationFailure(errors: ["form": "This apprentice has no registration data to correct; register them again."],
                                    message: "This apprentice has no registration data to correct.")
        }
        // The diploma rule applies to a changed answer only: a record registered before the rule keeps what it had, and
        // its other fields can still be corrected.
        if case .some(.some(let level)) = education, level != data.education {
            var diploma = FieldErrors()
            Registrations.checkEducation(level, entry: entry, expected: nil, into: &diploma)
            if !diploma.isEmpty { throw ValidationFailure(errors: diploma) }
        }
        var changed: [String] = []
        func set(_ label: String, _ old: String, _ new: String, _ apply: () -> Void) { if old != new { changed.append(label); apply() } }
        let fullName = input.fullName?.trimmed ?? ""
        set("name", apprentice.fullName, fullName) { apprentice.fullName = fullName }
        let line1 = input.addressLine1?.trimmed ?? "", city = input.city?.trimmed ?? "", zip = input.zip?.trimmed ?? ""
        set("street address", data.addressLine1, line1) { data.addressLine1 = line1 }
        set("city", data.city, city) { data.city = city }
        set("state", data.state, state) { data.state = state }
        set("ZIP code", data.zip, zip) { data.zip = zip }
        set("date of birth", data.birthDate, ProgramCalendar.dayString(birth)) { data.birthDate = ProgramCalendar.dayString(birth) }
        let guardian = input.guardianName?.trimmed.nilIfEmpty
        set("parent or guardian", data.guardianName ?? "", guardian ?? "") { data.guardianName = guardian }
        if case .some(.some(let level)) = education { set("education level", data.education.rawValue, level.rawValue) { data.education = level } }
        if case .some(.some(let connection)) = career { set("career connection", data.careerConnection.rawValue, connection.rawValue) { data.careerConnection = connection } }
        changed += RapidsUploadFields.apply(upload, to: data)
        if !ssn.isEmpty {
            let current = data.ssnCiphertext.flatMap { try? app.dataCipher.open($0) }
            if current != ssn {
                changed.append("SSN")
                data.ssnCiphertext = try app.dataCipher.seal(ssn)
                data.ssnLast4 = String(ssn.suffix(4))
            }
        } else if input.clearSSN == "yes" && data.ssnCiphertext != nil {
            changed.append("SSN (removed)")
            data.ssnCiphertext = nil
            data.ssnLast4 = nil
        }
        guard !changed.isEmpty else { return }
        let note = "Registration data corrected: \(changed.joined(separator: ", "))."
        try await db.writeTransaction { db in
            try await TrainingLock.lock(try apprentice.requireID(), on: db)
            try await apprentice.update(on: db)
            try await data.update(on: db)
            try await ApprenticeEvent(apprenticeID: id, kind: "registration_corrected", from: apprentice.status, to: apprentice.status,
                                      note: note, actorID: actor.id).create(on: db)
            // Which fields, never their values: the log must not carry the SSN or the birth date.
            try await AuditLog.record(.registrationCorrected, .apprentice(id), "\(apprentice.fullName): \(note)", by: actor, on: db)
        }
    }
}
