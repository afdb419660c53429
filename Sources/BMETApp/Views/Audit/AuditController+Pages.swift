import BMETDomain
import Fluent
import Vapor

/// The page models of `AuditController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension AuditController {
    struct Row: Encodable {
        let seq: Int; let when: String; let actor: String; let action: String; let summary: String; let ip: String
        let subjectHref: String?
    }

    struct View: Encodable {
        let rows: [Row]
        let actions: [SelectOption]
        let who: String; let subject: String; let from: String; let to: String
        let error: String?
        let olderHref: String?
        let newestHref: String?
    }
}
