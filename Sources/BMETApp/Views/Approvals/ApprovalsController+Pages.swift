import BMETDomain
import Fluent
import SQLKit
import Vapor

/// The page models of `ApprovalsController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension ApprovalsController {
    struct QueueRow: Encodable {
        let id: String; let apprentice: String; let apprenticeID: String; let date: String; let skillSet: String
        let hours: String; let description: String; let isCorrection: Bool; let status: String; let statusCode: String
        let skills: String; let workOrder: String; let minutes: Int
        /// Ticked only when the mentor ticked it before an error; nothing is pre-selected.
        var selected = false
    }

    /// One apprentice's waiting entries of one week: the unit a mentor checks against a timesheet.
    struct QueueGroup: Encodable {
        let key: String; let apprentice: String; let apprenticeID: String; let week: String
        let count: Int; let hours: String; let ids: [String]; let rows: [QueueRow]
    }

    struct QueueView: Encodable {
        /// The filter form: the mentor's apprentices with entries waiting, and the weeks that have some.
        let apprentices: [SelectOption]; let weeks: [SelectOption]; let filtered: Bool
        let rows: [QueueRow]; let groups: [QueueGroup]; let recent: [QueueRow]; let total: String
        /// Every entry waiting, of which `rows` shows the oldest `queueLimit`.
        let waiting: Int
        let comment: String
        let notice: String?; let errors: FieldErrors
    }

    struct ConfirmView: Encodable {
        let decision: String; let verb: String; let comment: String; let ids: [String]
        let count: Int; let hours: String; let apprentices: Int; let rows: [QueueRow]
        /// Why this batch needs the explicit tick (old entries, many hours); empty when one click is enough.
        let warnings: [String]; let acknowledgementError: String?
    }

    struct MonthsView: Encodable {
        struct Month: Encodable { let month: String; let locked: Bool; let lockedBy: String?; let when: String? }
        let months: [Month]; let errors: FieldErrors; let notice: String?
    }
}
