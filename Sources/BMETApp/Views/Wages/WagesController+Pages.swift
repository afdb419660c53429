import BMETDomain
import Fluent
import Vapor

/// The page models of `WagesController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension WagesController {
    struct View: Encodable {
        struct Step: Encodable { let step: Int; let title: String; let trigger: String; let planned: String; let state: String; let stateCode: String }
        struct Raise: Encodable { let step: Int; let date: String; let rate: String; let note: String; let by: String; let when: String }
        let header: RecordHeader; let heading: String
        let steps: [Step]; let raises: [Raise]; let current: String?
        let due: Step?; let nextRaise: String?; let canRecord: Bool
        let values: [String: String]; let errors: FieldErrors; let saved: Bool
    }

    func view(_ req: Request, _ apprentice: Apprentice, input: WageRaiseInput? = nil, errors: FieldErrors = [:], saved: Bool = false) async throws -> View {
        let actor = try req.actor
        let id = try apprentice.requireID()
        let planned = try await ApprenticeWageStep.query(on: req.db).filter(\.$apprentice.$id == id).sort(\.$step).all()
        let raises = try await WageRaise.query(on: req.db).filter(\.$apprentice.$id == id).with(\.$recordedBy).sort(\.$step).all()
        let progress = try await ProgressReader.progress(of: apprentice, on: req.db)
        let dueSteps = Set(progress.wage.dueSteps.map(\.step))
        let steps = planned.map { step in
            let raise = raises.first { $0.step == step.step }
            let (state, code) = raise != nil ? ("In effect since \(raise!.effectiveDate)", "approved")
                : dueSteps.contains(step.step) ? ("Raise due", "at-risk") : ("Not reached yet", "none")
            return View.Step(step: step.step, title: step.title, trigger: step.triggerSummary, planned: Money.text(step.hourlyRateCents), state: state, stateCode: code)
        }
        let due = steps.first { dueSteps.contains($0.step) }
        // The raise takes effect when it became due, where the record says when (a month anniversary, a passed exam),
        // never before the previous raise; otherwise today.
        let today = ProgramCalendar.today()
        var effective = today
        if let dueStep = progress.wage.dueSteps.first, let start = ProgramCalendar.day(apprentice.startDate),
           let dueDate = ProgressEngine.dueDate(of: dueStep.trigger, startDate: start, credentials: progress.credentials), dueDate <= today {
            effective = max(dueDate, raises.last.flatMap { ProgramCalendar.day($0.effectiveDate) } ?? dueDate)
        }
        return View(
            header: RecordHeader(apprentice, current: .wages), heading: "Wages",
            steps: steps,
            raises: raises.reversed().map { .init(step: $0.step, date: $0.effectiveDate, rate: Money.text($0.hourlyRateCents), note: $0.note,
                                                  by: $0.recordedBy?.fullName ?? "The platform", when: DateText.dateTime($0.createdAt)) },
            current: raises.last.map { "\(Money.text($0.hourlyRateCents)) an hour (step \($0.step), since \($0.effectiveDate))" },
            due: due, nextRaise: ProgressView(progress).nextRaise,
            canRecord: WageRaises.canRecord(actor, for: apprentice) && due != nil,
            values: ["effectiveDate": input?.effectiveDate ?? ProgramCalendar.dayString(effective),
                     "rate": input?.rate ?? due.map { s in planned.first { $0.step == s.step }.map { String(format: "%.2f", Double($0.hourlyRateCents) / 100) } ?? "" } ?? "",
                     "note": input?.note ?? ""],
            errors: errors, saved: saved)
    }
}
