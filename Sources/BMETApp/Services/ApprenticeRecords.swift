import BMETDomain
import Fluent
import SQLKit
import Vapor

/// Who sees which apprentice, the agreement signatures, and status changes.
enum ApprenticeRecords {
    /// The sponsor sees all; employer staff their employer's; an apprentice only their own record.
    static func visible(to actor: User, on db: any Database) -> QueryBuilder<Apprentice> {
        let query = Apprentice.query(on: db)
        switch actor.role {
        case .programAdmin: break
        case .employerAdmin, .mentor: query.filter(\.$employer.$id == (actor.employerID ?? UUID()))
        case .apprentice: query.filter(\.$user.$id == (actor.id ?? UUID()))
        // A provider's staff reach their students only through the provider pages (`ProviderStudents`), which show
        // instruction alone: never the whole record (wages, registration data, hours, assessments).
        case .instructionProvider: query.filter(\.$id == UUID())
        }
        return query
    }

    /// The same rule as `visible(to:)`, as an SQL condition on the `apprentices` table aliased `a`, for hot paths that
    /// read plain rows.
    static func visibleCondition(to actor: User) -> SQLQueryString {
        switch actor.role {
        case .programAdmin: "1 = 1"
        case .employerAdmin, .mentor: "a.employer_id = \(bind: actor.employerID ?? UUID())"
        case .apprentice: "a.user_id = \(bind: actor.id ?? UUID())"
        case .instructionProvider: "1 = 0"
        }
    }

    /// The apprentice row alone (no employer, mentor or program version loaded): for hot API paths that need only the
    /// visibility check and the row's own fields. The program version carries the whole standards document.
    static func findRow(_ id: UUID?, visibleTo actor: User, on db: any Database) async throws -> Apprentice {
        guard let id, let apprentice = try await visible(to: actor, on: db).filter(\.$id == id).first()
        else { throw Abort(.notFound, reason: "No apprentice with this id is visible to you.") }
        return apprentice
    }

    static func find(_ id: UUID?, visibleTo actor: User, on db: any Database) async throws -> Apprentice {
        guard let id, let apprentice = try await visible(to: actor, on: db).filter(\.$id == id)
            .with(\.$employer).with(\.$mentor).with(\.$programVersion).first()
        else { throw Abort(.notFound, reason: "No apprentice with this id is visible to you.") }
        return apprentice
    }

    /// The party `actor` signs for on this apprentice's agreement, if any.
    static func party(of actor: User, for apprentice: Apprentice) -> AgreementSignature.Party? {
        switch actor.role {
        case .apprentice where apprentice.$user.id != nil && apprentice.$user.id == actor.id: .apprentice
        case .employerAdmin where actor.employerID == apprentice.$employer.id: .employer
        case .programAdmin: .sponsor
        default: nil
        }
    }

    /// Records one party's signature; when the last one arrives, probation starts.
    static func sign(_ apprentice: Apprentice, typedName: String?, by actor: User, ip: String?, on db: any Database) async throws {
        guard let party = party(of: actor, for: apprentice) else { throw Abort(.forbidden, reason: "You do not sign this agreement.") }
        guard apprentice.status == .pendingAgreement else {
            throw ValidationFailure(errors: ["typedName": "The agreement is already complete."])
        }
        let typed = (typedName ?? "").trimmed
        if normalized(typed) != normalized(actor.fullName) {
            throw ValidationFailure(errors: ["typedName": "Type your full name exactly as on your account (\(actor.fullName)) to sign."])
        }
        let id = try apprentice.requireID()
        try await db.writeTransaction { db in
            if try await AgreementSignature.query(on: db).filter(\.$apprentice.$id == id).filter(\.$party == party).first() != nil {
                throw ValidationFailure(errors: ["typedName": "The \(party.label.lowercased()) has already signed."])
            }
            let signature = AgreementSignature()
            signature.$apprentice.id = id
            signature.party = party
            signature.typedName = typed
            signature.$signer.id = try actor.requireID()
            signature.signedAt = Date()
            signature.ipAddress = ip
            try await signature.create(on: db)
            try await AuditLog.record(.agreementSigned, .apprentice(id), "\(party.label) signed the apprenticeship agreement of \(apprentice.fullName)",
                                      by: actor, on: db)
        }
        try await completeAgreementIfSigned(apprentice, on: db)
    }

