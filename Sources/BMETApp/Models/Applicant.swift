import BMETDomain
import Fluent
import Vapor

/// A prospective apprentice who filled out the interest form. Date of birth is personal data:
/// it is shown only to staff who may see the applicant, and never logged.
final class Applicant: Model, @unchecked Sendable {
    static let schema = "applicants"

    @ID(key: .id) var id: UUID?
    @Field(key: "full_name") var fullName: String
    @Field(key: "email") var email: String
    @Field(key: "phone") var phone: String
    @Field(key: "city") var city: String
    @Field(key: "state") var state: String
    @Field(key: "zip") var zip: String
    /// `YYYY-MM-DD`: a calendar date, not an instant.
    @Field(key: "birth_date") var birthDate: String
    @Enum(key: "education") var education: EducationLevel
    /// `YYYY-MM-DD`, for students who apply before their diploma or GED (the standards need it by the start).
    @OptionalField(key: "expected_diploma_date") var expectedDiplomaDate: String?
    @Field(key: "work_authorized") var workAuthorized: Bool
    @OptionalEnum(key: "veteran_status") var veteranStatus: VeteranStatus?
    @Field(key: "heard_from") var heardFrom: String
    @Field(key: "statement") var statement: String
    /// For applicants aged 16–17: a parent or guardian agreed.
    @Field(key: "guardian_consent") var guardianConsent: Bool
    @OptionalField(key: "resume_file") var resumeFile: String?
    @OptionalField(key: "resume_name") var resumeName: String?
    @Field(key: "consented_at") var consentedAt: Date
    @Enum(key: "status") var status: ApplicantStatus
    @OptionalParent(key: "referred_employer_id") var referredEmployer: Employer?
    @Field(key: "submissions") var submissions: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

/// One step in an applicant's history; never edited.
final class ApplicantEvent: Model, @unchecked Sendable {
    static let schema = "applicant_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "applicant_id") var applicant: Applicant
    @OptionalEnum(key: "from_status") var fromStatus: ApplicantStatus?
    @Enum(key: "to_status") var toStatus: ApplicantStatus
    @Field(key: "note") var note: String
    /// Nil when the applicant acted through the public form.
    @OptionalParent(key: "actor_id") var actor: User?
    @OptionalParent(key: "employer_id") var employer: Employer?
    /// When the applicant re-submitted the form: their answers before it (JSON), so nothing is lost.
    @OptionalField(key: "previous_answers") var previousAnswers: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(applicantID: UUID, from: ApplicantStatus?, to: ApplicantStatus, note: String, actorID: UUID?, employerID: UUID? = nil, at: Date = Date()) {
        self.$applicant.id = applicantID
        self.fromStatus = from
        self.toStatus = to
        self.note = note
        self.$actor.id = actorID
        self.$employer.id = employerID
        self.createdAt = at
    }
}

/// Public form submissions, counted to rate-limit each address and e-mail.
final class FormSubmission: Model, @unchecked Sendable {
    static let schema = "form_submissions"

    @ID(key: .id) var id: UUID?
    @Field(key: "form") var form: String
    @Field(key: "key") var key: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(form: String, key: String, at: Date = Date()) {
        self.form = form
        self.key = key
        self.createdAt = at
    }
}
