import BMETDomain
import Fluent
import Vapor

/// The page models of `ImportsController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension ImportsController {
    struct IndexView: Encodable {
        struct Column: Encodable { let name: String; let required: Bool; let help: String }
        struct Kind: Encodable { let value: String; let label: String; let selected: Bool; let columns: [Column] }
        struct Batch: Encodable {
            let id: String; let when: String; let kind: String; let fileName: String; let created: Int; let unchanged: Int
            let mode: String?; let by: String; let undone: String?
        }
        let kinds: [Kind]
        let hoursAsCredit: Bool
        let errors: FieldErrors
        let batches: [Batch]
        let notice: String?
        let problem: String?
    }

    struct CheckView: Encodable {
        struct Issue: Encodable { let row: Int; let column: String; let message: String }
        struct Count: Encodable { let table: String; let rows: Int }
        let kind: String
        let kindLabel: String
        let hoursAs: String
        let modeLabel: String?
        let fileName: String
        let token: String
        let rowCount: Int
        let created: Int
        let unchanged: Int
        /// "Import this row" or "Import these N rows".
        let importLabel: String
        let counts: [Count]
        let issues: [Issue]
        let issueCount: Int
        let moreIssues: Int
    }
}
