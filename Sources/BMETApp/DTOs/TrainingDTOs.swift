import BMETDomain
import Foundation
import Vapor

// The training record as the API reads and writes it (`TrainingAPIController`). Request bodies are named `…Body`
// and only carry what a client may set; responses are built from models and the progress engine, never encoded
// from models directly. Dates are `YYYY-MM-DD` strings, instants ISO 8601, money a dollar string such as "21.50".

// MARK: Wrappers

/// An optional that is always written, as `null` when empty, so a client can tell "no value" from "not sent".
@propertyWrapper
struct Nullable<Value: Codable & Sendable>: Codable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

/// A value clients may send as a JSON number or a string (`7.5` or `"7.5"`), handed to the services as the text
/// they already parse. Any other JSON type becomes `""`, which the services refuse with a message on that field
/// rather than the whole body failing to decode.
@propertyWrapper
struct NumberOrText: Codable, Sendable {
    var wrappedValue: String?

    init(wrappedValue: String?) {
        self.wrappedValue = wrappedValue
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { wrappedValue = nil }
        else if let text = try? container.decode(String.self) { wrappedValue = text }
        else if let number = try? container.decode(Double.self), number.isFinite {
            // Whole numbers without ".0", so integer fields (course hours) parse too.
            wrappedValue = number == number.rounded() && abs(number) < 1e9 ? String(Int(number)) : String(number)
        } else { wrappedValue = "" }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension KeyedDecodingContainer {
    /// A missing key is an empty value, as for any optional.
    func decode<Value>(_ type: Nullable<Value>.Type, forKey key: Key) throws -> Nullable<Value> {
        try decodeIfPresent(type, forKey: key) ?? Nullable(wrappedValue: nil)
    }

    func decode(_ type: NumberOrText.Type, forKey key: Key) throws -> NumberOrText {
        try decodeIfPresent(type, forKey: key) ?? NumberOrText(wrappedValue: nil)
    }
}

/// Dollar amounts as a plain decimal string, "21.50" (the web pages add the "$").
enum DollarText {
    static func text(_ cents: Int) -> String {
        String(format: "%d.%02d", cents / 100, cents % 100)
    }
}

// MARK: Hours

/// One day's hours as a client sends them.
struct HourEntryBody: Content {
    var date: String?
    var skillSetCode: String?
    /// Quarter hours, as a number (7.5) or a string ("7.5", "7:30").
    @NumberOrText var hours: String?
    var description: String?
    /// Skill codes practised, e.g. ["PM-01", "PM-03"].
    var skills: [String]?
    var workOrder: String?
    /// Chosen by the client per entry; sending the same key again returns the stored entry instead of a second one.
    var clientKey: String?

    var input: HourEntryInput {
        HourEntryInput(date: date, skillSetCode: skillSetCode, hours: hours, description: description,
                       skills: skills?.joined(separator: ","), workOrder: workOrder, clientKey: clientKey?.trimmed)
    }
}

struct HoursBody: Content {
    var entries: [HourEntryBody]?
}

/// A mentor's decision about a set of entries.
struct DecisionBody: Content {
    /// Strings rather than UUIDs, so a malformed id is a message on its field, not an unreadable body.
    var entryIDs: [String]?
    var decision: String?
    var comment: String?
}

struct HourDecisionDTO: Content {
    let action: String
    let comment: String
    let createdAt: Date
}

struct HourEntryDTO: Content {
    let id: UUID
    let apprenticeID: UUID
    let date: String
    let skillSetCode: String
    let hours: Double
    let minutes: Int
    let description: String
    let skills: [String]
    @Nullable var workOrder: String?
    let clientKey: String
    let status: String
    /// The approved entry this one corrects.
    @Nullable var correctsID: UUID?
    let createdAt: Date
    /// Oldest first: approvals, rejections (with the mentor's reason), undos.
    let decisions: [HourDecisionDTO]

    init(_ entry: HourEntry, decisions: [HourDecision]) throws {
        id = try entry.requireID()
        apprenticeID = entry.$apprentice.id
        date = entry.entryDate
        skillSetCode = entry.skillSetCode
        hours = entry.hours
        minutes = entry.minutes
        description = entry.description
        skills = entry.skillCodeList
        workOrder = entry.workOrder
        clientKey = entry.clientKey
        status = entry.status.rawValue
        correctsID = entry.$corrects.id
        createdAt = entry.createdAt
        self.decisions = decisions.sorted { $0.createdAt < $1.createdAt }
            .map { HourDecisionDTO(action: $0.action.rawValue, comment: $0.comment, createdAt: $0.createdAt) }
    }
}

/// A pending entry in a mentor's queue, with whose it is.
struct ApprovalItemDTO: Content {
    struct ApprenticeRef: Content { let id: UUID; let fullName: String }
    let apprentice: ApprenticeRef
    let entry: HourEntryDTO
}

struct DecisionResultDTO: Content {
    struct Skipped: Content { let id: UUID; let reason: String }
    let decided: [UUID]
    let skipped: [Skipped]
}

// MARK: Progress

struct WageStepDTO: Content {
    struct Trigger: Content {
        let kind: String
        @Nullable var value: Int?
        @Nullable var credential: String?
    }
    let step: Int
    let title: String
    let trigger: Trigger
    @Nullable var percentOfJourneyworkerWage: Double?

    init(_ step: WageStep) {
        self.step = step.step
        title = step.title
        trigger = Trigger(kind: step.trigger.kind.rawValue, value: step.trigger.value, credential: step.trigger.credential)
        percentOfJourneyworkerWage = step.percentOfJourneyworkerWage
    }
}

struct CredentialProgressDTO: Content {
    let code: String
    let name: String
    let required: Bool
    /// planned, scheduled, passed or failed; null when nothing is recorded.
    @Nullable var status: String?
    @Nullable var date: String?
    @Nullable var expires: String?
    let isExpired: Bool
    let isPassed: Bool

    init(_ credential: ApprenticeProgress.CredentialProgress) {
        code = credential.code
        name = credential.name
        required = credential.required
        status = credential.status?.rawValue
        date = credential.date.map(ProgramCalendar.dayString)
        expires = credential.expires.map(ProgramCalendar.dayString)
        isExpired = credential.isExpired
        isPassed = credential.isPassed
    }
}

/// ``ApprenticeProgress`` as JSON: the same numbers the pages show.
struct ProgressDTO: Content {
    struct SkillSet: Content {
        let code: String
        let title: String
        let requiredHours: Int
        let approvedHours: Double
        let creditedHours: Int
        let totalHours: Double
        let skillsTotal: Int
        let skillsSignedOff: Int
        let skillsCredited: Int
    }
    struct Totals: Content {
        let approvedHours: Double
        let creditedHours: Int
        let totalHours: Double
        let minimumHours: Int
        @Nullable var maximumHours: Int?
        /// totalHours / minimumHours, capped at 1.
        let hoursFraction: Double
    }
    struct Skills: Content {
        let total: Int
        let signedOff: Int
        let credited: Int
    }
    struct InstructionYear: Content { let year: Int; let hours: Int; let recommended: Int }
    struct Instruction: Content {
        let totalHours: Int
        let plannedHours: Int
        let completedCourses: [String]
        let missingCourses: [String]
        let byYear: [InstructionYear]
    }
    struct Probation: Content {
        /// not-started, in-probation or completed.
        let state: String
        @Nullable var endsOn: String?
    }
    struct Eligibility: Content { let isEligible: Bool; let missing: [String] }
    struct Outlook: Content { let code: String; let label: String; let reasons: [String] }
    struct Wage: Content {
        let reachedStep: Int
        let recordedStep: Int
        let dueSteps: [WageStepDTO]
        @Nullable var nextStep: WageStepDTO?
        @Nullable var nextStepNeeds: String?
    }

    let skillSets: [SkillSet]
    let totals: Totals
    let skills: Skills
    let instruction: Instruction
    let credentials: [CredentialProgressDTO]
    let monthsElapsed: Int
    let probation: Probation
    let eligibility: Eligibility
    let weeklyPaceHours: Double
    @Nullable var projectedCompletion: String?
    let outlook: Outlook
    let wage: Wage

    init(_ p: ApprenticeProgress) {
        skillSets = p.skillSets.map {
            SkillSet(code: $0.code, title: $0.title, requiredHours: $0.requiredHours, approvedHours: $0.approvedHours, creditedHours: $0.creditedHours,
                     totalHours: $0.totalHours, skillsTotal: $0.skillsTotal, skillsSignedOff: $0.skillsSignedOff, skillsCredited: $0.skillsCredited)
        }
        totals = Totals(approvedHours: p.approvedHours, creditedHours: p.creditedHours, totalHours: p.totalHours, minimumHours: p.minimumHours,
                        maximumHours: p.maximumHours, hoursFraction: p.hoursFraction)
        skills = Skills(total: p.skillsTotal, signedOff: p.skillsSignedOff, credited: p.skillsCredited)
        instruction = Instruction(totalHours: p.instruction.totalHours, plannedHours: p.instruction.plannedHours,
                                  completedCourses: p.instruction.completedCourses, missingCourses: p.instruction.missingCourses,
                                  byYear: p.instruction.byYear.map { InstructionYear(year: $0.year, hours: $0.hours, recommended: $0.recommended) })
        credentials = p.credentials.map(CredentialProgressDTO.init)
        monthsElapsed = p.monthsElapsed
        probation = switch p.probation {
        case .notStarted: Probation(state: "not-started", endsOn: nil)
        case .inProbation(let end): Probation(state: "in-probation", endsOn: ProgramCalendar.dayString(end))
        case .completed: Probation(state: "completed", endsOn: nil)
        }
        eligibility = Eligibility(isEligible: p.eligibility.isEligible, missing: p.eligibility.missing)
        weeklyPaceHours = p.weeklyPaceHours
        projectedCompletion = p.projectedCompletion.map(ProgramCalendar.dayString)
        let reasons: [String] = if case .atRisk(let reasons) = p.outlook { reasons } else { [] }
        outlook = Outlook(code: p.outlook.code, label: p.outlook.label, reasons: reasons)
        wage = Wage(reachedStep: p.wage.reachedStep, recordedStep: p.wage.recordedStep, dueSteps: p.wage.dueSteps.map(WageStepDTO.init),
                    nextStep: p.wage.nextStep.map(WageStepDTO.init), nextStepNeeds: p.wage.nextStepNeeds)
    }
}

// MARK: Assessments

/// A mentor's rating of a skill; evidence files are uploaded on the web page, not through the API.
struct AssessmentBody: Content {
    var skillCode: String?
    var rating: String?
    var observed: String?
}

struct AssessmentRequestBody: Content {
    var skillCode: String?
    var note: String?
}

struct AssessmentDTO: Content {
    let id: UUID
    let skillCode: String
    /// The rating scale's code, e.g. "proficient".
    let rating: String
    let ratingLabel: String
    let signsOff: Bool
    let observed: String
    let assessorID: UUID
    let assessorName: String
    /// Whether a file was attached on the web page (files are served there, to signed-in users).
    let hasEvidence: Bool
    let createdAt: Date

    init(_ assessment: SkillAssessment, assessorName: String) throws {
        id = try assessment.requireID()
        skillCode = assessment.skillCode
        rating = assessment.ratingCode
        ratingLabel = assessment.ratingLabel
        signsOff = assessment.signsOff
        observed = assessment.observed
        assessorID = assessment.$assessor.id
        self.assessorName = assessorName
        hasEvidence = assessment.evidenceFile != nil
        createdAt = assessment.createdAt
    }
}

struct AssessmentRequestDTO: Content {
    let id: UUID
    let skillCode: String
    let note: String
    let requestedAt: Date
    /// The assessment that answered the request; null while it is open.
    @Nullable var answeredByID: UUID?

    init(_ request: AssessmentRequest) throws {
        id = try request.requireID()
        skillCode = request.skillCode
        note = request.note
        requestedAt = request.requestedAt
        answeredByID = request.$answeredBy.id
    }
}

// MARK: Instruction and credentials

struct InstructionBody: Content {
    var courseCode: String?
    /// enrolled, completed or withdrawn.
    var status: String?
    var provider: String?
    var date: String?
    /// Contact hours, for completions; a number or a string.
    @NumberOrText var hours: String?
    var grade: String?

    var input: InstructionInput {
        InstructionInput(courseCode: courseCode, status: status, provider: provider, date: date, hours: hours, grade: grade)
    }
}

struct InstructionRecordDTO: Content {
    let id: UUID
    let courseCode: String
    let status: String
    let provider: String
    let date: String
    @Nullable var hours: Int?
    @Nullable var grade: String?
    let recordedByID: UUID
    let createdAt: Date

    init(_ record: InstructionRecord) throws {
        id = try record.requireID()
        courseCode = record.courseCode
        status = record.status.rawValue
        provider = record.provider
        date = record.eventDate
        hours = record.hours
        grade = record.grade
        recordedByID = record.$recordedBy.id
        createdAt = record.createdAt
    }
}

/// Every course of the standards with its latest state, and the full record, newest first.
struct InstructionDTO: Content {
    struct CourseState: Content {
        let code: String
        let title: String
        let hours: Int
        /// enrolled, completed or withdrawn; null when nothing is recorded.
        @Nullable var status: String?
        @Nullable var date: String?
    }
    let totalHours: Int
    let byYear: [ProgressDTO.InstructionYear]
    let courses: [CourseState]
    let records: [InstructionRecordDTO]
}

struct CredentialBody: Content {
    var credentialCode: String?
    /// planned, scheduled, passed or failed.
    var status: String?
    var date: String?
    var expires: String?
    var note: String?

    var input: CredentialInput {
        CredentialInput(credentialCode: credentialCode, status: status, date: date, expires: expires, note: note, evidence: nil)
    }
}

struct CredentialRecordDTO: Content {
    let id: UUID
    let credentialCode: String
    let status: String
    @Nullable var date: String?
    @Nullable var expires: String?
    let note: String
    let hasEvidence: Bool
    let recordedByID: UUID
    let createdAt: Date

    init(_ record: CredentialRecord) throws {
        id = try record.requireID()
        credentialCode = record.credentialCode
        status = record.status.rawValue
        date = record.eventDate
        expires = record.expiresOn
        note = record.note
        hasEvidence = record.evidenceFile != nil
        recordedByID = record.$recordedBy.id
        createdAt = record.createdAt
    }
}

/// Each credential of the standards with its current state, and the full record, newest first.
struct CredentialsDTO: Content {
    let credentials: [CredentialProgressDTO]
    let records: [CredentialRecordDTO]
}

// MARK: Wages

struct WageRaiseBody: Content {
    var step: Int?
    var effectiveDate: String?
    /// The new hourly rate in dollars: "21.50" (a number is accepted too).
    @NumberOrText var rate: String?
    var note: String?

    var input: WageRaiseInput {
        WageRaiseInput(step: step, effectiveDate: effectiveDate, rate: rate, note: note)
    }
}

struct WageRaiseDTO: Content {
    let id: UUID
    let step: Int
    let effectiveDate: String
    let rate: String
    let note: String
    @Nullable var recordedByID: UUID?
    let createdAt: Date

    init(_ raise: WageRaise) throws {
        id = try raise.requireID()
        step = raise.step
        effectiveDate = raise.effectiveDate
        rate = DollarText.text(raise.hourlyRateCents)
        note = raise.note
        recordedByID = raise.$recordedBy.id
        createdAt = raise.createdAt
    }
}

/// The apprentice's wage schedule with the registered rates, the raises put into effect, and what is owed.
struct WagesDTO: Content {
    struct ScheduleStep: Content {
        let step: Int
        let title: String
        let trigger: String
        let plannedRate: String
        /// in-effect, due or not-reached.
        let state: String
    }
    let schedule: [ScheduleStep]
    /// In step order.
    let raises: [WageRaiseDTO]
    let dueSteps: [WageStepDTO]
    @Nullable var nextStep: WageStepDTO?
    @Nullable var nextStepNeeds: String?
}

// MARK: Reviews

struct ReviewDTO: Content {
    struct Signature: Content { let party: String; let signerID: UUID; let signedAt: Date }
    let id: UUID
    let number: Int
    let periodEnd: String
    let mentorComments: String
    let apprenticeComments: String
    let goals: String
    let createdByID: UUID
    let createdAt: Date
    @Nullable var completedAt: Date?
    let signatures: [Signature]
    /// Parties still to sign: mentor, apprentice, employer.
    let missingSignatures: [String]

    init(_ review: ProgressReview, signatures: [ReviewSignature]) throws {
        id = try review.requireID()
        number = review.periodNumber
        periodEnd = review.periodEnd
        mentorComments = review.mentorComments
        apprenticeComments = review.apprenticeComments
        goals = review.goals
        createdByID = review.$createdBy.id
        createdAt = review.createdAt
        completedAt = review.completedAt
        self.signatures = signatures.map { Signature(party: $0.party.rawValue, signerID: $0.$signer.id, signedAt: $0.signedAt) }
        missingSignatures = ReviewSignature.Party.allCases.filter { party in !signatures.contains { $0.party == party } }.map(\.rawValue)
    }
}

struct ReviewsDTO: Content {
    struct Next: Content {
        let number: Int
        let periodEnd: String
        let dueBy: String
        let isOverdue: Bool
        let canStart: Bool
    }
    /// Oldest first.
    let items: [ReviewDTO]
    /// The next review to hold; null when the apprenticeship is not running.
    @Nullable var next: Next?
}

// MARK: Cohort

/// One page of the cohort: `next` is the `after` value of the following page, null on the last.
struct CohortPageDTO: Content {
    let items: [CohortRowDTO]
    /// Apprentices matching the filter, on every page.
    let total: Int
    @Nullable var next: UUID?
}

/// One apprentice in a cohort table: the figures the dashboards show.
struct CohortRowDTO: Content {
    let id: UUID
    let name: String
    let status: String
    let employerID: UUID
    let mentorID: UUID
    let totalHours: Double
    let minimumHours: Int
    let skillsSignedOff: Int
    let skillsTotal: Int
    let outlook: String
    @Nullable var projectedCompletion: String?
    let raiseDue: Bool
    let reviewOverdue: Bool
    let pendingEntries: Int
    let openRequests: Int

    init(_ row: Cohort.Row) throws {
        let p = row.progress
        id = try row.apprentice.requireID()
        name = row.apprentice.fullName
        status = row.apprentice.status.rawValue
        employerID = row.apprentice.$employer.id
        mentorID = row.apprentice.$mentor.id
        totalHours = p.totalHours
        minimumHours = p.minimumHours
        skillsSignedOff = p.skillsSignedOff
        skillsTotal = p.skillsTotal
        outlook = p.outlook.code
        projectedCompletion = p.projectedCompletion.map(ProgramCalendar.dayString)
        raiseDue = !p.wage.dueSteps.isEmpty
        reviewOverdue = row.review?.isOverdue ?? false
        pendingEntries = row.pendingEntries
        openRequests = row.openRequests
    }
}
