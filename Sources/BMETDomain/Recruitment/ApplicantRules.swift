import Foundation

/// The program's entry requirements, applied to the interest form.
public enum ApplicantRules {
    /// DOL allows apprentices from 16; under 18 the agreement needs a parent's or guardian's signature.
    public static let minimumAge = 16
    public static let adultAge = 18

    public enum AgeCheck: Equatable, Sendable {
        case adult
        /// 16 or 17: allowed with a parent's or guardian's consent.
        case minorWithConsentRequired
        case tooYoung
        case implausible
    }

    public static func checkAge(birthDate: Date, today: Date) -> AgeCheck {
        guard birthDate < today else { return .implausible }
        let age = ProgramCalendar.age(birthDate: birthDate, on: today)
        if age > 100 { return .implausible }
        if age >= adultAge { return .adult }
        if age >= minimumAge { return .minorWithConsentRequired }
        return .tooYoung
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

    /// The program requires a high-school diploma or GED at the start.
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
