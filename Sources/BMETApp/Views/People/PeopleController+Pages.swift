import Fluent
import Vapor

/// The page models of `PeopleController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension PeopleController {
    struct ListView: Encodable {
        struct Row: Encodable { let name: String; let email: String; let role: String; let employer: String; let href: String?; let active: Bool }
        struct Filter: Encodable { let value: String; let label: String; let selected: Bool }
        let rows: [Row]
        let roles: [Filter]
        let canInvite: Bool
    }

    struct PersonView: Encodable {
        let id: String; let name: String; let email: String; let role: String; let employer: String; let active: Bool
        let roles: [SelectOption]?
        /// Shown to EEO officers on a program administrator's page: whether they are one too.
        let eeoOfficer: Bool?
        let errors: FieldErrors
        let notice: String?
    }
}
