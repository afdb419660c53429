import BMETDomain
import Fluent
import Vapor

/// A registered apprentice: one person on one program version at one employer, under one mentor.
final class Apprentice: Model, @unchecked Sendable {
    static let schema = "apprentices"

    @ID(key: .id) var id: UUID?
    /// The apprentice's own account, linked when they accept their invitation.
    @OptionalParent(key: "user_id") var user: User?
    @OptionalParent(key: "applicant_id") var applicant: Applicant?
    @Parent(key: "program_version_id") var programVersion: ProgramVersion
    @Parent(key: "employer_id") var employer: Employer
    @Parent(key: "mentor_id") var mentor: User
    @Field(key: "full_name") var fullName: String
    @Field(key: "email") var email: String
    @Field(key: "start_date") var startDate: String
    @Field(key: "probation_end") var probationEnd: String
    @Field(key: "term_end") var termEnd: String
    @Enum(key: "status") var status: ApprenticeStatus
    @OptionalEnum(key: "status_before_suspension") var statusBeforeSuspension: ApprenticeStatus?
    @Parent(key: "registered_by_id") var registeredBy: User
    @Field(key: "registered_at") var registeredAt: Date
    @OptionalField(key: "agreement_completed_at") var agreementCompletedAt: Date?
    /// The Department of Labor's Certificate of Completion of Apprenticeship (RAPIDS), once it has been issued.
    @OptionalField(key: "dol_certificate_number") var dolCertificateNumber: String?
    @OptionalField(key: "dol_certificate_date") var dolCertificateDate: String?

    /// "DOL certificate no. 123456, issued June 1, 2026", when recorded.
    var dolCertificateText: String? {
        guard let number = dolCertificateNumber else { return nil }
        return "U.S. Department of Labor Certificate of Completion of Apprenticeship no. \(number)"
            + (dolCertificateDate.map { ", issued \(DocumentFacts.longDate($0))" } ?? "")
    }

    init() {}
}

/// ETA-671 part II data, kept apart from the apprentice row because it is the most sensitive.
/// The SSN is stored only encrypted (AES-GCM) plus its last four digits for the masked display.
final class RegistrationData: Model, @unchecked Sendable {
    static let schema = "apprentice_registration_data"

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Field(key: "address_line1") var addressLine1: String
    @Field(key: "city") var city: String
    @Field(key: "state") var state: String
    @Field(key: "zip") var zip: String
    @Field(key: "birth_date") var birthDate: String
    @Enum(key: "sex") var sex: Sex
    @Enum(key: "ethnicity") var ethnicity: Ethnicity
    /// Comma-separated `Race` raw values (more than one may apply).
    @Field(key: "races") var races: String
    @Enum(key: "veteran_status") var veteranStatus: VeteranStatus
    @Enum(key: "education") var education: EducationLevel
    @Enum(key: "employment_status") var employmentStatus: EmploymentStatus
    @Enum(key: "career_connection") var careerConnection: CareerConnection
    @Enum(key: "disability") var disability: DisabilityDisclosure
    @OptionalField(key: "ssn_ciphertext") var ssnCiphertext: String?
    @OptionalField(key: "ssn_last4") var ssnLast4: String?
    @OptionalField(key: "guardian_name") var guardianName: String?
    // What the RAPIDS upload layout asks beyond ETA-671 (UpdateRegistrationDataAddRapidsUploadFields). Optional in the
    // database because records made before have none; the RAPIDS report flags what the layout requires.
    /// The legal name's parts as RAPIDS records them; first and last default to the full name's first and last word.
    @OptionalField(key: "first_name") var firstName: String?
    @OptionalField(key: "middle_name") var middleName: String?
    @OptionalField(key: "last_name") var lastName: String?
    /// A `NameSuffix` raw value.
    @OptionalField(key: "suffix") var suffix: String?
    @OptionalField(key: "prior_wage_cents") var priorWageCents: Int?
    /// A `WageUnit` raw value (the RAPIDS code).
    @OptionalField(key: "prior_wage_unit") var priorWageUnit: String?
    /// Voluntary: nil when not answered.
    @OptionalField(key: "wioa_participant") var wioaParticipant: Bool?
    /// A `WIOAParticipantType` raw value, only for WIOA participants.
    @OptionalField(key: "wioa_type") var wioaType: String?
    @OptionalField(key: "taa_participant") var taaParticipant: Bool?
    /// A `StudentStatus` raw value.
    @OptionalField(key: "student_status") var studentStatus: String?
    @OptionalField(key: "ojt_funding_sources") var ojtFundingSources: String?
    /// Credit for previous related (classroom) training, in hours; nil is none.
    @OptionalField(key: "related_training_credit_hours") var relatedTrainingCreditHours: Int?
    @OptionalField(key: "rti_provider") var rtiProvider: String?

