import BMETDomain
import Fluent
import Vapor

/// The completion workflow: the employer asks once the progress engine says every requirement is met; the
/// sponsor reviews the checklist and approves (completion is final) or returns it with a reason.
enum Completions {
    static func canRequest(_ actor: User, for apprentice: Apprentice) -> Bool {
        actor.role == .programAdmin || (actor.role == .employerAdmin && actor.employerID == apprentice.$employer.id)
    }

    /// Why this apprentice cannot be put forward now, if anything stops it.
    static func refusal(_ apprentice: Apprentice, progress: ApprenticeProgress) -> String? {
        switch apprentice.status {
        case .completed: return "The apprenticeship is already completed."
        case .cancelled: return "A cancelled apprenticeship cannot be completed."
        case .pendingAgreement, .probation, .suspended:
            return "Only an active apprentice can be completed (this one is \(apprentice.status.label.lowercased()))."
        case .active: break
        }
        if !progress.eligibility.isEligible {
            return "Not every requirement is met yet: " + progress.eligibility.missing.joined(separator: "; ") + "."
        }
        return nil
    }

    /// The requirements as one line each, for the record of the request.
    static func checklist(_ progress: ApprenticeProgress) -> [String] {
        progress.requirements.map { "\($0.label): \($0.detail)\($0.met ? " — met" : " — not met")" }
    }

    static func open(for apprenticeID: UUID, on db: any Database) async throws -> CompletionRequest? {
        try await CompletionRequest.query(on: db).filter(\.$apprentice.$id == apprenticeID).filter(\.$status == .requested).first()
    }

    static func request(_ apprentice: Apprentice, note: String?, by actor: User, on db: any Database) async throws -> CompletionRequest {
        guard canRequest(actor, for: apprentice) else { throw Abort(.forbidden, reason: "The employer requests completion.") }
        let progress = try await ProgressReader.progress(of: apprentice, on: db)
        if let refusal = refusal(apprentice, progress: progress) { throw ValidationFailure(errors: ["form": refusal], message: refusal) }
        let text = note?.trimmed ?? ""
        if text.count > FieldLimits.limit(for: "note") { throw ValidationFailure(errors: ["note": "At most \(FieldLimits.limit(for: "note")) characters."]) }
        let apprenticeID = try apprentice.requireID()
        return try await db.writeTransaction { db in
            try await TrainingLock.lock(apprenticeID, on: db)
            if try await open(for: apprenticeID, on: db) != nil {
                throw ValidationFailure(errors: ["form": "Completion was already requested; the sponsor reviews it."], message: "Completion was already requested.")
            }
            let request = CompletionRequest()
            request.$apprentice.id = apprenticeID
            request.status = .requested
            request.note = text
            request.checklist = checklist(progress).joined(separator: "\n")
            request.$requestedBy.id = try actor.requireID()
            request.requestedAt = Date()
            try await request.create(on: db)
            try await AuditLog.record(.completionRequested, .apprentice(apprenticeID), "Completion of \(apprentice.fullName) requested", by: actor, on: db)
            return request
        }
    }

    enum Decision: String { case approve, `return` }

