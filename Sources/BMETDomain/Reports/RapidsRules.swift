import Foundation

/// What an apprentice's registration must hold before it can go to RAPIDS (ETA-671 part II and the program facts).
/// Voluntary answers ("prefer not to say", no SSN) are valid; missing or impossible ones are not.
public enum RapidsRules {
    public struct Facts: Sendable {
        public var fullName: String
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

        public init(fullName: String, hasRegistrationData: Bool, addressLine1: String, city: String, state: String, zip: String,
                    birthDate: String, startDate: String, races: [String], guardianName: String?, ssnReadable: Bool?, rapidsCode: String) {
            self.fullName = fullName
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
        }
    }

    /// One problem, named by the registration form's field so the fix link can point at it.
    public struct Issue: Sendable, Equatable {
        public let field: String
        public let label: String
        public let message: String
    }

    public static func issues(_ facts: Facts) -> [Issue] {
        var issues: [Issue] = []
        func add(_ field: String, _ label: String, _ message: String) { issues.append(Issue(field: field, label: label, message: message)) }

        let names = facts.fullName.split(whereSeparator: \.isWhitespace)
        if names.count < 2 { add("fullName", "Name", "RAPIDS needs a first and a last name; the record has \"\(facts.fullName)\".") }
        if facts.rapidsCode.range(of: #"^[0-9]{4}[A-Z]{0,3}$"#, options: .regularExpression) == nil {
            add("program", "Occupation code", "The program's RAPIDS occupation code \"\(facts.rapidsCode)\" is not a RAPIDS code like 0888HY.")
        }
        guard facts.hasRegistrationData else {
            add("registration", "ETA-671 data", "No ETA-671 registration data is recorded.")
            return issues
        }
        let labels = ["line1": ("addressLine1", "Street address"), "city": ("city", "City"), "state": ("state", "State"), "zip": ("zip", "ZIP code")]
        for (key, message) in USAddressRules.validate(line1: facts.addressLine1, city: facts.city, state: facts.state, zip: facts.zip).sorted(by: { $0.key < $1.key }) {
            let (field, label) = labels[key] ?? (key, key)
            add(field, label, message)
        }
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
        return issues
    }
}
