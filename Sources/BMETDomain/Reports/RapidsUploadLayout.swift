import Foundation

/// The RAPIDS apprentice bulk-upload layout published by the Council of State Governments
/// (`csg-org/rapids-apprentice-upload-spec`, `tableschema.json`): its 42 columns in order, what each takes, and how the
/// platform's ETA-671 answers turn into its codes. `checks/rapids/schemas/apprentices.json` states the same facts as a
/// Frictionless table schema; a test checks that the two agree, and the exported files are validated against the schema.
public enum RapidsUploadLayout {
    public enum Kind: String, Sendable { case string, integer, any }

    public struct Field: Sendable, Equatable {
        public let name: String
        public let kind: Kind
        public let required: Bool
        public let maxLength: Int?
        /// The only values the column takes (empty: any value of its kind).
        public let codes: [String]

        init(_ name: String, _ kind: Kind = .string, required: Bool = false, maxLength: Int? = nil, codes: [String] = []) {
            self.name = name
            self.kind = kind
            self.required = required
            self.maxLength = maxLength
            self.codes = codes
        }
    }

    /// The layout's limit on names, street address and city.
    public static let nameLimit = 55
    public static let textLimit = 255
    static let raceCodes = ["1", "0", "9"]
    static let wageUnitCodes = WageUnit.allCases.map(\.rawValue)

    public static let fields: [Field] = [
        Field("Date Apprenticeship Begins", required: true),
        Field("Apprentice First Name", required: true, maxLength: nameLimit),
        Field("Apprentice Last Name", required: true, maxLength: nameLimit),
        Field("Apprentice Middle Name", maxLength: nameLimit),
        Field("Apprentice Suffix", codes: NameSuffix.allCases.map(\.rawValue)),
        Field("Social Security Number"),
        Field("Date of Birth", required: true),
        Field("Gender", required: true, codes: ["F", "M", "9"]),
        Field("Employment Status", required: true, codes: ["EE", "NE"]),
        Field("Apprentice Street Address", required: true, maxLength: nameLimit),
        Field("Apprentice City", required: true, maxLength: nameLimit),
        Field("Apprentice State", required: true, maxLength: 2),
        Field("Apprentice 5-Digit Zip Code", required: true, maxLength: 5),
        Field("Telephone"),
        Field("Email"),
        Field("Employer", .any),
        Field("Ethnicity Hispanic / Latino", .integer, required: true, codes: ["1", "2", "9"]),
        Field("Race-American Indian / Alaskan Native", .integer, required: true, codes: raceCodes),
        Field("Asian", .integer, required: true, codes: raceCodes),
        Field("Black / African American", .integer, required: true, codes: raceCodes),
        Field("Native Hawaiian / Other Pacific Islander", .integer, required: true, codes: raceCodes),
        Field("White", .integer, required: true, codes: raceCodes),
        Field("Veteran Status", .integer, required: true, codes: ["1", "2", "3", "4", "9"]),
        Field("Apprentice Disability Status", .integer, required: true, codes: ["1", "2", "9"]),
        Field("Apprentice Education Level", .integer, required: true, codes: ["1", "3", "5", "6", "7", "8", "9"]),
        Field("Occupation", .any, required: true),
        Field("Related Technical Instruction Provider", .any, required: true),
        Field("Credit for previous experience", maxLength: textLimit),
        Field("Credit for Previous Related Training In Hours", .integer),
        Field("Prior Wages", .integer, required: true),
        Field("Prior Wage Units", required: true, codes: wageUnitCodes),
        Field("Entry Wages", .integer, required: true),
        Field("Entry Wage Units", required: true, codes: wageUnitCodes),
        Field("Wage Schedule", .any, required: true),
        Field("Previously Completed Career Lattice Levels", .any),
        Field("Career Connection", codes: ["P", "T", "M", "J", "Y", "H", "C", "S", "N"]),
        Field("WIOA Participant", .integer, codes: ["1", "0"]),
        Field("Type", codes: WIOAParticipantType.allCases.map(\.rawValue)),
        Field("Career Linkage or Direct Entry", codes: ["N", "JC", "HD", "SR", "DE"]),
        Field("TAA Participant", .integer, codes: ["1", "0"]),
        Field("On-the-Job Training Funding Sources", maxLength: textLimit),
        Field("Student Status", required: true, codes: StudentStatus.allCases.map(\.rawValue)),
    ]

    public static var columns: [String] { fields.map(\.name) }

    // MARK: Codes

    /// `MM/DD/YYYY` from the platform's `YYYY-MM-DD`; nil when the text is not a date.
    public static func date(_ iso: String) -> String? {
        guard let day = ProgramCalendar.day(iso) else { return nil }
        let parts = ProgramCalendar.calendar.dateComponents([.year, .month, .day], from: day)
        guard let year = parts.year, let month = parts.month, let dayOfMonth = parts.day else { return nil }
        return String(format: "%02d/%02d/%04d", month, dayOfMonth, year)
    }

    public static func gender(_ sex: Sex) -> String {
        switch sex {
        case .female: "F"
        case .male: "M"
        case .undisclosed: "9"
        }
    }

