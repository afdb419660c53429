import BMETDomain
import Fluent
import Vapor

/// The page models of `ApplicantsController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension ApplicantsController {
    struct ListView: Encodable {
        struct Row: Encodable { let id: String; let name: String; let city: String; let state: String; let status: String; let statusCode: String; let applied: String; let employer: String? }
        let rows: [Row]
        let statuses: [SelectOption]
        let states: [SelectOption]
        let q: String
        let from: String
        let to: String
        let error: String?
        let total: Int
        /// The same filters, as a CSV download.
        var exportHref = "/applicants/export.csv"
    }

    struct DetailView: Encodable {
        struct Event: Encodable { let when: String; let from: String?; let to: String; let note: String; let who: String; let employer: String?; let previous: [String]? }
        let id: String
        let name: String
        let email: String
        let phone: String
        let place: String
        let birthDate: String
        let education: String
        let expectedDiploma: String?
        let workAuthorized: String
        let veteran: String?
        let heardFrom: String
        let statement: String
        let guardianConsent: Bool
        let hasResume: Bool
        let status: String
        let statusCode: String
        let submissions: Int
        let referredTo: String?
        let events: [Event]
        let moves: [SelectOption]
        let employers: [SelectOption]
        let canRefer: Bool
        let canRegister: Bool
        let apprenticeID: String?
        let errors: FieldErrors
        let note: String
    }

    static func detail(_ applicant: Applicant, actor: User, errors: FieldErrors = [:], note: String = "", chosen: String? = nil, on db: any Database) async throws -> DetailView {
        let id = try applicant.requireID()
        let eventQuery = ApplicantEvent.query(on: db).filter(\.$applicant.$id == id).with(\.$actor).with(\.$employer).sort(\.$createdAt)
        if actor.role != .programAdmin {
            // Another employer's interview notes about the same person are not this employer's business.
            eventQuery.group(.or) { $0.filter(\.$employer.$id == nil).filter(\.$employer.$id == (actor.employerID ?? UUID())) }
        }
        let events = try await eventQuery.all()
        let pipelineActor: ApplicantPipeline.Actor = actor.role == .programAdmin ? .programAdmin : .employerAdmin
        let moves = ApplicantPipeline.nextStatuses(from: applicant.status, by: pipelineActor)
        // Partners in the applicant's own state first: they are the likeliest employers.
        let employers = try await Employer.query(on: db).sort(\.$name).all()
            .sorted { ($0.state == applicant.state ? 0 : 1, $0.name) < ($1.state == applicant.state ? 0 : 1, $1.name) }
        let apprentice = try await Apprentice.query(on: db).filter(\.$applicant.$id == id).first()
        return DetailView(
            id: id.uuidString, name: applicant.fullName, email: applicant.email, phone: applicant.phone,
            place: "\(applicant.city), \(applicant.state) \(applicant.zip)", birthDate: applicant.birthDate,
            education: applicant.education.label,
            expectedDiploma: applicant.expectedDiplomaDate,
            workAuthorized: applicant.workAuthorized ? "Yes" : "No", veteran: applicant.veteranStatus?.label, heardFrom: applicant.heardFrom,
            statement: applicant.statement, guardianConsent: applicant.guardianConsent, hasResume: applicant.resumeFile != nil,
            status: applicant.status.label, statusCode: applicant.status.rawValue, submissions: applicant.submissions,
            referredTo: applicant.referredEmployer?.name,
            events: events.map { .init(when: DateText.dateTime($0.createdAt), from: $0.fromStatus?.label, to: $0.toStatus.label, note: $0.note,
                                       who: $0.actor?.fullName ?? "The applicant", employer: $0.employer?.name,
                                       previous: $0.previousAnswers.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
                                           .map { $0.filter { !$0.value.isEmpty && $0.key != "resumeFile" }.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" } }) },
            moves: moves.map { SelectOption(value: $0.rawValue, label: $0 == .declined && pipelineActor == .employerAdmin ? "Declined (say why below)" : $0.label, selected: $0.rawValue == chosen) },
            employers: employers.map { SelectOption(value: $0.id?.uuidString ?? "", label: "\($0.name) — \($0.city), \($0.state)\($0.state == applicant.state ? " (same state)" : "")", selected: false) },
            canRefer: moves.contains(.referred),
            canRegister: applicant.status == .hired && apprentice == nil,
            apprenticeID: apprentice?.id?.uuidString,
            errors: errors, note: note)
    }
}
