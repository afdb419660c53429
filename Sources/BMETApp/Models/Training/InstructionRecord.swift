import BMETDomain
import Fluent
import Vapor

/// One step in a related-instruction course: enrolled, completed or withdrawn. Appended, never edited;
/// a course's state is its latest record.
final class InstructionRecord: Model, @unchecked Sendable {
    static let schema = "instruction_records"

    enum Status: String, Codable, Sendable, CaseIterable {
        case enrolled, completed, withdrawn

        var label: String {
            switch self {
            case .enrolled: "Enrolled"
            case .completed: "Completed"
            case .withdrawn: "Withdrawn"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Field(key: "course_code") var courseCode: String
    @Enum(key: "status") var status: Status
    @Field(key: "provider") var provider: String
    /// The day it happened, `YYYY-MM-DD`.
    @Field(key: "event_date") var eventDate: String
    /// Contact hours, for completions.
    @OptionalField(key: "hours") var hours: Int?
    @OptionalField(key: "grade") var grade: String?
    @Parent(key: "recorded_by_id") var recordedBy: User
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// One step toward an industry credential: planned, scheduled, passed or failed. Appended, never edited.
final class CredentialRecord: Model, @unchecked Sendable {
    static let schema = "credential_records"

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Field(key: "credential_code") var credentialCode: String
    @Enum(key: "status") var status: CredentialStatus
    /// Exam date for scheduled, passed and failed; nil for planned.
    @OptionalField(key: "event_date") var eventDate: String?
    @OptionalField(key: "expires_on") var expiresOn: String?
    @Field(key: "note") var note: String
    @OptionalField(key: "evidence_file") var evidenceFile: String?
    @OptionalField(key: "evidence_name") var evidenceName: String?
    @Parent(key: "recorded_by_id") var recordedBy: User
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
