import BMETDomain
import Fluent
import SQLKit
import Vapor

/// Voluntary disability self-identification (29 CFR 30.11). Invitations go out at the three times the rule names:
/// to applicants when they apply (a separate e-mail and page, not part of the application), after the offer and before
/// the start (when the applicant is hired), and to every current apprentice once, then once a year (the daily
/// `eeo.self-identification` job). Each invitation is recorded; each answer is appended, sealed, in its own table.
enum SelfIdentification {
    /// The person an invitation or answer belongs to.
    enum Person: Sendable {
        case applicant(UUID)
        case apprentice(UUID)
    }

    /// Records an invitation and queues its e-mail, in the caller's transaction when there is one.
    @discardableResult
    static func invite(_ person: Person, stage: SelfIdentificationStage, name: String, email: String, settings: AppSettings,
                       cipher: DataCipher, on db: any Database, now: Date = Date()) async throws -> DisabilityInvitation {
        let token = SecureToken.generate()
        let invitation = DisabilityInvitation()
        invitation.stage = stage
        switch person {
        case .applicant(let id): invitation.$applicant.id = id
        case .apprentice(let id): invitation.$apprentice.id = id
        }
        invitation.tokenHash = SecureToken.hash(token)
        invitation.sentAt = now
        let link = "\(settings.baseURL)/self-identify/\(token)"
        let opening = switch stage {
        case .applicant: "Thank you for applying to the BMET Apprenticeship. Separately from your application, we invite you to tell us whether you have a disability."
        case .postOffer: "Congratulations on your offer. Before your apprenticeship starts, we invite you to tell us whether you have a disability."
        case .current: "As an apprentice in the BMET Apprenticeship, you are invited to tell us whether you have a disability."
        case .reminder: "Once a year we invite every apprentice to update their voluntary disability self-identification. Your earlier answer stands unless you change it."
        }
        let body = """
        Hello \(name),

        \(opening)

        Answering is voluntary. Whatever you answer, or if you choose not to answer, it will not be used against you. Your answer is kept confidential, apart from your application and personnel records, and only the program's equal employment opportunity officer can see it. The program uses it to measure its progress toward the U.S. Department of Labor's 7% goal for apprentices with disabilities (29 CFR 30.7 and 30.11).

        Answer or change your answer here (the link is yours alone):
        \(link)

        Questions? Write to \(settings.contactEmail).
        """
        let write: @Sendable (any Database) async throws -> Void = { db in
            try await invitation.create(on: db)
            try await Outbox.enqueue(to: email, subject: "Voluntary self-identification of disability (BMET Apprenticeship)", body: body, sealingWith: cipher, on: db)
        }
        if db.inTransaction { try await write(db) } else { try await db.writeTransaction(write) }
        return invitation
    }

    /// The invitation a link belongs to, while its link may still be used.
    static func invitation(token: String, on db: any Database, now: Date = Date()) async throws -> DisabilityInvitation? {
        guard !token.isEmpty, token.count <= 64 else { return nil }
        guard let invitation = try await DisabilityInvitation.query(on: db).filter(\.$tokenHash == SecureToken.hash(token)).first() else { return nil }
        return now.timeIntervalSince(invitation.sentAt) <= Double(SelfIdentificationStage.linkValidDays) * 86_400 ? invitation : nil
    }

    /// Appends an answer to `invitation` for its person.
    static func answer(_ answer: DisabilityAnswer, to invitation: DisabilityInvitation, cipher: DataCipher, on db: any Database, now: Date = Date()) async throws {
        let row = DisabilitySelfIdentification()
        row.$invitation.id = try invitation.requireID()
        row.$applicant.id = invitation.$applicant.id
        row.$apprentice.id = invitation.$apprentice.id
        row.answerSealed = try cipher.seal(answer.rawValue)
        row.answeredAt = now
        try await db.writeTransaction { try await row.create(on: $0) }
    }

