import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// Appends to the hash-chained audit log and checks the chain.
enum AuditLog {
    static let headID = 1
    static let genesisHash = String(repeating: "0", count: 64)

    /// The record an action is about, for filtering and for links from the viewer.
    struct Subject: Sendable {
        let type: String
        let id: String?
        static func apprentice(_ id: UUID?) -> Subject { Subject(type: "apprentice", id: id?.uuidString) }
        static func applicant(_ id: UUID?) -> Subject { Subject(type: "applicant", id: id?.uuidString) }
        static func user(_ id: UUID?) -> Subject { Subject(type: "user", id: id?.uuidString) }
        static func credential(_ number: String) -> Subject { Subject(type: "credential", id: number) }
        static func employer(_ id: UUID?) -> Subject { Subject(type: "employer", id: id?.uuidString) }
        static let program = Subject(type: "program", id: nil)
    }

    /// Records one action. Inside a transaction the entry commits or rolls back with the action itself;
    /// otherwise it gets a transaction of its own. Without an actor the platform itself acted ("system");
    /// `actorLabel` names an actor without an account (the address typed at a failed sign-in). The address
    /// it came from is the signed-in actor's request address unless `ip` is given.
    static func record(_ action: AuditAction, _ subject: Subject, _ summary: String, by actor: User? = nil, actorLabel: String? = nil,
                       ip: String? = nil, on db: any Database, now: Date = Date()) async throws {
        let draft = Draft(occurredAt: timestamp(now), actorID: actor?.id, actor: storable(actorLabel ?? actor?.email ?? "system"), action: action.rawValue,
                          subjectType: subject.type, subjectID: subject.id.map(storable), summary: storable(summary),
                          ipAddress: (ip ?? actor?.clientIP).map(storable))
        if db.inTransaction {
            try await append(draft, on: db)
        } else {
            try await db.writeTransaction { try await append(draft, on: $0) }
        }
    }

    /// What a database keeps byte for byte on both engines (SQLite cuts text at NUL, PostgreSQL refuses it), so the
    /// hash is always taken over exactly what is stored. Input is refused earlier (`InputText`); this is the backstop.
    static func storable(_ text: String) -> String {
        guard !InputText.isAcceptable(text, multiLine: true) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { InputText.isRefused($0, multiLine: true) ? "\u{FFFD}" : $0 }))
    }

    struct Draft: Sendable {
        let occurredAt: String; let actorID: UUID?; let actor: String; let action: String
        let subjectType: String; let subjectID: String?; let summary: String; let ipAddress: String?
    }

    private static func append(_ draft: Draft, on db: any Database) async throws {
        // Taking the head row's write lock first puts concurrent appends in a line, so numbers never collide
        // and every row links to the one that really came before it. Plain rows: every write transaction appends.
        let sql = try db.sql()
        struct Head: Decodable { var seq: Int; var hash: String }
        guard let head = try await sql.raw("UPDATE audit_chain_head SET seq = seq WHERE id = \(bind: headID) RETURNING seq, hash")
            .first(decoding: Head.self) else {
            throw Abort(.internalServerError, reason: "The audit log's head row is missing.")
        }
        let entry = AuditEntry()
        entry.seq = head.seq + 1
        entry.occurredAt = draft.occurredAt
        entry.actorID = draft.actorID
        entry.actor = draft.actor
        entry.action = draft.action
        entry.subjectType = draft.subjectType
        entry.subjectID = draft.subjectID
        entry.summary = draft.summary
        entry.ipAddress = draft.ipAddress
        entry.prevHash = head.hash
        entry.hash = hash(of: entry)
        try await sql.raw("""
            INSERT INTO \(ident: AuditEntry.schema) (id, seq, occurred_at, actor_id, actor, action, subject_type, subject_id, summary, ip_address, prev_hash, hash)
            VALUES (\(bind: UUID()), \(bind: entry.seq), \(bind: entry.occurredAt), \(bind: entry.actorID), \(bind: entry.actor), \(bind: entry.action),
                \(bind: entry.subjectType), \(bind: entry.subjectID), \(bind: entry.summary), \(bind: entry.ipAddress), \(bind: entry.prevHash), \(bind: entry.hash))
            """).run()
        try await sql.raw("UPDATE audit_chain_head SET seq = \(bind: entry.seq), hash = \(bind: entry.hash) WHERE id = \(bind: headID)").run()
    }

    /// SHA-256 over every field and the previous hash, each field length-prefixed so no two rows read the same.
    static func hash(of entry: AuditEntry) -> String {
        let fields: [String?] = [
            String(entry.seq), entry.occurredAt, entry.actorID?.uuidString, entry.actor, entry.action, entry.subjectType,
            entry.subjectID, entry.summary, entry.ipAddress, entry.prevHash,
        ]
        let canonical = fields.map { field in field.map { "\($0.utf8.count):\($0)" } ?? "-" }.joined(separator: "|")
        return SHA256.hash(data: Data(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    // MARK: Checking the chain

    struct Verification: Sendable {
        let rowsChecked: Int
        let headSeq: Int
        let headHash: String
        /// Every broken link, in words and in order; empty when the chain is whole.
        let problems: [String]
        /// The first broken link; nil when the chain is whole.
        var problem: String? { problems.first }
    }

    /// Walks the chain in order, recomputing each hash, and names every row that was altered, removed or put out
    /// of place (not only the first, so one bad row cannot hide the others), and rows cut off the end (the head row
    /// remembers the last number and hash).
    static func verify(on db: any Database, pageSize: Int = 2_000, progress: (Int, Int) -> Void = { _, _ in }) async throws -> Verification {
        guard let head = try await AuditChainHead.find(headID, on: db) else {
            return Verification(rowsChecked: 0, headSeq: 0, headHash: "", problems: ["The chain's head row is missing."])
        }
        let total = try await AuditEntry.query(on: db).count()
        var problems: [String] = []
        var expected = 1
        var previousHash = genesisHash
        var lastSeq = 0
        var checked = 0
        while true {
            let page = try await AuditEntry.query(on: db).filter(\.$seq > lastSeq).sort(\.$seq).limit(pageSize).all()
            if page.isEmpty { break }
            for entry in page {
                if entry.seq != expected {
                    problems.append(entry.seq == expected + 1
                        ? "Row \(expected) is missing: the chain jumps from row \(expected - 1) to row \(entry.seq)."
                        : "Rows \(expected) to \(entry.seq - 1) are missing: the chain jumps from row \(expected - 1) to row \(entry.seq).")
                } else if entry.prevHash != previousHash {
                    problems.append("Row \(entry.seq) does not link to row \(entry.seq - 1): one of them was altered.")
                }
                if hash(of: entry) != entry.hash {
                    problems.append("Row \(entry.seq) was altered: its contents no longer match its hash.")
                }
                previousHash = entry.hash
                lastSeq = entry.seq
                expected = entry.seq + 1
                checked += 1
            }
            progress(checked, total)
        }
        if head.seq > lastSeq {
            problems.append("The chain ends at row \(lastSeq) but \(head.seq) rows were written: the last rows were removed.")
        } else if head.seq < lastSeq {
            problems.append("The head row says \(head.seq) rows but the chain holds \(lastSeq): the head row was altered.")
        } else if head.hash != previousHash {
            problems.append("Row \(lastSeq) does not match the chain's head: the last row or the head was altered.")
        }
        return Verification(rowsChecked: checked, headSeq: head.seq, headHash: head.hash, problems: problems)
    }
}
