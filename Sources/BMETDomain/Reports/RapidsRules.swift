import Foundation

/// What an apprentice's registration must hold before it can go to RAPIDS: the ETA-671 part II answers, the program
/// facts, and what the upload layout (`RapidsUploadLayout`) requires or limits. Voluntary answers ("prefer not to say",
/// no SSN, WIOA and TAA left unanswered) are valid; missing, impossible or too long ones are not.
public enum RapidsRules {
    public struct Facts: Sendable {
        public var fullName: String
        /// The legal name's parts as recorded at registration; nil or empty first and last names come from the full name.
        public var firstName: String?
        public var middleName: String?
        public var lastName: String?
        public var suffix: String?
        public var hasRegistrationData: Bool
        public var addressLine1: String
        public var city: String
        public var state: String
        public var zip: String
        public var birthDate: String
        public var startDate: String
        /// Raw race codes as stored.
        public var races: [String]
        public var guardianName: String?
        /// nil when no SSN was given (voluntary); false when one is stored but cannot be read or is impossible.
        public var ssnReadable: Bool?
        public var rapidsCode: String
        public var education: EducationLevel?
        public var careerConnection: CareerConnection?
        public var priorWageCents: Int?
        public var priorWageUnit: String?
        /// The first wage step's hourly rate.
        public var entryWageCents: Int?
        public var studentStatus: String?
        public var rtiProvider: String?
        public var wioaParticipant: Bool?
        public var wioaType: String?
        public var ojtFundingSources: String?

        public init(fullName: String, firstName: String? = nil, middleName: String? = nil, lastName: String? = nil, suffix: String? = nil,
                    hasRegistrationData: Bool, addressLine1: String, city: String, state: String, zip: String,
                    birthDate: String, startDate: String, races: [String], guardianName: String?, ssnReadable: Bool?, rapidsCode: String,
                    education: EducationLevel?, careerConnection: CareerConnection?, priorWageCents: Int?, priorWageUnit: String?,
                    entryWageCents: Int?, studentStatus: String?, rtiProvider: String?, wioaParticipant: Bool? = nil, wioaType: String? = nil,
                    ojtFundingSources: String? = nil) {
            self.fullName = fullName
            self.firstName = firstName
            self.middleName = middleName
            self.lastName = lastName
            self.suffix = suffix
            self.hasRegistrationData = hasRegistrationData
            self.addressLine1 = addressLine1
            self.city = city
            self.state = state
            self.zip = zip
            self.birthDate = birthDate
            self.startDate = startDate
            self.races = races
            self.guardianName = guardianName
            self.ssnReadable = ssnReadable
            self.rapidsCode = rapidsCode
            self.education = education
            self.careerConnection = careerConnection
            self.priorWageCents = priorWageCents
            self.priorWageUnit = priorWageUnit
            self.entryWageCents = entryWageCents
            self.studentStatus = studentStatus
            self.rtiProvider = rtiProvider
            self.wioaParticipant = wioaParticipant
            self.wioaType = wioaType
            self.ojtFundingSources = ojtFundingSources
        }
    }

    /// One problem, named by the registration form's field so the fix link can point at it.
    public struct Issue: Sendable, Equatable {
        public let field: String
        public let label: String
        public let message: String

        public init(field: String, label: String, message: String) {
            self.field = field
            self.label = label
            self.message = message
        }
    }

    /// First and last name for RAPIDS: the ones recorded, else the first and the last word of the full legal name.
    public static func nameParts(fullName: String, first: String?, last: String?) -> (first: String, last: String) {
        let words = fullName.split(whereSeparator: \.isWhitespace).map(String.init)
        let first = first?.trimmingCharacters(in: .whitespaces) ?? ""
        let last = last?.trimmingCharacters(in: .whitespaces) ?? ""
        return (first.isEmpty ? (words.first ?? "") : first, last.isEmpty ? (words.count > 1 ? words.last! : "") : last)
    }

