import Fluent
import Vapor

/// One line of the audit log: who did what to which record, when and from where. Rows are only ever added;
/// each carries the hash of the row before it, so a row changed or removed later breaks the chain.
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_log"

    @ID(key: .id) var id: UUID?
    /// 1, 2, 3, … without gaps: a missing number is a removed row.
    @Field(key: "seq") var seq: Int
    /// ISO 8601 with milliseconds, UTC — text, so the hashed value reads back identically on both databases.
    @Field(key: "occurred_at") var occurredAt: String
    @OptionalField(key: "actor_id") var actorID: UUID?
    /// The actor's e-mail (or "system", or the address typed at a failed sign-in), kept as it was at the time.
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: String
    @Field(key: "subject_type") var subjectType: String
    @OptionalField(key: "subject_id") var subjectID: String?
    @Field(key: "summary") var summary: String
    @OptionalField(key: "ip_address") var ipAddress: String?
    @Field(key: "prev_hash") var prevHash: String
    @Field(key: "hash") var hash: String

    init() {}
}

/// The chain's end: the last row's number and hash. Updated with every append, it is also the lock that puts
/// appends in order, and it tells when rows were cut off the end.
final class AuditChainHead: Model, @unchecked Sendable {
    static let schema = "audit_chain_head"

    @ID(custom: "id", generatedBy: .user) var id: Int?
    @Field(key: "seq") var seq: Int
    @Field(key: "hash") var hash: String

    init() {}
    init(id: Int, seq: Int, hash: String) {
        self.id = id
        self.seq = seq
        self.hash = hash
    }
}
