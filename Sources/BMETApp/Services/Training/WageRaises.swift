import BMETDomain
import Fluent
import Vapor

struct WageRaiseInput: Content {
    var step: Int?
    var effectiveDate: String?
    var rate: String?
    var note: String?
}

/// Raises the employer puts into effect when a wage step's trigger is met.
enum WageRaises {
    static func canRecord(_ actor: User, for apprentice: Apprentice) -> Bool {
        actor.role == .programAdmin || (actor.role == .employerAdmin && actor.employerID == apprentice.$employer.id)
    }

    /// The starting wage, recorded with the registration.
    static func recordStart(apprenticeID: UUID, startDate: String, rateCents: Int, by actorID: UUID?, on db: any Database) async throws {
        let raise = WageRaise()
        raise.$apprentice.id = apprenticeID
        raise.step = 1
        raise.effectiveDate = startDate
        raise.hourlyRateCents = rateCents
        raise.note = "Starting wage, from the registration."
        raise.$recordedBy.id = actorID
        raise.createdAt = Date()
        try await raise.create(on: db)
    }

    /// Records the next due step. Steps are put into effect in order, each only once its trigger is met.
    static func record(_ apprentice: Apprentice, _ input: WageRaiseInput, progress: ApprenticeProgress, by actor: User,
                       today: Date = ProgramCalendar.today(), on db: any Database) async throws -> WageRaise {
        guard canRecord(actor, for: apprentice) else { throw Abort(.forbidden, reason: "Only the employer records raises.") }
        if [.cancelled, .completed, .pendingAgreement].contains(apprentice.status) {
            let message = "No raise can be recorded while the apprenticeship is \(apprentice.status.label.lowercased())."
            throw ValidationFailure(errors: ["form": message], message: message)
        }
        let apprenticeID = try apprentice.requireID()
        var errors = FieldErrors()
        guard let due = progress.wage.dueSteps.first else {
            throw ValidationFailure(errors: ["step": "No raise is due: \(progress.wage.nextStep.map { "the next step, \($0.title), needs \(progress.wage.nextStepNeeds ?? "its trigger met")" } ?? "every step is in effect")."])
        }
        if input.step != due.step { errors["step"] = "The next raise due is step \(due.step) (\(due.title))." }
        let date = ProgramCalendar.day(input.effectiveDate ?? "")
        let start = ProgramCalendar.day(apprentice.startDate) ?? today
        if date == nil { errors["effectiveDate"] = "Enter the effective date as YYYY-MM-DD." }
        else if let date, date < start { errors["effectiveDate"] = "The effective date cannot be before the start (\(apprentice.startDate))." }
        else if let date, let limit = ProgramCalendar.calendar.date(byAdding: .day, value: 90, to: today), date > limit { errors["effectiveDate"] = "Enter a date within the next 90 days." }
        let cents = Money.cents(input.rate)
        let previous = try await WageRaise.query(on: db).filter(\.$apprentice.$id == apprenticeID).sort(\.$step, .descending).first()
        if cents == nil || cents! <= 0 { errors["rate"] = "Enter the new hourly rate in dollars, e.g. 21.50." }
        else if let cents, let previous, cents < previous.hourlyRateCents { errors["rate"] = "The wage schedule only goes up: the current rate is \(Money.text(previous.hourlyRateCents))." }
        if let previous, let date, let previousDate = ProgramCalendar.day(previous.effectiveDate), date < previousDate {
            errors["effectiveDate"] = "The previous step took effect on \(previous.effectiveDate); this one cannot be earlier."
        }
        let note = input.note?.trimmed ?? ""
        if note.count > FieldLimits.limit(for: "note") { errors["note"] = "At most \(FieldLimits.limit(for: "note")) characters." }
        guard errors.isEmpty, let date, let cents else { throw ValidationFailure(errors: errors) }
        let raise = WageRaise()
        raise.$apprentice.id = apprenticeID
        raise.step = due.step
        raise.effectiveDate = ProgramCalendar.dayString(date)
        raise.hourlyRateCents = cents
        raise.note = note
        raise.$recordedBy.id = try actor.requireID()
        raise.createdAt = Date()
        try await db.writeTransaction { db in
            try await TrainingLock.lock(apprenticeID, on: db)
            // The unique (apprentice, step) constraint also stops a double submission; this gives the message.
            if try await WageRaise.query(on: db).filter(\.$apprentice.$id == apprenticeID).filter(\.$step == due.step).first() != nil {
                throw ValidationFailure(errors: ["step": "Step \(due.step) was recorded meanwhile."])
            }
            try await raise.create(on: db)
            try await AuditLog.record(.wageRaised, .apprentice(apprenticeID),
                                      "\(apprentice.fullName): wage step \(due.step) at \(Money.text(cents))/h from \(raise.effectiveDate)", by: actor, on: db)
        }
        return raise
    }
}
