import Fluent
import Vapor

/// One day's on-the-job learning against one skill set. Approved entries are never edited: a change after
/// approval is a new entry that `corrects` the original, and the original stays (marked `corrected`).
final class HourEntry: Model, @unchecked Sendable {
    static let schema = "hour_entries"

    enum Status: String, Codable, Sendable, CaseIterable {
        /// Waiting for a mentor.
        case pending
        case approved
        case rejected
        /// Approved once, then replaced by an approved correction; no longer counted.
        case corrected

        var label: String {
            switch self {
            case .pending: "Waiting for approval"
            case .approved: "Approved"
            case .rejected: "Rejected"
            case .corrected: "Corrected"
            }
        }

        /// Counts toward the 24-hour day limit.
        var occupiesDay: Bool { self == .pending || self == .approved }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    /// Calendar day, `YYYY-MM-DD`.
    @Field(key: "entry_date") var entryDate: String
    @Field(key: "skill_set_code") var skillSetCode: String
    /// Minutes, so sums never drift the way fractional hours would.
    @Field(key: "minutes") var minutes: Int
    @Field(key: "description") var description: String
    /// Comma-separated skill codes practised, optional.
    @Field(key: "skill_codes") var skillCodes: String
    @OptionalField(key: "work_order") var workOrder: String?
    /// Sent by the client with each submission, so a retry or a double click stores the entry once.
    @Field(key: "client_key") var clientKey: String
    @Enum(key: "status") var status: Status
    /// The approved entry this one replaces, for corrections.
    @OptionalParent(key: "corrects_id") var corrects: HourEntry?
    @Parent(key: "created_by_id") var createdBy: User
    @Field(key: "created_at") var createdAt: Date

    /// Set on entries stored by the current request, not a column: they have no decisions yet, so none are looked up.
    var isNewlyStored = false

    init() {}

    var hours: Double { Double(minutes) / 60 }
    var skillCodeList: [String] { skillCodes.split(separator: ",").map(String.init) }
}

/// One decision about an hour entry (approve, reject, undo, corrected), appended, with who and when.
final class HourDecision: Model, @unchecked Sendable {
    static let schema = "hour_decisions"

    enum Action: String, Codable, Sendable, CaseIterable {
        case approve, reject, undo, corrected

        var label: String {
            switch self {
            case .approve: "Approved"
            case .reject: "Rejected"
            case .undo: "Decision undone"
            case .corrected: "Replaced by a correction"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "entry_id") var entry: HourEntry
    @Enum(key: "action") var action: Action
    @Field(key: "comment") var comment: String
    @OptionalParent(key: "actor_id") var actor: User?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(entryID: UUID, action: Action, comment: String, actorID: UUID?, at: Date = Date()) {
        self.$entry.id = entryID
        self.action = action
        self.comment = comment
        self.$actor.id = actorID
        self.createdAt = at
    }
}

/// A month of an employer's hours closed for payroll: its decisions can no longer be undone.
final class HourPeriodLock: Model, @unchecked Sendable {
    static let schema = "hour_period_locks"

    @ID(key: .id) var id: UUID?
    @Parent(key: "employer_id") var employer: Employer
    /// `YYYY-MM`.
    @Field(key: "month") var month: String
    @Parent(key: "locked_by_id") var lockedBy: User
    @Field(key: "locked_at") var lockedAt: Date

    init() {}
}