    /// Starts probation once all three parties have signed. Runs after the signature is committed, and takes
    /// the step with a conditional update, so two parties signing at the same moment still start it exactly once.
    private static func completeAgreementIfSigned(_ apprentice: Apprentice, on db: any Database) async throws {
        let id = try apprentice.requireID()
        guard try await AgreementSignature.query(on: db).filter(\.$apprentice.$id == id).count() == AgreementSignature.Party.allCases.count else { return }
        let next = try ApprenticeLifecycle.apply(.agreementSigned, to: .pendingAgreement, by: .system).get()
        let completedAt = Date()
        try await db.writeTransaction { db in
            try await TrainingLock.lock(id, on: db)
            try await Apprentice.query(on: db).filter(\.$id == id).filter(\.$status == .pendingAgreement).filter(\.$agreementCompletedAt == nil)
                .set(\.$status, to: next).set(\.$agreementCompletedAt, to: completedAt).update()
            guard let fresh = try await Apprentice.find(id, on: db), fresh.agreementCompletedAt.map({ abs($0.timeIntervalSince(completedAt)) < 0.001 }) == true
            else { return } // the other signer's request took the step
            try await ApprenticeEvent(apprenticeID: id, kind: "agreement_signed", from: .pendingAgreement, to: next,
                                      note: "Signed by the apprentice, the employer and the sponsor; probation starts.", actorID: nil, at: completedAt).create(on: db)
            try await AuditLog.record(.statusChanged, .apprentice(id), "\(apprentice.fullName): agreement complete, \(ApprenticeStatus.pendingAgreement.label) → \(next.label)",
                                      on: db, now: completedAt)
        }
        apprentice.status = next
        apprentice.agreementCompletedAt = completedAt
    }

    /// Apprentices whose probation is ended at a time by the daily job.
    static let probationBatch = 200

    /// Probation ends by itself after its last day, so completion is never held up by a step nobody remembered. The
    /// employer acts by suspending or cancelling before then; those apprentices are not on probation any more and are
    /// left alone. Each end is its own transaction, appended to the history and the audit log; returns how many ended.
    static func endDueProbations(on db: any Database, now: Date = Date()) async throws -> Int {
        let today = ProgramCalendar.dayString(ProgramCalendar.today(now))
        var ended = 0
        var after: UUID?
        while true {
            let query = Apprentice.query(on: db).filter(\.$status == .probation).filter(\.$probationEnd < today).sort(\.$id).limit(probationBatch)
            if let after { query.filter(\.$id > after) }
            let due = try await query.all()
            guard let last = due.last else { break }
            after = last.id
            for apprentice in due {
                guard case .success(let next) = ApprenticeLifecycle.apply(.endProbation, to: apprentice.status, by: .system) else { continue }
                let id = try apprentice.requireID()
                let moved = try await db.writeTransaction { db -> Bool in
                    try await TrainingLock.lock(id, on: db)
                    // Only from probation: an employer's suspension or cancellation a moment ago wins.
                    guard let fresh = try await Apprentice.query(on: db).filter(\.$id == id).filter(\.$status == .probation).first() else { return false }
                    fresh.status = next
                    try await fresh.update(on: db)
                    try await ApprenticeEvent(apprenticeID: id, kind: Action.endProbation.rawValue, from: .probation, to: next,
                                              note: "Probation ended on its date: its last day was \(apprentice.probationEnd).", actorID: nil, at: now).create(on: db)
                    try await AuditLog.record(.statusChanged, .apprentice(id), "\(apprentice.fullName): probation ended on its date, \(ApprenticeStatus.probation.label) → \(next.label)",
                                              on: db, now: now)
                    return true
                }
                if moved { ended += 1 }
            }
        }
        return ended
    }

    enum Action: String, Codable, CaseIterable {
        case endProbation = "end_probation", suspend, reinstate, cancel, transfer

        var label: String {
            switch self {
            case .endProbation: "End probation"
            case .suspend: "Suspend"
            case .reinstate: "Reinstate"
            case .cancel: "Cancel the apprenticeship"
            case .transfer: "Transfer to another employer"
            }
        }
    }

    struct TransitionInput: Content {
        var action: String?
        var reason: String?
        var note: String?
        @OptionalUUID var toEmployerID: UUID?
        @OptionalUUID var toMentorID: UUID?
    }

