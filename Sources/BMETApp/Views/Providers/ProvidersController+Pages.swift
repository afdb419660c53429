import BMETDomain
import Fluent
import SQLKit
import Vapor

/// The page models of `ProvidersController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension ProvidersController {
    struct ListView: Encodable {
        struct Row: Encodable { let id: String; let name: String; let kind: String; let contact: String; let students: Int }
        let rows: [Row]; let total: Int; let page: Int; let previous: String?; let next: String?
    }

    struct FormView: Encodable {
        let values: ProviderInput
        let errors: FieldErrors
        let kinds: [SelectOption]
    }

    struct DetailView: Encodable {
        struct Person: Encodable { let name: String; let email: String }
        struct Invite: Encodable { let name: String; let email: String; let status: String; let sent: String }
        struct Enrolment: Encodable { let apprentice: String; let course: String; let by: String; let when: String }
        let id: String; let name: String; let kind: String; let contactName: String; let contactEmail: String; let contactPhone: String?
        let staff: [Person]; let invitations: [Invite]
        let students: Int; let enrolments: [Enrolment]; let moreEnrolments: Bool
        let courseOptions: [SelectOption]
        let inviteValues: [String: String]; let inviteErrors: FieldErrors
        let enrolValues: [String: String]; let enrolErrors: FieldErrors
        let saved: String?
    }

    func detail(_ req: Request, _ provider: Provider, invite: InvitationInput? = nil, inviteErrors: FieldErrors = [:],
                        enrol: EnrolmentInput? = nil, enrolErrors: FieldErrors = [:]) async throws -> DetailView {
        let id = try provider.requireID()
        let staff = try await User.query(on: req.db).filter(\.$providerID == id).sort(\.$fullName).all()
        let invitations = try await Invitation.query(on: req.db).filter(\.$providerID == id).filter(\.$acceptedAt == nil)
            .sort(\.$createdAt, .descending).limit(20).all()
        let recent = try await ProviderEnrolment.query(on: req.db).filter(\.$provider.$id == id).with(\.$apprentice).with(\.$enrolledBy)
            .sort(\.$enrolledAt, .descending).limit(21).all()
        // The courses of the latest program version; enrolment checks the apprentice's own version.
        let courses = try await StandardsLibrary.newestStandards(on: req.db)?.courses ?? []
        let titles = Dictionary(courses.map { ($0.code, $0.title) }, uniquingKeysWith: { first, _ in first })
        return DetailView(
            id: id.uuidString, name: provider.name, kind: provider.kind.label, contactName: provider.contactName,
            contactEmail: provider.contactEmail, contactPhone: provider.contactPhone,
            staff: staff.map { .init(name: $0.fullName, email: $0.email) },
            invitations: invitations.map { .init(name: $0.fullName, email: $0.email, status: $0.status, sent: DateText.dateTime($0.createdAt)) },
            students: try await Self.studentCounts([id], on: req.db)[id] ?? 0,
            enrolments: recent.prefix(20).map { .init(apprentice: $0.apprentice.fullName, course: titles[$0.courseCode] ?? $0.courseCode,
                                                      by: $0.enrolledBy.fullName, when: DateText.dateTime($0.enrolledAt)) },
            moreEnrolments: recent.count > 20,
            courseOptions: courses.map { SelectOption(value: $0.code, label: "\($0.title) (\($0.hours) h)", selected: $0.code == enrol?.courseCode) },
            inviteValues: ["email": invite?.email ?? "", "fullName": invite?.fullName ?? ""], inviteErrors: inviteErrors,
            enrolValues: ["apprenticeEmail": enrol?.apprenticeEmail ?? "", "date": enrol?.date ?? ""], enrolErrors: enrolErrors,
            saved: req.query[String.self, at: "saved"].flatMap { ["added": "Provider added.", "invited": "Invitation sent.", "enrolled": "Enrolled."][$0] })
    }
}
