import Foundation

/// The equal-opportunity duties of 29 CFR 30 that a sponsor with five or more apprentices carries, as plain rules:
/// the groups a utilization analysis compares (30.5), how under-utilization is decided, the 7% disability goal (30.7),
/// small-group suppression for the reports, the disability self-identification invitations (30.11) and the
/// annual review's checklist (30.9).
public enum EEOGroup: String, Codable, Sendable, CaseIterable {
    case women
    case hispanicOrLatino = "hispanic_or_latino"
    case americanIndianOrAlaskaNative = "american_indian_or_alaska_native"
    case asian
    case blackOrAfricanAmerican = "black_or_african_american"
    case nativeHawaiianOrPacificIslander = "native_hawaiian_or_pacific_islander"
    case white

    public var label: String {
        switch self {
        case .women: "Women"
        case .hispanicOrLatino: "Hispanic or Latino"
        case .americanIndianOrAlaskaNative: "American Indian or Alaska Native"
        case .asian: "Asian"
        case .blackOrAfricanAmerican: "Black or African American"
        case .nativeHawaiianOrPacificIslander: "Native Hawaiian or Other Pacific Islander"
        case .white: "White"
        }
    }

    /// Race groups: their availability figures share one population, so together they cannot exceed 100%.
    public var isRace: Bool { self != .women && self != .hispanicOrLatino }
}

public enum EqualOpportunityRules {
    /// 30.7: the utilization goal for people with disabilities, per occupation group.
    public static let disabilityGoalPercent = 7.0
    /// Reports show no count below this, so no individual can be picked out of a small group.
    public static let smallestShownGroup = 5
    /// 30.12: records are kept at least this many years.
    public static let retentionYears = 5

    /// A percentage typed as "23", "23.5" or "23.5%", to tenths of a percent; nil when it is not a number from 0 to 100.
    public static func tenths(ofPercent text: String) -> Int? {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") { trimmed.removeLast() }
        trimmed = trimmed.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              trimmed.filter({ $0 == "." }).count <= 1, let value = Double(trimmed), value >= 0, value <= 100 else { return nil }
        let tenths = (value * 10).rounded()
        // More than one decimal is refused rather than silently rounded: availability figures are published to tenths.
        guard abs(tenths - value * 10) < 0.0001 else { return nil }
        return Int(tenths)
    }

    /// Checks one occupation and state's availability figures as typed. Returns the figures in tenths of a percent,
    /// or a message per field (`availability[<group>]`, `source`, `year`).
    public static func validateAvailability(_ typed: [EEOGroup: String], source: String, year: String, currentYear: Int) -> Result<[EEOGroup: Int], FieldProblems> {
        var problems = FieldProblems()
        var figures: [EEOGroup: Int] = [:]
        for group in EEOGroup.allCases {
            let text = (typed[group] ?? "").trimmingCharacters(in: .whitespaces)
            if text.isEmpty { problems.messages["availability[\(group.rawValue)]"] = "Enter the availability of this group, from 0 to 100%."; continue }
            guard let value = tenths(ofPercent: text) else {
                problems.messages["availability[\(group.rawValue)]"] = "Enter a percentage from 0 to 100, with at most one decimal (e.g. 23.5)."
                continue
            }
            figures[group] = value
        }
        let raceTotal = EEOGroup.allCases.filter(\.isRace).compactMap { figures[$0] }.reduce(0, +)
        if raceTotal > 1000 {
            problems.messages["availability[white]"] = "The race groups add up to \(Self.percentText(tenths: raceTotal)); together they cannot be more than 100%."
        }
        if source.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.messages["source"] = "Name the source of the figures (e.g. U.S. Census Bureau, ACS 5-year estimates)."
        }
        if let value = Int(year.trimmingCharacters(in: .whitespaces)) {
            if value < 1990 || value > currentYear { problems.messages["year"] = "Enter the year of the figures, 1990 to \(currentYear)." }
        } else {
            problems.messages["year"] = "Enter the year of the figures as four digits, e.g. \(currentYear - 1)."
        }
        return problems.messages.isEmpty ? .success(figures) : .failure(problems)
    }

    /// "23.5%" for 235 tenths.
    public static func percentText(tenths: Int) -> String {
        tenths % 10 == 0 ? "\(tenths / 10)%" : String(format: "%.1f%%", Double(tenths) / 10)
    }

    public struct Assessment: Equatable, Sendable {
        /// The group's share of the apprentices, 0...1; nil when there are none.
        public let utilization: Double?
        /// How many apprentices of the group the availability would lead one to expect.
        public let expected: Double
        /// Whole people short of the expectation (0 when none).
        public let shortfall: Int
        public let underUtilized: Bool
    }

    /// 30.5(b): a group is under-utilized when fewer of its members are apprentices than its availability would lead
    /// one to expect. A fraction of a person is not a shortfall (the "whole person" rule), so a small program is not
    /// flagged for being one tenth of a person short.
    public static func assess(availabilityTenths: Int, count: Int, total: Int) -> Assessment {
        guard total > 0 else { return Assessment(utilization: nil, expected: 0, shortfall: 0, underUtilized: false) }
        let expected = Double(total) * Double(availabilityTenths) / 1000
        let shortfall = max(0, Int((expected - Double(count)).rounded(.down)))
        return Assessment(utilization: Double(count) / Double(total), expected: expected, shortfall: shortfall, underUtilized: shortfall >= 1)
    }

    /// 30.7: below the goal when the share of apprentices who self-identified a disability is under 7%.
    public static func belowDisabilityGoal(withDisability: Int, total: Int) -> Bool {
        total > 0 && Double(withDisability) / Double(total) * 100 < disabilityGoalPercent
    }

    /// A count as a report may show it: "fewer than 5" for 1–4, so nobody in a small group can be picked out.
    public static func shownCount(_ count: Int) -> String {
        count > 0 && count < smallestShownGroup ? "fewer than \(smallestShownGroup)" : String(count)
    }

    public static func isSuppressed(_ count: Int) -> Bool { count > 0 && count < smallestShownGroup }
}

