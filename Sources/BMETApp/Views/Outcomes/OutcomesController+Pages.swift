import BMETDomain
import Fluent
import SQLKit
import Vapor

/// The page models of `OutcomesController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension OutcomesController {
    struct View: Encodable {
        let from: String, to: String, employerID: String, state: String
        let errors: FieldErrors
        let employers: [SelectOption]
        let states: [SelectOption]
        let isProgramAdmin: Bool
        let scope: String
        let cards: [Card]
        let tables: [ReportTableView]
        struct Card: Encodable { let label: String; let value: String; let note: String }
    }
}
