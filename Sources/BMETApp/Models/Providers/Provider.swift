import Fluent
import Vapor

/// A related-instruction provider: a college or a training provider the sponsor works with. Its staff
/// (`Role.instructionProvider`) record the instruction of the apprentices enrolled with it.
final class Provider: Model, @unchecked Sendable {
    static let schema = "providers"

    enum Kind: String, Codable, Sendable, CaseIterable {
        case college
        case trainingProvider = "training_provider"

        var label: String {
            switch self {
            case .college: "College"
            case .trainingProvider: "Training provider"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Enum(key: "kind") var kind: Kind
    @Field(key: "contact_name") var contactName: String
    @Field(key: "contact_email") var contactEmail: String
    @OptionalField(key: "contact_phone") var contactPhone: String?
    @Parent(key: "created_by_id") var createdBy: User
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// An apprentice enrolled with a provider for one course of the program: the link that decides which apprentices the
/// provider's staff see. Kept once per provider, apprentice and course; the course's steps are instruction records.
final class ProviderEnrolment: Model, @unchecked Sendable {
    static let schema = "provider_enrolments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "provider_id") var provider: Provider
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Field(key: "course_code") var courseCode: String
    @Parent(key: "enrolled_by_id") var enrolledBy: User
    @Field(key: "enrolled_at") var enrolledAt: Date

    init() {}
}

/// Hours attended so far in a course, as the provider reports them: progress within the course, appended, never
/// edited. Progress toward completion counts only a completion's contact hours.
final class ProviderAttendance: Model, @unchecked Sendable {
    static let schema = "provider_attendance"

    @ID(key: .id) var id: UUID?
    @Parent(key: "enrolment_id") var enrolment: ProviderEnrolment
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Field(key: "hours") var hours: Int
    /// The last day these hours cover, `YYYY-MM-DD`.
    @Field(key: "through_date") var throughDate: String
    @Parent(key: "recorded_by_id") var recordedBy: User
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