/// Field messages from a rule check, keyed by the form field's name.
public struct FieldProblems: Error, Equatable, Sendable {
    public var messages: [String: String] = [:]
    public init() {}
}

/// One answer to the voluntary disability self-identification form (30.11).
public enum DisabilityAnswer: String, Codable, Sendable, CaseIterable {
    case yes, no, declined

    public var label: String {
        switch self {
        case .yes: "Yes, I have a disability (or previously had a disability)"
        case .no: "No, I do not have a disability"
        case .declined: "I do not want to answer"
        }
    }

    public var shortLabel: String {
        switch self {
        case .yes: "Has a disability"
        case .no: "No disability"
        case .declined: "Did not answer"
        }
    }

    /// What the registration record and RAPIDS keep of it.
    public var disclosure: DisabilityDisclosure {
        switch self {
        case .yes: .yes
        case .no: .no
        case .declined: .undisclosed
        }
    }
}

/// The three times 30.11 names for the invitation, and the yearly reminder.
public enum SelfIdentificationStage: String, Codable, Sendable, CaseIterable {
    /// Applicants, at application, separately from the application.
    case applicant
    /// After an offer, before the apprenticeship starts.
    case postOffer = "post_offer"
    /// Every current apprentice, once.
    case current
    /// Every year after that.
    case reminder

    public var label: String {
        switch self {
        case .applicant: "Applicant (before any offer)"
        case .postOffer: "After the offer, before the start"
        case .current: "Current apprentice (once)"
        case .reminder: "Yearly reminder"
        }
    }

    /// How long the link in an invitation can be used.
    public static let linkValidDays = 400
    /// The reminder goes out once a year after the last invitation.
    public static let reminderAfterDays = 365
}

/// 30.9: what the sponsor's yearly review of its personnel practices looks at. Each item is ticked with a note.
public enum AnnualReviewChecklist {
    public struct Item: Sendable, Equatable {
        public let code: String
        public let text: String
    }

    public static let items: [Item] = [
        Item(code: "qualifications", text: "Qualification standards and selection procedures are job-related and applied to every applicant alike (30.10)."),
        Item(code: "outreach", text: "Outreach and recruitment reached the groups found under-utilized, and the log of activities is complete (30.8)."),
        Item(code: "utilization", text: "The utilization analysis was updated with current availability figures and goals were set where a group is under-utilized (30.5, 30.6)."),
        Item(code: "disability", text: "Progress toward the 7% utilization goal for people with disabilities was assessed per occupation group (30.7)."),
        Item(code: "self_identification", text: "Applicants and apprentices were invited to self-identify a disability at each stage, and the answers were kept confidential and apart from personnel records (30.11)."),
        Item(code: "harassment", text: "Anti-harassment training was given and complaints were handled; the EEO pledge and policy are posted where apprentices see them (30.3)."),
        Item(code: "accommodation", text: "Requests for reasonable accommodation were answered (30.3)."),
        Item(code: "wages_assignments", text: "Wages, work assignments, mentoring and promotion were reviewed for differences between groups (30.9)."),
        Item(code: "records", text: "The records 29 CFR 30 requires are complete and kept for at least five years (30.12)."),
    ]

    /// A review is due when none was signed in the last year.
    public static func isDue(lastSigned: Date?, now: Date) -> Bool {
        guard let lastSigned else { return true }
        return now.timeIntervalSince(lastSigned) >= 365 * 86_400
    }
}

/// The kinds of outreach and recruitment activity 30.8 describes.
public enum OutreachKind: String, Codable, Sendable, CaseIterable {
    case schoolOrCollege = "school_or_college"
    case communityOrganization = "community_organization"
    case workforceAgency = "workforce_agency"
    case preApprenticeship = "pre_apprenticeship"
    case veteransProgram = "veterans_program"
    case disabilityOrganization = "disability_organization"
    case careerFair = "career_fair"
    case advertisement
    case other

    public var label: String {
        switch self {
        case .schoolOrCollege: "School or college"
        case .communityOrganization: "Community organization"
        case .workforceAgency: "Workforce agency (American Job Center)"
        case .preApprenticeship: "Pre-apprenticeship program"
        case .veteransProgram: "Veterans' program"
        case .disabilityOrganization: "Disability service organization"
        case .careerFair: "Career fair"
        case .advertisement: "Advertisement"
        case .other: "Other"
        }
    }
}