    public static func issues(_ facts: Facts) -> [Issue] {
        var issues: [Issue] = []
        func add(_ field: String, _ label: String, _ message: String) { issues.append(Issue(field: field, label: label, message: message)) }
        func tooLong(_ text: String?, _ limit: Int) -> Bool { (text ?? "").count > limit }
        let limit = RapidsUploadLayout.nameLimit

        let names = nameParts(fullName: facts.fullName, first: facts.firstName, last: facts.lastName)
        if names.first.isEmpty || names.last.isEmpty {
            add(names.first.isEmpty ? "firstName" : "lastName", "Name", "RAPIDS needs a first and a last name; the record has \"\(facts.fullName)\".")
        }
        if tooLong(names.first, limit) { add("firstName", "First name", "RAPIDS takes at most \(limit) characters for the first name.") }
        if tooLong(names.last, limit) { add("lastName", "Last name", "RAPIDS takes at most \(limit) characters for the last name.") }
        if tooLong(facts.middleName, limit) { add("middleName", "Middle name", "RAPIDS takes at most \(limit) characters for the middle name.") }
        if let suffix = facts.suffix, !suffix.isEmpty, NameSuffix(rawValue: suffix) == nil {
            add("suffix", "Suffix", "RAPIDS takes only these suffixes: \(NameSuffix.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        if facts.rapidsCode.range(of: #"^[0-9]{4}[A-Z]{0,3}$"#, options: .regularExpression) == nil {
            add("program", "Occupation code", "The program's RAPIDS occupation code \"\(facts.rapidsCode)\" is not a RAPIDS code like 0888HY.")
        }
        if (facts.entryWageCents ?? 0) <= 0 { add("wages", "Entry wage", "No starting wage is recorded for the first step of the wage schedule.") }
        guard facts.hasRegistrationData else {
            add("registration", "ETA-671 data", "No ETA-671 registration data is recorded.")
            return issues
        }
        let labels = ["line1": ("addressLine1", "Street address"), "city": ("city", "City"), "state": ("state", "State"), "zip": ("zip", "ZIP code")]
        for (key, message) in USAddressRules.validate(line1: facts.addressLine1, city: facts.city, state: facts.state, zip: facts.zip).sorted(by: { $0.key < $1.key }) {
            let (field, label) = labels[key] ?? (key, key)
            add(field, label, message)
        }
        if tooLong(facts.addressLine1, limit) { add("addressLine1", "Street address", "RAPIDS takes at most \(limit) characters for the street address: abbreviate it.") }
        if tooLong(facts.city, limit) { add("city", "City", "RAPIDS takes at most \(limit) characters for the city.") }
        let start = ProgramCalendar.day(facts.startDate)
        if start == nil { add("startDate", "Start date", "The start date is missing or not a date.") }
        if let birth = ProgramCalendar.day(facts.birthDate) {
            let age = ProgramCalendar.age(birthDate: birth, on: start ?? ProgramCalendar.today())
            if age < 16 || age > 100 { add("birthDate", "Date of birth", "The date of birth gives an age of \(age) at the start; check it.") }
            else if age < 18 && (facts.guardianName ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                add("guardianName", "Parent or guardian", "The apprentice was under 18 at the start: the parent or guardian who signed must be named.")
            }
        } else {
            add("birthDate", "Date of birth", "The date of birth is missing or not a date.")
        }
        let knownRaces = Set(Race.allCases.map(\.rawValue))
        if facts.races.isEmpty { add("races", "Race", "No answer for race (\"Prefer not to say\" is a valid answer).") }
        else if facts.races.contains(where: { !knownRaces.contains($0) }) { add("races", "Race", "The race answer holds an unknown code.") }
        if facts.ssnReadable == false { add("ssn", "Social Security number", "The stored SSN cannot be read or is not a valid number: enter it again or clear it.") }
        if let education = facts.education, RapidsUploadLayout.education(education) == nil {
            add("education", "Education level", "RAPIDS tells a master's degree from a doctorate: choose which.")
        }
        if let connection = facts.careerConnection, RapidsUploadLayout.careerConnection(connection) == nil {
            add("careerConnection", "Career connection", "\"Other\" is not a RAPIDS career connection: choose one of the listed answers (or None).")
        }
        if facts.priorWageCents == nil { add("priorWage", "Prior wage", "No prior wage is recorded (enter 0 when the apprentice had no earlier pay).") }
        if WageUnit(rawValue: facts.priorWageUnit ?? "") == nil { add("priorWageUnit", "Prior wage unit", "Say whether the prior wage was per hour, week, month, quarter, half year or year.") }
        if StudentStatus(rawValue: facts.studentStatus ?? "") == nil { add("studentStatus", "Student status", "No student status is recorded (\"Not a student\" is an answer).") }
        if (facts.rtiProvider ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            add("rtiProvider", "Related instruction provider", "No provider of the related technical instruction is recorded.")
        }
        if let type = facts.wioaType, !type.isEmpty {
            if WIOAParticipantType(rawValue: type) == nil { add("wioaType", "WIOA participant type", "The WIOA participant type holds an unknown code.") }
            else if facts.wioaParticipant != true { add("wioaType", "WIOA participant type", "A WIOA participant type is recorded but the apprentice is not a WIOA participant.") }
        }
        if tooLong(facts.ojtFundingSources, RapidsUploadLayout.textLimit) {
            add("ojtFundingSources", "On-the-job training funding", "RAPIDS takes at most \(RapidsUploadLayout.textLimit) characters for the funding sources.")
        }
        return issues
    }
}