    /// The latest answer of each apprentice in `apprentices` (their own, or, when they have none, the one they gave as
    /// the applicant they were). Reads only those people's rows; opens each sealed answer.
    static func currentAnswers(for apprentices: [(id: UUID, applicantID: UUID?)], cipher: DataCipher, on db: any Database) async throws -> [UUID: DisabilityAnswer] {
        guard !apprentices.isEmpty else { return [:] }
        let ids = apprentices.map(\.id), applicantIDs = apprentices.compactMap(\.applicantID)
        var query = DisabilitySelfIdentification.query(on: db).group(.or) { group in
            group.filter(\.$apprentice.$id ~~ ids)
            if !applicantIDs.isEmpty { group.filter(\.$applicant.$id ~~ applicantIDs) }
        }
        query = query.sort(\.$answeredAt).sort(\.$id)
        var byApprentice: [UUID: DisabilityAnswer] = [:], byApplicant: [UUID: DisabilityAnswer] = [:]
        for row in try await query.all() {
            guard let answer = DisabilityAnswer(rawValue: try cipher.open(row.answerSealed)) else { continue }
            // Sorted oldest first, so the last write for a person is their latest answer.
            if let id = row.$apprentice.id { byApprentice[id] = answer } else if let id = row.$applicant.id { byApplicant[id] = answer }
        }
        var result: [UUID: DisabilityAnswer] = [:]
        for apprentice in apprentices {
            if let answer = byApprentice[apprentice.id] ?? apprentice.applicantID.flatMap({ byApplicant[$0] }) { result[apprentice.id] = answer }
        }
        return result
    }

    /// The daily job: every apprentice in the program who was never invited as an apprentice gets the one-time
    /// invitation, and one whose latest invitation is a year old gets the reminder. Reads apprentices in keyset batches.
    static func sendDue(app: Application, now: Date = Date(), batchSize: Int = 500) async throws -> Int {
        let sql = try app.db.sql()
        struct Row: Decodable { let id: UUID; let full_name: String; let email: String; let due: String? }
        let reminderBefore = now.addingTimeInterval(-Double(SelfIdentificationStage.reminderAfterDays) * 86_400)
        let running = ApprenticeStatus.allCases.filter(\.isInProgram).map(\.rawValue)
        var after: UUID?
        var sent = 0
        while true {
            // Only invitations sent to the apprentice themself count: the rule asks for one once they are apprentices,
            // whatever they were sent as applicants. The dates are compared in SQL, as each engine stores them.
            let rows = try await sql.raw("""
                SELECT a.id, a.full_name, a.email,
                       CASE WHEN NOT EXISTS (SELECT 1 FROM disability_invitations i WHERE i.apprentice_id = a.id) THEN 'current'
                            WHEN NOT EXISTS (SELECT 1 FROM disability_invitations i WHERE i.apprentice_id = a.id AND i.sent_at > \(bind: reminderBefore)) THEN 'reminder'
                       END AS due
                FROM apprentices a
                WHERE a.status IN (\(binds: running))\(after.map { SQLQueryString(" AND a.id > \(bind: $0)") } ?? "")
                ORDER BY a.id LIMIT \(literal: batchSize)
                """).all(decoding: Row.self)
            guard let last = rows.last else { break }
            after = last.id
            for row in rows {
                guard let due = row.due, let stage = SelfIdentificationStage(rawValue: due) else { continue }
                try await invite(.apprentice(row.id), stage: stage, name: row.full_name, email: row.email, settings: app.settings,
                                 cipher: app.dataCipher, on: app.db, now: now)
                sent += 1
            }
            if rows.count < batchSize { break }
        }
        return sent
    }

    /// Invitation counts per stage (sent, answered at least once), for the EEO pages. Counted in SQL.
    struct StageCount: Sendable { let stage: SelfIdentificationStage; let sent: Int; let answered: Int }

    static func stageCounts(on db: any Database) async throws -> [StageCount] {
        let sql = try db.sql()
        struct Row: Decodable { let stage: String; let sent: Int; let answered: Int }
        let rows = try await sql.raw("""
            SELECT i.stage, COUNT(*) AS sent,
                   SUM(CASE WHEN EXISTS (SELECT 1 FROM disability_self_identifications s WHERE s.invitation_id = i.id) THEN 1 ELSE 0 END) AS answered
            FROM disability_invitations i GROUP BY i.stage
            """).all(decoding: Row.self)
        return SelfIdentificationStage.allCases.map { stage in
            let row = rows.first { $0.stage == stage.rawValue }
            return StageCount(stage: stage, sent: row?.sent ?? 0, answered: row?.answered ?? 0)
        }
    }
}
