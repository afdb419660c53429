import BMETDomain
import Foundation

/// The registration answers the RAPIDS upload layout needs beyond ETA-671, as typed in the registration form and the
/// correction page. WIOA and TAA participation, the middle name and the suffix are voluntary; the layout requires the
/// prior wage and its unit, the student status and the related instruction provider.
protocol RapidsUploadFieldsInput {
    var firstName: String? { get }
    var middleName: String? { get }
    var lastName: String? { get }
    var suffix: String? { get }
    var priorWage: String? { get }
    var priorWageUnit: String? { get }
    var wioaParticipant: String? { get }
    var wioaType: String? { get }
    var taaParticipant: String? { get }
    var studentStatus: String? { get }
    var ojtFundingSources: String? { get }
    var relatedTrainingCreditHours: String? { get }
    var rtiProvider: String? { get }
}

enum RapidsUploadFields {
    /// The checked answers; a nil property was not sent (the correction page then keeps what is stored).
    struct Values {
        var firstName: String??, middleName: String??, lastName: String??, suffix: String??
        var priorWageCents: Int?, priorWageUnit: String?
        var wioaParticipant: Bool??, wioaType: String??, taaParticipant: Bool??
        var studentStatus: String?, ojtFundingSources: String??, relatedTrainingCreditHours: Int??, rtiProvider: String?
    }

    static let yesNo = [SelectOption(value: "yes", label: "Yes", selected: false), SelectOption(value: "no", label: "No", selected: false)]

    /// Checks what was sent. `partial`: a field not sent at all is left alone (the correction page); otherwise every
    /// required answer must be there (registration).
    static func check(_ input: some RapidsUploadFieldsInput, partial: Bool, into errors: inout FieldErrors) -> Values {
        var values = Values()
        func sent(_ text: String?) -> Bool { !partial || text != nil }
        func optionalText(_ text: String?, _ field: String, _ label: String, limit: Int) -> String?? {
            guard sent(text) else { return .none }
            let value = text?.trimmed ?? ""
            if value.count > limit { errors[field] = "\(label) must be at most \(limit) characters." }
            return .some(value.nilIfEmpty)
        }
        let nameLimit = RapidsUploadLayout.nameLimit
        values.firstName = optionalText(input.firstName, "firstName", "First name", limit: nameLimit)
        values.middleName = optionalText(input.middleName, "middleName", "Middle name", limit: nameLimit)
        values.lastName = optionalText(input.lastName, "lastName", "Last name", limit: nameLimit)
        if sent(input.suffix) {
            let suffix = input.suffix?.trimmed ?? ""
            if !suffix.isEmpty && NameSuffix(rawValue: suffix) == nil { errors["suffix"] = "Choose one of the listed suffixes, or none." }
            values.suffix = .some(suffix.nilIfEmpty)
        }
        if sent(input.priorWage) {
            if let cents = Money.cents(input.priorWage, wholeDigits: 7) { values.priorWageCents = cents }
            else { errors["priorWage"] = "Enter the apprentice's pay before the apprenticeship, e.g. 15.50 per hour (0 when they had none)." }
        }
        if sent(input.priorWageUnit) {
            if let unit = WageUnit(rawValue: input.priorWageUnit ?? "") { values.priorWageUnit = unit.rawValue }
            else { errors["priorWageUnit"] = "Say what the prior wage was paid per." }
        }
        func yesNo(_ text: String?, _ field: String) -> Bool?? {
            guard sent(text) else { return .none }
            switch text ?? "" {
            case "yes": return .some(true)
            case "no": return .some(false)
            case "": return .some(nil)
            default: errors[field] = "Choose yes, no, or leave it unanswered."; return .some(nil)
            }
        }
        values.wioaParticipant = yesNo(input.wioaParticipant, "wioaParticipant")
        if sent(input.wioaType) {
            let type = input.wioaType ?? ""
            if !type.isEmpty && WIOAParticipantType(rawValue: type) == nil { errors["wioaType"] = "Choose one of the listed participant types." }
            else if !type.isEmpty, case .some(let participant) = values.wioaParticipant, participant != true {
                errors["wioaType"] = "A participant type applies only to a WIOA participant: answer yes above, or clear the type."
            }
            values.wioaType = .some(type.nilIfEmpty)
        }
        values.taaParticipant = yesNo(input.taaParticipant, "taaParticipant")
        if sent(input.studentStatus) {
            if let status = StudentStatus(rawValue: input.studentStatus ?? "") { values.studentStatus = status.rawValue }
            else { errors["studentStatus"] = "Choose the student status (\"Not a student\" for most)." }
        }
        values.ojtFundingSources = optionalText(input.ojtFundingSources, "ojtFundingSources", "On-the-job training funding sources", limit: RapidsUploadLayout.textLimit)
        if sent(input.relatedTrainingCreditHours) {
            let text = input.relatedTrainingCreditHours?.trimmed ?? ""
            if text.isEmpty { values.relatedTrainingCreditHours = .some(nil) }
            else if let hours = Int(text), (0...2_000).contains(hours) { values.relatedTrainingCreditHours = .some(hours) }
            else { errors["relatedTrainingCreditHours"] = "Enter whole hours between 0 and 2,000, or leave it empty for none." }
        }
        if sent(input.rtiProvider) {
            Check.required(input.rtiProvider, "rtiProvider", "The related instruction provider", into: &errors)
            values.rtiProvider = input.rtiProvider?.trimmed
        }
        return values
    }