    public static func employmentStatus(_ status: EmploymentStatus) -> String {
        status == .existingEmployee ? "EE" : "NE"
    }

    public static func ethnicity(_ ethnicity: Ethnicity) -> String {
        switch ethnicity {
        case .hispanicOrLatino: "1"
        case .notHispanicOrLatino: "2"
        case .undisclosed: "9"
        }
    }

    /// The five race flags in column order: `1` when chosen, `0` when not, all `9` when the apprentice chose not to say
    /// (or gave no answer).
    public static func raceFlags(_ races: [Race]) -> [String] {
        let order: [Race] = [.americanIndianOrAlaskaNative, .asian, .blackOrAfricanAmerican, .nativeHawaiianOrPacificIslander, .white]
        let chosen = Set(races)
        if chosen.isEmpty || chosen == [.undisclosed] { return Array(repeating: "9", count: order.count) }
        return order.map { chosen.contains($0) ? "1" : "0" }
    }

    /// 1 veteran, 2 non-veteran, 3 non-veteran other eligible individual (a veteran's spouse), 9 not self-identified.
    /// Code 4 (eligible veteran) is a distinction the ETA-671 form does not ask for.
    public static func veteran(_ status: VeteranStatus) -> String {
        switch status {
        case .veteran: "1"
        case .notVeteran: "2"
        case .eligiblePerson: "3"
        case .undisclosed: "9"
        }
    }

    /// The layout's disability codes: 1 has a disability, 2 does not, 9 did not self-identify.
    public static func disability(_ disclosure: DisabilityDisclosure) -> String {
        switch disclosure {
        case .yes: "1"
        case .no: "2"
        case .undisclosed: "9"
        }
    }

    /// The layout's education codes (9 is a doctorate; 5, "did not self-identify", is not offered: the program needs
    /// a diploma or GED and asks). nil for the old undivided
    /// "graduate degree" answer, which must be made master's or doctorate first.
    public static func education(_ level: EducationLevel) -> String? {
        switch level {
        case .noDiploma: "1"
        case .highSchool, .ged: "3"
        case .someCollege, .associate: "6"
        case .bachelor: "7"
        case .master: "8"
        case .doctorate: "9"
        case .graduate: nil
        }
    }

    /// nil for the old "other" answer, which has no RAPIDS code.
    public static func careerConnection(_ connection: CareerConnection) -> String? {
        switch connection {
        case .preApprenticeship: "P"
        case .careerTechnicalEducation: "T"
        case .militaryVeterans: "M"
        case .jobCorps: "J"
        case .youthBuild: "Y"
        case .hudStepUp: "H"
        case .careerCenterReferral: "C"
        case .schoolToApprenticeship: "S"
        case .none: "N"
        case .other: nil
        }
    }

    /// The linkage column repeats three of the career connections; for the others (direct entry among them, which the
    /// platform does not record) it stays empty, as the layout allows.
    public static func careerLinkage(_ connection: CareerConnection) -> String {
        switch connection {
        case .jobCorps: "JC"
        case .hudStepUp: "HD"
        case .schoolToApprenticeship: "SR"
        default: ""
        }
    }

    /// The layout's wages are whole numbers: cents rounded to the nearest dollar (half a dollar up).
    public static func wholeDollars(_ cents: Int) -> String {
        String((cents + 50) / 100)
    }
}

/// The wage units of the RAPIDS layout; the raw value is its code.
public enum WageUnit: String, Codable, Sendable, CaseIterable {
    case hourly = "H", weekly = "W", monthly = "M", quarterly = "Q", semiAnnually = "S", annually = "A"

    public var label: String {
        switch self {
        case .hourly: "Per hour"
        case .weekly: "Per week"
        case .monthly: "Per month"
        case .quarterly: "Per quarter"
        case .semiAnnually: "Per half year"
        case .annually: "Per year"
        }
    }
}

/// The name suffixes the RAPIDS layout takes.
public enum NameSuffix: String, Codable, Sendable, CaseIterable {
    case first = "I", second = "II", third = "III", junior = "Jr.", senior = "Sr."
    public var label: String { rawValue }
}

/// Student status, which Virginia's State Apprenticeship Agency asks for (the layout requires a value everywhere).
public enum StudentStatus: String, Codable, Sendable, CaseIterable {
    case workBasedLearning = "WBLRA", youth = "YRA", notApplicable = "NA"

    public var label: String {
        switch self {
        case .workBasedLearning: "Work-based learning (WBLRA)"
        case .youth: "Youth apprentice (YRA)"
        case .notApplicable: "Not a student (NA)"
        }
    }
}

/// The WIOA participant type the layout records beside "WIOA participant".
public enum WIOAParticipantType: String, Codable, Sendable, CaseIterable {
    case incumbentWorker = "IW", adult = "AD", youth = "YT", dislocatedWorker = "DI"

    public var label: String {
        switch self {
        case .incumbentWorker: "Incumbent worker"
        case .adult: "Adult"
        case .youth: "Youth"
        case .dislocatedWorker: "Dislocated worker"
        }
    }
}
