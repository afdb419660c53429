/// The ETA-671 part II registration fields the Department of Labor asks for, as closed lists.
/// Disclosure of each is voluntary where the form says so; "undisclosed" records that choice.
public enum Sex: String, Codable, Sendable, CaseIterable {
    case female, male, undisclosed
    public var label: String { self == .undisclosed ? "Prefer not to say" : rawValue.capitalized }
}

public enum Ethnicity: String, Codable, Sendable, CaseIterable {
    case hispanicOrLatino = "hispanic_or_latino"
    case notHispanicOrLatino = "not_hispanic_or_latino"
    case undisclosed

    public var label: String {
        switch self {
        case .hispanicOrLatino: "Hispanic or Latino"
        case .notHispanicOrLatino: "Not Hispanic or Latino"
        case .undisclosed: "Prefer not to say"
        }
    }
}

public enum Race: String, Codable, Sendable, CaseIterable {
    case americanIndianOrAlaskaNative = "american_indian_or_alaska_native"
    case asian
    case blackOrAfricanAmerican = "black_or_african_american"
    case nativeHawaiianOrPacificIslander = "native_hawaiian_or_pacific_islander"
    case white
    case undisclosed

    public var label: String {
        switch self {
        case .americanIndianOrAlaskaNative: "American Indian or Alaska Native"
        case .asian: "Asian"
        case .blackOrAfricanAmerican: "Black or African American"
        case .nativeHawaiianOrPacificIslander: "Native Hawaiian or Other Pacific Islander"
        case .white: "White"
        case .undisclosed: "Prefer not to say"
        }
    }
}

public enum EmploymentStatus: String, Codable, Sendable, CaseIterable {
    case newEmployee = "new_employee"
    case existingEmployee = "existing_employee"

    public var label: String { self == .newEmployee ? "New employee" : "Existing employee" }
}

public enum CareerConnection: String, Codable, Sendable, CaseIterable {
    case none
    case preApprenticeship = "pre_apprenticeship"
    case jobCorps = "job_corps"
    case youthBuild = "youthbuild"
    case careerTechnicalEducation = "cte"
    case militaryVeterans = "military_veterans"
    case hudStepUp = "hud_step_up"
    case careerCenterReferral = "career_center_referral"
    case schoolToApprenticeship = "school_to_apprenticeship"
    /// Recorded before the list followed RAPIDS's career connections; it has no RAPIDS code and is no longer offered.
    case other

    public var label: String {
        switch self {
        case .none: "None"
        case .preApprenticeship: "Pre-apprenticeship program"
        case .jobCorps: "Job Corps"
        case .youthBuild: "YouthBuild"
        case .careerTechnicalEducation: "Technical training school"
        case .militaryVeterans: "Military"
        case .hudStepUp: "HUD / STEP-UP"
        case .careerCenterReferral: "Career center referral"
        case .schoolToApprenticeship: "School-to-apprenticeship"
        case .other: "Other (choose another)"
        }
    }

    /// The answers forms offer.
    public static var choices: [CareerConnection] { allCases.filter { $0 != .other } }
}

public enum DisabilityDisclosure: String, Codable, Sendable, CaseIterable {
    case yes, no, undisclosed
    public var label: String {
        switch self {
        case .yes: "Yes, I have a disability"
        case .no: "No"
        case .undisclosed: "Prefer not to say"
        }
    }
}