    init() {}

    var maskedSSN: String? { ssnLast4.map { "***-**-\($0)" } }
}

/// One step of this apprentice's wage schedule: the standards' trigger with the employer's rate.
final class ApprenticeWageStep: Model, @unchecked Sendable {
    static let schema = "apprentice_wage_steps"

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Field(key: "step") var step: Int
    @Field(key: "title") var title: String
    @Field(key: "trigger_summary") var triggerSummary: String
    @Field(key: "hourly_rate_cents") var hourlyRateCents: Int

    init() {}
}

/// Credit for prior learning toward one skill set, with the reason it was granted.
final class PriorLearningCredit: Model, @unchecked Sendable {
    static let schema = "prior_learning_credits"

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Field(key: "skill_set_code") var skillSetCode: String
    @Field(key: "hours") var hours: Int
    /// Comma-separated skill codes credited as already mastered.
    @Field(key: "skill_codes") var skillCodes: String
    @Field(key: "reason") var reason: String
    @Parent(key: "granted_by_id") var grantedBy: User
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// One party's electronic signature of the apprenticeship agreement: typed name, who, when, from where.
final class AgreementSignature: Model, @unchecked Sendable {
    static let schema = "agreement_signatures"

    enum Party: String, Codable, Sendable, CaseIterable {
        case apprentice, employer, sponsor

        var label: String {
            switch self {
            case .apprentice: "Apprentice"
            case .employer: "Employer"
            case .sponsor: "Program sponsor"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Enum(key: "party") var party: Party
    @Field(key: "typed_name") var typedName: String
    @Parent(key: "signer_id") var signer: User
    @Field(key: "signed_at") var signedAt: Date
    @OptionalField(key: "ip_address") var ipAddress: String?

    init() {}
}

/// One change in an apprentice's record: registration, signatures complete, status moves, transfers. Never edited.
final class ApprenticeEvent: Model, @unchecked Sendable {
    static let schema = "apprentice_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Field(key: "kind") var kind: String
    @OptionalEnum(key: "from_status") var fromStatus: ApprenticeStatus?
    @Enum(key: "to_status") var toStatus: ApprenticeStatus
    @OptionalEnum(key: "reason") var reason: CancellationReason?
    @Field(key: "during_probation") var duringProbation: Bool
    @Field(key: "note") var note: String
    @OptionalParent(key: "from_employer_id") var fromEmployer: Employer?
    @OptionalParent(key: "to_employer_id") var toEmployer: Employer?
    @OptionalParent(key: "actor_id") var actor: User?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(apprenticeID: UUID, kind: String, from: ApprenticeStatus?, to: ApprenticeStatus, reason: CancellationReason? = nil,
         duringProbation: Bool = false, note: String = "", fromEmployerID: UUID? = nil, toEmployerID: UUID? = nil, actorID: UUID?, at: Date = Date()) {
        self.$apprentice.id = apprenticeID
        self.kind = kind
        self.fromStatus = from
        self.toStatus = to
        self.reason = reason
        self.duringProbation = duringProbation
        self.note = note
        self.$fromEmployer.id = fromEmployerID
        self.$toEmployer.id = toEmployerID
        self.$actor.id = actorID
        self.createdAt = at
    }
}