    /// Applies a lifecycle move if the rules allow it for this actor, and appends it to the history.
    static func transition(_ apprentice: Apprentice, _ input: TransitionInput, by actor: User, on db: any Database) async throws {
        guard let action = input.action.flatMap(Action.init(rawValue:)) else { throw ValidationFailure(errors: ["action": "Choose what to do."]) }
        let lifecycleActor: ApprenticeLifecycle.Actor = switch actor.role {
        case .programAdmin: .programAdmin
        case .employerAdmin: .employerAdmin
        case .mentor: .mentor
        case .apprentice: .apprentice
        case .instructionProvider: throw Abort(.forbidden, reason: "A provider's staff do not change an apprenticeship's status.")
        }
        var errors = FieldErrors()
        let transition: ApprenticeLifecycle.Transition
        switch action {
        case .endProbation: transition = .endProbation
        case .suspend: transition = .suspend
        case .reinstate: transition = .reinstate
        case .transfer: transition = .transfer
        case .cancel:
            guard let reason = input.reason.flatMap(CancellationReason.init(rawValue:)) else {
                throw ValidationFailure(errors: ["reason": "Choose the reason for the cancellation."])
            }
            transition = .cancel(reason)
        }
        let note = input.note?.trimmed ?? ""
        if [.suspend, .cancel].contains(action) && note.isEmpty { errors["note"] = "Say why (the apprentice is told, with notice)." }
        let next: ApprenticeStatus
        switch ApprenticeLifecycle.apply(transition, to: apprentice.status, by: lifecycleActor, statusBeforeSuspension: apprentice.statusBeforeSuspension) {
        case .success(let status): next = status
        case .failure(let refusal): throw ValidationFailure(errors: ["action": refusal.description], message: refusal.description)
        }

        var newEmployer: Employer?, newMentor: User?
        if action == .transfer {
            newEmployer = try await input.toEmployerID.asyncMap { try await Employer.find($0, on: db) } ?? nil
            if newEmployer == nil || newEmployer?.id == apprentice.$employer.id { errors["toEmployerID"] = "Choose the new partner employer." }
            newMentor = try await input.toMentorID.asyncMap { try await User.find($0, on: db) } ?? nil
            if newMentor?.role != .mentor || newMentor?.employerID == nil || newMentor?.employerID != newEmployer?.id || newMentor?.isActive == false {
                errors["toMentorID"] = "Choose a mentor at the new employer."
            } else if let newMentor {
                let standards = try StandardsLibrary.standards(of: try await apprentice.$programVersion.get(on: db))
                let current = try await Apprentice.query(on: db).filter(\.$mentor.$id == newMentor.requireID())
                    .filter(\.$status ~~ ApprenticeStatus.allCases.filter(\.isInProgram)).count()
                if !standards.mentorRatio.allows(apprentices: current + 1, mentors: 1) {
                    errors["toMentorID"] = "\(newMentor.fullName) already mentors \(current) apprentices, the most the standards allow."
                }
            }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors: errors) }

        let previous = apprentice.status
        let fromEmployer = apprentice.$employer.id
        let duringProbation = previous == .probation || (previous == .suspended && apprentice.statusBeforeSuspension == .probation)
        let reason: CancellationReason? = if case .cancel(let r) = transition { r } else { nil }
        let movedEmployer = newEmployer, movedMentor = newMentor
        try await db.writeTransaction { db in
            try await TrainingLock.lock(try apprentice.requireID(), on: db)
            // Take the step only from the status it was checked against: a change made meanwhile wins, and this one is refused.
            try await Apprentice.query(on: db).filter(\.$id == apprentice.requireID()).filter(\.$status == previous)
                .set(\.$status, to: next).update()
            guard let fresh = try await Apprentice.find(apprentice.requireID(), on: db), fresh.status == next, previous != next || action == .transfer else {
                throw ValidationFailure(errors: ["action": "The record changed while you were looking at it. Reload and try again."])
            }
            if action == .suspend { apprentice.statusBeforeSuspension = previous }
            if action == .reinstate { apprentice.statusBeforeSuspension = nil }
            apprentice.status = next
            if let movedEmployer, let movedMentor {
                // Hours, assessments and credentials belong to the apprentice record, so they move with it.
                apprentice.$employer.id = try movedEmployer.requireID()
                apprentice.$mentor.id = try movedMentor.requireID()
                if let userID = apprentice.$user.id, let user = try await User.find(userID, on: db) {
                    user.$employer.id = movedEmployer.id
                    try await user.update(on: db)
                }
            }
            try await apprentice.update(on: db)
            try await ApprenticeEvent(apprenticeID: try apprentice.requireID(), kind: action.rawValue, from: previous, to: next, reason: reason,
                                      duringProbation: action == .cancel && duringProbation, note: note,
                                      fromEmployerID: movedEmployer == nil ? nil : fromEmployer, toEmployerID: movedEmployer?.id,
                                      actorID: actor.id).create(on: db)
            var summary = "\(apprentice.fullName): \(action.label.lowercased()), \(previous.label) → \(next.label)"
            if let reason { summary += ", reason: \(reason.label)" }
            if let movedEmployer { summary += ", to \(movedEmployer.name)" }
            try await AuditLog.record(.statusChanged, .apprentice(apprentice.id), summary, by: actor, on: db)
        }
    }

    private static func normalized(_ name: String) -> String {
        name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