    /// Stores the checked values; returns the labels of the fields that changed (never their values).
    @discardableResult
    static func apply(_ values: Values, to data: RegistrationData) -> [String] {
        var changed: [String] = []
        func set<T: Equatable>(_ label: String, _ keyPath: ReferenceWritableKeyPath<RegistrationData, T?>, _ value: T??) {
            guard case .some(let new) = value, data[keyPath: keyPath] != new else { return }
            data[keyPath: keyPath] = new
            changed.append(label)
        }
        set("first name", \.firstName, values.firstName)
        set("middle name", \.middleName, values.middleName)
        set("last name", \.lastName, values.lastName)
        set("suffix", \.suffix, values.suffix)
        set("prior wage", \.priorWageCents, values.priorWageCents.map { .some($0) })
        set("prior wage unit", \.priorWageUnit, values.priorWageUnit.map { .some($0) })
        set("WIOA participation", \.wioaParticipant, values.wioaParticipant)
        // A type without participation means nothing: it goes when participation is not "yes".
        let wioaType: String?? = values.wioaParticipant.map { $0 == true ? (values.wioaType ?? data.wioaType) : nil } ?? values.wioaType
        set("WIOA participant type", \.wioaType, wioaType)
        set("TAA participation", \.taaParticipant, values.taaParticipant)
        set("student status", \.studentStatus, values.studentStatus.map { .some($0) })
        set("on-the-job training funding", \.ojtFundingSources, values.ojtFundingSources)
        set("credit for previous related training", \.relatedTrainingCreditHours, values.relatedTrainingCreditHours)
        set("related instruction provider", \.rtiProvider, values.rtiProvider.map { .some($0) })
        return changed
    }

    /// The stored answers for people to read (the record page and the complete-record CSV), in form order.
    static func summary(_ data: RegistrationData, fullName: String) -> [(label: String, value: String)] {
        let names = RapidsRules.nameParts(fullName: fullName, first: data.firstName, last: data.lastName)
        let answered: (Bool?) -> String = { $0.map { $0 ? "Yes" : "No" } ?? "Not answered" }
        return [
            ("Name for RAPIDS", [names.first, data.middleName ?? "", names.last, data.suffix ?? ""].filter { !$0.isEmpty }.joined(separator: " ")),
            ("Prior wage", data.priorWageCents.map { cents in
                Money.text(cents) + " " + (WageUnit(rawValue: data.priorWageUnit ?? "")?.label.lowercased() ?? "")
            } ?? "Not recorded"),
            ("Related instruction provider", data.rtiProvider ?? "Not recorded"),
            ("Credit for previous related training", "\(data.relatedTrainingCreditHours ?? 0) hours"),
            ("Student status", StudentStatus(rawValue: data.studentStatus ?? "")?.label ?? "Not recorded"),
            ("On-the-job training funding", data.ojtFundingSources ?? "None recorded"),
            ("WIOA participant", answered(data.wioaParticipant)
                + (data.wioaParticipant == true ? (WIOAParticipantType(rawValue: data.wioaType ?? "").map { " (\($0.label.lowercased()))" } ?? "") : "")),
            ("TAA participant", answered(data.taaParticipant)),
        ]
    }

    /// The form's text values for re-rendering: what was typed, or else what is stored.
    static func formValues(_ input: some RapidsUploadFieldsInput) -> [String: String] {
        ["firstName": input.firstName ?? "", "middleName": input.middleName ?? "", "lastName": input.lastName ?? "",
         "priorWage": input.priorWage ?? "", "ojtFundingSources": input.ojtFundingSources ?? "",
         "relatedTrainingCreditHours": input.relatedTrainingCreditHours ?? "", "rtiProvider": input.rtiProvider ?? ""]
    }

    /// The form's choice lists, with the input's answers selected.
    struct Choices: Encodable {
        let suffixes: [SelectOption]
        let wageUnits: [SelectOption]
        let wioa: [SelectOption]
        let wioaTypes: [SelectOption]
        let taa: [SelectOption]
        let studentStatuses: [SelectOption]

        init(_ input: some RapidsUploadFieldsInput) {
            suffixes = SelectOption.all(NameSuffix.self, selected: input.suffix, label: \.label)
            wageUnits = SelectOption.all(WageUnit.self, selected: input.priorWageUnit, label: \.label)
            wioa = RapidsUploadFields.yesNo.map { SelectOption(value: $0.value, label: $0.label, selected: $0.value == input.wioaParticipant) }
            wioaTypes = SelectOption.all(WIOAParticipantType.self, selected: input.wioaType, label: \.label)
            taa = RapidsUploadFields.yesNo.map { SelectOption(value: $0.value, label: $0.label, selected: $0.value == input.taaParticipant) }
            studentStatuses = SelectOption.all(StudentStatus.self, selected: input.studentStatus, label: \.label)
        }
    }
}
