import Fluent
import Vapor

/// The invitation form, shared by the People page and each employer's page.
struct InviteFormView: Encodable {
    var values: InvitationInput
    var errors: FieldErrors
    var roles: [SelectOption]
    var employers: [SelectOption]

    static func blank(for actor: User, employerID: UUID?) -> InviteFormView {
        InviteFormView(values: InvitationInput(employerID: employerID), errors: [:], roles: roleOptions(for: actor, selected: nil), employers: [])
    }

    static func roleOptions(for actor: User, selected: String?) -> [SelectOption] {
        actor.role.invitableRoles.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) }
    }

    static func employerOptions(for actor: User, selected: UUID?, on db: any Database) async throws -> [SelectOption] {
        try await AccessPolicy.visibleEmployers(to: actor, on: db).sort(\.$name).all().map {
            SelectOption(value: $0.id?.uuidString ?? "", label: "\($0.name) (\($0.state))", selected: $0.id == selected)
        }
    }
}
