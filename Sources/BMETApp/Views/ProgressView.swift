import BMETDomain
import Foundation

/// An apprentice's progress as the pages show it: bars, totals, and plain sentences.
struct ProgressView: Encodable {
    struct SetBar: Encodable {
        let code: String; let title: String
        /// The skill set's hours in the schedule: planned, not a minimum (completion counts the total and the skills).
        let approved: String; let credited: Int; let planned: String
        /// Bar widths out of 100: approved hours, then credited hours after them.
        let approvedPercent: Int; let creditedPercent: Int
        let skills: String
    }
    struct Credential: Encodable { let name: String; let status: String; let statusCode: String; let date: String?; let expires: String?; let required: Bool }
    struct Year: Encodable { let year: Int; let hours: Int; let recommended: Int; let percent: Int }
    struct Requirement: Encodable { let label: String; let detail: String; let met: Bool }

    let sets: [SetBar]
    let totalHours: String; let minimumHours: String; let hoursPercent: Int; let creditedHours: Int
    /// The program's maximum, a separate figure from the minimum that decides completion ("up to 6,000").
    let maximumHours: String?
    let requirements: [Requirement]
    /// Logged hours by state (approved, waiting, rejected), where the page shows them.
    let hourStates: HourStates?
    let skillsSignedOff: Int; let skillsTotal: Int; let skillsPercent: Int; let skillsCredited: Int
    let instructionHours: Int; let instructionPlanned: Int; let years: [Year]; let missingCourses: [String]
    let credentials: [Credential]; let nextDeadline: String?
    let monthsElapsed: Int; let probation: String
    let pace: String; let projected: String?
    let outlook: String; let outlookCode: String; let risks: [String]
    let eligible: Bool; let missing: [String]
    let raiseDue: String?; let nextRaise: String?

    init(_ p: ApprenticeProgress, hours: HourStates? = nil) {
        hourStates = hours
        sets = p.skillSets.map { set in
            let planned = max(1, Double(set.requiredHours))
            let approved = min(100, Int((set.approvedHours / planned * 100).rounded(.down)))
            let credited = min(100 - approved, Int((Double(set.creditedHours) / planned * 100).rounded(.down)))
            return SetBar(code: set.code, title: set.title, approved: Hours.text(set.approvedHours), credited: set.creditedHours,
                          planned: set.requiredHours.grouped, approvedPercent: approved, creditedPercent: credited,
                          skills: "\(set.skillsSignedOff) of \(set.skillsTotal)")
        }
        totalHours = Hours.text(p.totalHours)
        minimumHours = p.minimumHours.grouped
        maximumHours = p.maximumHours.map(\.grouped)
        requirements = p.requirements.map { Requirement(label: $0.label, detail: $0.detail, met: $0.met) }
        hoursPercent = Int((p.hoursFraction * 100).rounded(.down))
        creditedHours = p.creditedHours
        skillsSignedOff = p.skillsSignedOff
        skillsTotal = p.skillsTotal
        skillsPercent = p.skillsTotal == 0 ? 100 : p.skillsSignedOff * 100 / p.skillsTotal
        skillsCredited = p.skillsCredited
        instructionHours = p.instruction.totalHours
        instructionPlanned = p.instruction.plannedHours
        years = p.instruction.byYear.map { Year(year: $0.year, hours: $0.hours, recommended: $0.recommended,
                                                percent: $0.recommended == 0 ? 100 : min(100, $0.hours * 100 / $0.recommended)) }
        missingCourses = p.instruction.missingCourses
        credentials = p.credentials.map {
            Credential(name: $0.name, status: $0.isExpired ? "Expired" : ($0.status?.label ?? "Not planned yet"),
                       statusCode: $0.isExpired ? "expired" : ($0.status?.rawValue ?? "none"),
                       date: $0.date.map(ProgramCalendar.dayString), expires: $0.expires.map(ProgramCalendar.dayString), required: $0.required)
        }
        nextDeadline = p.nextCredentialDeadline.map { "\($0.name): exam on \($0.date.map(ProgramCalendar.dayString) ?? "")" }
        monthsElapsed = p.monthsElapsed
        probation = switch p.probation {
        case .notStarted: "Not started"
        case .inProbation(let end): "In probation until \(ProgramCalendar.dayString(end))"
        case .completed: "Completed"
        }
        pace = Hours.text(p.weeklyPaceHours) + " h a week"
        projected = p.projectedCompletion.map(ProgramCalendar.dayString)
        outlook = p.outlook.label
        outlookCode = p.outlook.code
        risks = if case .atRisk(let reasons) = p.outlook { reasons } else { [] }
        eligible = p.eligibility.isEligible
        missing = p.eligibility.missing
        raiseDue = p.wage.dueSteps.first.map { "Step \($0.step), \($0.title), is due" }
        nextRaise = p.wage.nextStep.map { step in "Step \(step.step), \(step.title)" + (p.wage.nextStepNeeds.map { ": \($0) to go" } ?? "") }
    }
}

enum Hours {
    /// 1,234.5 — at most one decimal, none when whole.
    static func text(_ hours: Double) -> String {
        let tenths = (hours * 10).rounded() / 10
        let whole = Int(tenths.rounded(.towardZero))
        let fraction = Int((abs(tenths - Double(whole)) * 10).rounded())
        return (tenths < 0 && whole == 0 ? "-" : "") + whole.grouped + (fraction == 0 ? "" : ".\(fraction)")
    }
}
