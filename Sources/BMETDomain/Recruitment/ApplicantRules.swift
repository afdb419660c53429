import Foundation

/// The program's entry requirements, applied to the interest form.
public enum ApplicantRules {
    /// Under 18 the agreement needs a parent's or guardian's signature. The minimum age is the standards'
    /// (``EntryRequirements``), never below 16.
    public static let adultAge = 18
    /// A student applies at most this long before the diploma they expect.
    public static let longestDiplomaWaitYears = 3

    public enum AgeCheck: Equatable, Sendable {
        case adult
        /// 16 or 17: allowed with a parent's or guardian's consent.
        case minorWithConsentRequired
        case tooYoung
        case implausible
    }

    public static func checkAge(birthDate: Date, today: Date, minimumAge: Int = EntryRequirements.standard.minimumAge) -> AgeCheck {
        guard birthDate < today else { return .implausible }
        let age = ProgramCalendar.age(birthDate: birthDate, on: today)
        if age > 100 { return .implausible }
        if age >= max(adultAge, minimumAge) { return .adult }
        if age >= minimumAge { return .minorWithConsentRequired }
        return .tooYoung
    }

    public enum DiplomaCheck: Equatable, Sendable {
        /// Has one, or the program needs none.
        case met
        /// Still in school: fine, with the date the diploma is expected.
        case expected
        case expectedDateMissing
        case expectedDateInPast
        case expectedDateTooFar
    }

    /// The interest form's rule: a student without a diploma yet may apply when the standards need it only by the
    /// start date, saying when they expect it.
    public static func checkDiploma(_ education: EducationLevel, expected: Date?, today: Date, entry: EntryRequirements) -> DiplomaCheck {
        guard education == .noDiploma, entry.diplomaByStart else { return .met }
        guard let expected else { return .expectedDateMissing }
        if expected < today { return .expectedDateInPast }
        if expected > ProgramCalendar.adding(years: longestDiplomaWaitYears, to: today) { return .expectedDateTooFar }
        return .expected
    }

    /// Registration's rule, on the first day: the diploma the standards need must be there by then.
    public static func meetsEducation(_ education: EducationLevel, entry: EntryRequirements) -> Bool {
        !entry.diplomaByStart || education.meetsMinimum
    }
}

/// Highest education completed (interest form and ETA-671).
public enum EducationLevel: String, Codable, Sendable, CaseIterable {
    case noDiploma = "no_diploma"
    case highSchool = "high_school"
    case ged
    case someCollege = "some_college"
    case associate
    case bachelor
    case master
    case doctorate
    /// Recorded before master's and doctorate were asked apart (RAPIDS codes them differently); no longer offered.
    case graduate

    public var label: String {
        switch self {
        case .noDiploma: "No high-school diploma or GED yet"
        case .highSchool: "High-school diploma"
        case .ged: "GED or equivalent"
        case .someCollege: "Some college, no degree"
        case .associate: "Associate degree"
        case .bachelor: "Bachelor's degree"
        case .master: "Master's degree"
        case .doctorate: "Doctorate or professional degree"
        case .graduate: "Graduate degree (master's or doctorate not said)"
        }
    }

    /// The answers forms offer.
    public static var choices: [EducationLevel] { allCases.filter { $0 != .graduate } }

    /// A high-school diploma, GED or more.
    public var meetsMinimum: Bool { self != .noDiploma }
}

public enum VeteranStatus: String, Codable, Sendable, CaseIterable {
    case notVeteran = "not_veteran"
    case veteran
    case eligiblePerson = "eligible_person"
    case undisclosed

    public var label: String {
        switch self {
        case .notVeteran: "Not a veteran"
        case .veteran: "Veteran"
        case .eligiblePerson: "Eligible person (spouse of a veteran)"
        case .undisclosed: "Prefer not to say"
        }
    }
}