    /// The sponsor's decision. Approval completes the apprenticeship (final) in the same transaction; the
    /// requirements are checked again, since the record may have changed since the request.
    static func decide(_ request: CompletionRequest, _ decision: Decision, note: String?, apprentice: Apprentice, by actor: User,
                       app: Application, on db: any Database) async throws {
        guard actor.role == .programAdmin else { throw Abort(.forbidden, reason: "The sponsor decides on completion.") }
        let text = note?.trimmed ?? ""
        if decision == .return && text.isEmpty { throw ValidationFailure(errors: ["note": "Say what is missing, so the employer can fix it."]) }
        if text.count > FieldLimits.limit(for: "note") { throw ValidationFailure(errors: ["note": "At most \(FieldLimits.limit(for: "note")) characters."]) }
        if decision == .approve {
            let progress = try await ProgressReader.progress(of: apprentice, on: db)
            if let refusal = refusal(apprentice, progress: progress) { throw ValidationFailure(errors: ["form": refusal], message: refusal) }
        }
        let apprenticeID = try apprentice.requireID()
        let requestID = try request.requireID()
        let actorID = try actor.requireID()
        try await db.writeTransaction { db in
            try await TrainingLock.lock(apprenticeID, on: db)
            guard let fresh = try await CompletionRequest.find(requestID, on: db), fresh.status == .requested,
                  let record = try await Apprentice.find(apprenticeID, on: db) else {
                throw ValidationFailure(errors: ["form": "This request was decided meanwhile."])
            }
            let now = Date()
            fresh.status = decision == .approve ? .approved : .returned
            fresh.$decidedBy.id = actorID
            fresh.decidedAt = now
            fresh.decisionNote = text
            try await fresh.update(on: db)
            try await AuditLog.record(decision == .approve ? .completionApproved : .completionReturned, .apprentice(apprenticeID),
                                      decision == .approve ? "Completion of \(record.fullName) approved" : "Completion of \(record.fullName) returned: \(text)",
                                      by: actor, on: db)
            guard decision == .approve else { return }
            let next = try ApprenticeLifecycle.apply(.complete, to: record.status, by: .programAdmin).get()
            let previous = record.status
            record.status = next
            try await record.update(on: db)
            try await ApprenticeEvent(apprenticeID: apprenticeID, kind: "completed", from: previous, to: next,
                                      note: text.isEmpty ? "Completion approved by the sponsor." : text, actorID: actorID, at: now).create(on: db)
            // The certificate is issued in the same transaction: a completion never exists without it.
            _ = try await CredentialIssuance.issueCertificate(to: record, settings: app.settings, on: db)
        }
    }

    /// Records the U.S. Department of Labor's Certificate of Completion of Apprenticeship (number and date, as
    /// RAPIDS issued it) on a completed apprentice; the certificate, transcript and verification page then cite it.
    static func recordDOLCertificate(_ apprentice: Apprentice, number: String?, date: String?, by actor: User, on db: any Database) async throws {
        guard actor.role == .programAdmin else { throw Abort(.forbidden, reason: "The sponsor records the Department of Labor's certificate.") }
        var errors = FieldErrors()
        let number = number?.trimmed ?? "", day = date?.trimmed ?? ""
        if apprentice.status != .completed {
            errors["dolNumber"] = "The Department of Labor issues its certificate after the completion is approved and reported."
        } else if number.isEmpty {
            errors["dolNumber"] = "Enter the certificate number printed on the Department of Labor's certificate."
        } else if number.count > 50 || number.range(of: #"^[A-Za-z0-9][A-Za-z0-9 ./-]*$"#, options: .regularExpression) == nil {
            errors["dolNumber"] = "Letters, digits, spaces, dots, slashes and hyphens only, at most 50."
        }
        if let completed = try await IssuedCredential.query(on: db).filter(\.$apprentice.$id == apprentice.requireID()).filter(\.$kind == .certificate).first()?.awardedOn {
            if ProgramCalendar.day(day) == nil {
                errors["dolDate"] = "Enter the date on the certificate (YYYY-MM-DD)."
            } else if day < completed {
                errors["dolDate"] = "The Department's certificate cannot predate the completion (\(completed))."
            } else if day > ProgramCalendar.dayString(ProgramCalendar.today()) {
                errors["dolDate"] = "This date is in the future."
            }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors: errors) }
        try await db.writeTransaction { db in
            apprentice.dolCertificateNumber = number
            apprentice.dolCertificateDate = day
            try await apprentice.save(on: db)
            try await AuditLog.record(.dolCertificateRecorded, .apprentice(apprentice.id),
                                      "DOL Certificate of Completion no. \(number) (\(day)) recorded for \(apprentice.fullName)", by: actor, on: db)
        }
    }
}
