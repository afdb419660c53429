import BMETDomain
import Fluent
import SQLKit
import Vapor

/// The page models of `EmployersController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension EmployersController {
    struct ListView: Encodable {
        struct Row: Encodable { let id: String; let name: String; let city: String; let state: String; let people: Int }
        let rows: [Row]
        let created: Bool
    }

    struct FormView: Encodable {
        let values: EmployerInput
        let errors: FieldErrors
        let states: [SelectOption]
    }

    struct DetailView: Encodable {
        struct Person: Encodable { let name: String; let email: String; let role: String }
        struct PendingInvite: Encodable { let name: String; let email: String; let role: String; let status: String; let sent: String }
        let id: String
        let name: String
        let address: [String]
        let phone: String?
        let people: [Person]
        let invitations: [PendingInvite]
        let created: Bool
        let invited: Bool
        let invite: InviteFormView
    }

    static func detail(_ employer: Employer, actor: User, invite: InviteFormView, req: Request) async throws -> DetailView {
        let id = try employer.requireID()
        let people = try await User.query(on: req.db).filter(\.$employer.$id == id).sort(\.$fullName).all()
        let invitations = try await Invitation.query(on: req.db).filter(\.$employer.$id == id).filter(\.$acceptedAt == nil)
            .sort(\.$createdAt, .descending).all()
        return DetailView(
            id: id.uuidString, name: employer.name,
            address: [employer.addressLine1, employer.addressLine2, "\(employer.city), \(employer.state) \(employer.zip)"].compactMap { $0 },
            phone: employer.phone,
            people: people.map { .init(name: $0.fullName, email: $0.email, role: $0.role.label) },
            invitations: invitations.map { .init(name: $0.fullName, email: $0.email, role: $0.role.label, status: $0.status, sent: DateText.dateTime($0.createdAt)) },
            created: req.query[String.self, at: "created"] == "1",
            invited: req.query[String.self, at: "invited"] == "1",
            invite: invite)
    }
}
