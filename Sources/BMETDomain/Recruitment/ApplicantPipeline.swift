/// A prospective apprentice's path from the interest form to a job.
public enum ApplicantStatus: String, Codable, Sendable, CaseIterable {
    case new
    case screening
    case referred
    case interviewing
    case hired
    case declined
    case withdrawn

    public var label: String {
        switch self {
        case .new: "New"
        case .screening: "Screening"
        case .referred: "Referred to employer"
        case .interviewing: "Interviewing"
        case .hired: "Hired"
        case .declined: "Declined"
        case .withdrawn: "Withdrawn"
        }
    }

    /// Still in the pipeline: a new interest form from the same person updates this application.
    public var isOpen: Bool { self != .hired && self != .declined && self != .withdrawn }
}

/// Who may move an applicant where. Employers act only on applicants referred to them (checked by the app).
public enum ApplicantPipeline {
    public enum Actor: Sendable, Equatable { case programAdmin, employerAdmin }

    /// The statuses `actor` may move an applicant to from `status`.
    public static func nextStatuses(from status: ApplicantStatus, by actor: Actor) -> [ApplicantStatus] {
        switch (actor, status) {
        case (.programAdmin, .new): [.screening, .declined, .withdrawn]
        case (.programAdmin, .screening): [.referred, .declined, .withdrawn]
        case (.programAdmin, .referred): [.screening, .interviewing, .declined, .withdrawn]
        case (.programAdmin, .interviewing): [.hired, .screening, .declined, .withdrawn]
        // The employer records its interview and hire, declines the candidate with a reason, or hands them back.
        case (.employerAdmin, .referred): [.interviewing, .declined, .screening]
        case (.employerAdmin, .interviewing): [.hired, .declined, .screening]
        default: []
        }
    }

    public static func canMove(from status: ApplicantStatus, to next: ApplicantStatus, by actor: Actor) -> Bool {
        nextStatuses(from: status, by: actor).contains(next)
    }
}

/// An employer's partner inquiry, from first contact to an active partner.
public enum InquiryStatus: String, Codable, Sendable, CaseIterable {
    case new
    case agreementSent = "agreement_sent"
    case agreementSigned = "agreement_signed"
    case active
    case declined

    public var label: String {
        switch self {
        case .new: "New"
        case .agreementSent: "Agreement sent"
        case .agreementSigned: "Agreement signed"
        case .active: "Active partner"
        case .declined: "Declined"
        }
    }

    public var next: [InquiryStatus] {
        switch self {
        case .new: [.agreementSent, .declined]
        case .agreementSent: [.agreementSigned, .declined]
        case .agreementSigned: [.active, .declined]
        case .active, .declined: []
        }
    }
}

public enum EmployerType: String, Codable, Sendable, CaseIterable {
    case hospital
    case htmServiceCompany = "htm_service_company"
    case manufacturer
    case other

    public var label: String {
        switch self {
        case .hospital: "Hospital or health system"
        case .htmServiceCompany: "HTM service company"
        case .manufacturer: "Medical device manufacturer"
        case .other: "Other"
        }
    }
}
