import BMETDomain
import Fluent
import SQLKit
import Vapor

/// The training record over `/api/v1`: hours, approvals, assessments, instruction, credentials, wages, reviews,
/// progress and the cohort view, documented in `Resources/openapi.json`.
///
/// The rules live in the services the web pages use; this controller only decodes, calls them and encodes.
/// Authorization is layered the same way as on the pages: the route's role guard (403), then the apprentice's
/// visibility (404, so ids of other employers' records do not leak), then the service's own check (403).
struct TrainingAPIController: RouteCollection {
    typealias List<Item: Content> = APIController.List<Item>

    /// Bounds one request's work; a month of daily entries fits many times over.
    static let maxEntriesPerRequest = 100
    static let maxDecisionsPerRequest = 500
    /// The services keep at most this much of a client key; longer keys are refused rather than cut.
    static let clientKeyLimit = 100
    /// The statuses a cohort lists when no `status` is asked for: apprenticeships that are running.
    static let runningStatuses: [ApprenticeStatus] = [.probation, .active, .suspended]

    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(BearerTokenAuthenticator())

        // Anyone who can see the apprentice reads; the services decide who may record instruction and credentials.
        let anyone = api.grouped(RoleGuard(api: true))
        anyone.get("apprentices", ":apprenticeID", "progress", use: progress)
        anyone.get("apprentices", ":apprenticeID", "hours", use: hours)
        anyone.get("apprentices", ":apprenticeID", "assessments", use: assessments)
        anyone.get("apprentices", ":apprenticeID", "assessment-requests", use: assessmentRequests)
        // A provider's staff read and record instruction for the students enrolled with their provider.
        let instructionRoles = api.grouped(RoleGuard.anySignedIn(api: true))
        instructionRoles.get("apprentices", ":apprenticeID", "instruction", use: instruction)
        instructionRoles.post("apprentices", ":apprenticeID", "instruction", use: recordInstruction)
        anyone.get("apprentices", ":apprenticeID", "credentials", use: credentials)
        anyone.post("apprentices", ":apprenticeID", "credentials", use: recordCredential)
        anyone.get("apprentices", ":apprenticeID", "wages", use: wages)
        anyone.get("apprentices", ":apprenticeID", "reviews", use: reviews)

        let apprentices = api.grouped(RoleGuard(.apprentice, api: true))
        apprentices.post("apprentices", ":apprenticeID", "hours", use: logHours)
        apprentices.patch("hours", ":entryID", use: editEntry)
        apprentices.post("hours", ":entryID", "correction", use: correctEntry)
        apprentices.post("apprentices", ":apprenticeID", "assessment-requests", use: requestAssessment)

        let mentors = api.grouped(RoleGuard(.mentor, api: true))
        mentors.get("approvals", use: approvals)
        mentors.post("approvals", use: decide)
        mentors.post("apprentices", ":apprenticeID", "assessments", use: assess)

        api.grouped(RoleGuard(.programAdmin, .employerAdmin, api: true)).post("apprentices", ":apprenticeID", "wages", use: recordRaise)
        api.grouped(RoleGuard(.programAdmin, .employerAdmin, .mentor, api: true)).get("cohort", use: cohort)
    }

    // MARK: Progress

    /// The stored answer from the progress read model; recomputed (and stored) first when it is not current.
    @Sendable func progress(req: Request) async throws -> Response {
        // The common case is one statement: visible, and its stored document current.
        let requested = req.parameters.get("apprenticeID", as: UUID.self)
        if let requested {
            let found = try await ProgressSummaries.visibleDocument(for: requested, to: try req.actor, on: try req.db.sql())
            guard found.found else { throw Abort(.notFound, reason: "No apprentice with this id is visible to you.") }
            if let document = found.document { return Self.json(document) }
        }
        let apprentice = try await req.visibleApprenticeRow()
        let id = try apprentice.requireID()
        _ = try await ProgressSummaries.current([apprentice], on: req.db)
        let document = try await ProgressSummaries.document(for: id, on: req.db)
        let body: String
        if let document { body = document } else {
            body = String(decoding: try JSONEncoder().encode(ProgressDTO(try await ProgressReader.progress(of: apprentice, on: req.db))), as: UTF8.self)
        }
        return Self.json(body)
    }

    private static func json(_ body: String) -> Response {
        Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: .init(string: body))
    }

    // MARK: Hours

    @Sendable func hours(req: Request) async throws -> List<HourEntryDTO> {
        let apprentice = try await req.visibleApprentice()
        var errors = FieldErrors()
        let from = Self.day(req, "from", into: &errors)
        let to = Self.day(req, "to", into: &errors)
        if let from, let to, to < from { errors["to"] = "The end of the range is before its start." }
        var status: HourEntry.Status?
        if let raw = req.query[String.self, at: "status"] {
            status = HourEntry.Status(rawValue: raw)
            if status == nil { errors["status"] = "Use one of: \(HourEntry.Status.allCases.map(\.rawValue).joined(separator: ", "))." }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors: errors) }
        // An apprenticeship has a few thousand entries at most, so the list is not paged; narrow it with from/to.
        let query = try HourEntry.query(on: req.db).filter(\.$apprentice.$id == apprentice.requireID())
            .sort(\.$entryDate, .descending).sort(\.$createdAt, .descending)
        if let from { query.filter(\.$entryDate >= from) }
        if let to { query.filter(\.$entryDate <= to) }
        if let status { query.filter(\.$status == status) }
        return List(items: try await Self.entryDTOs(try await query.all(), on: req.db))
    }

    @Sendable func logHours(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprenticeRow()
        let entries = try req.content.decode(HoursBody.self).entries ?? []
        var errors = FieldErrors()
        if entries.isEmpty { errors["entries"] = "Send at least one entry." }
        if entries.count > Self.maxEntriesPerRequest { errors["entries"] = "Send at most \(Self.maxEntriesPerRequest) entries per request." }
        var firstIndex: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            guard let key = entry.clientKey?.trimmed, !key.isEmpty else { continue }
            if key.count > Self.clientKeyLimit { errors["entries.\(index).clientKey"] = "A client key has at most \(Self.clientKeyLimit) characters." }
            else if let first = firstIndex[key] { errors["entries.\(index).clientKey"] = "entries.\(first) has the same client key; each entry needs its own." }
            else { firstIndex[key] = index }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors: errors) }
        // Rows without a key get one here, so every stored entry can be matched back to its row and returned in order.
        let rows = entries.enumerated().map { index, entry -> (prefix: String, input: HourEntryInput) in
            var input = entry.input
            if (input.clientKey ?? "").isEmpty { input.clientKey = UUID().uuidString }
            return (prefix: "entries.\(index).", input: input)
        }
        let stored = try await HourLog.log(rows, for: apprentice, by: try req.actor, on: req.db)
        let byKey = Dictionary(stored.map { ($0.clientKey, $0) }, uniquingKeysWith: { first, _ in first })
        let ordered = rows.compactMap { byKey[$0.input.clientKey ?? ""] }
        return try await List(items: try await Self.entryDTOs(ordered, on: req.db)).encodeResponse(status: .created, for: req)
    }

    /// Changes a pending entry. Fields left out keep their value, so a client can send only what changed.
    @Sendable func editEntry(req: Request) async throws -> HourEntryDTO {
        let (entry, apprentice) = try await Self.entry(req)
        let sent = try req.content.decode(HourEntryBody.self).input
        let merged = HourEntryInput(
            date: sent.date ?? entry.entryDate, skillSetCode: sent.skillSetCode ?? entry.skillSetCode,
            hours: sent.hours ?? HourRules.hoursText(entry.minutes), description: sent.description ?? entry.description,
            skills: sent.skills ?? entry.skillCodes, workOrder: sent.workOrder ?? entry.workOrder)
        try await HourLog.edit(entry, merged, apprentice: apprentice, by: try req.actor, on: req.db)
        let fresh = try await HourEntry.find(entry.requireID(), on: req.db) ?? entry
        return try await Self.entryDTO(fresh, on: req.db)
    }

    @Sendable func correctEntry(req: Request) async throws -> Response {
        let (entry, apprentice) = try await Self.entry(req)
        let body = try req.content.decode(HourEntryBody.self)
        if (body.clientKey?.trimmed.count ?? 0) > Self.clientKeyLimit {
            throw ValidationFailure(errors: ["clientKey": "A client key has at most \(Self.clientKeyLimit) characters."])
        }
        let correction = try await HourLog.correct(entry, body.input, apprentice: apprentice, by: try req.actor, on: req.db)
        return try await Self.entryDTO(correction, on: req.db).encodeResponse(status: .created, for: req)
    }

    // MARK: Approvals

    @Sendable func approvals(req: Request) async throws -> List<ApprovalItemDTO> {
        let pending = try await ApprovalsController.pending(for: try req.actor, limit: ApprovalsController.queueLimit, on: req.db)
        let dtos = try await Self.entryDTOs(pending, on: req.db)
        return List(items: try zip(pending, dtos).map { entry, dto in
            ApprovalItemDTO(apprentice: .init(id: try entry.apprentice.requireID(), fullName: entry.apprentice.fullName), entry: dto)
        })
    }

    @Sendable func decide(req: Request) async throws -> DecisionResultDTO {
        let body = try req.content.decode(DecisionBody.self)
        var errors = FieldErrors()
        let decision = body.decision.flatMap(HourLog.Decision.init(rawValue:))
        if decision == nil { errors["decision"] = "Use one of: \(HourLog.Decision.allCases.map(\.rawValue).joined(separator: ", "))." }
        let raw = body.entryIDs ?? []
        if raw.isEmpty { errors["entryIDs"] = "Send the ids of at least one entry." }
        if raw.count > Self.maxDecisionsPerRequest { errors["entryIDs"] = "Decide at most \(Self.maxDecisionsPerRequest) entries at once." }
        var ids: [UUID] = []
        for (index, text) in raw.enumerated() {
            if let id = UUID(uuidString: text.trimmed) { ids.append(id) } else { errors["entryIDs.\(index)"] = "This is not an entry id." }
        }
        guard errors.isEmpty, let decision else { throw ValidationFailure(errors: errors) }
        let result = try await HourLog.decide(ids, decision, comment: body.comment, by: try req.actor, on: req.db)
        return DecisionResultDTO(decided: result.decided.map(\.id), skipped: result.skipped.map { .init(id: $0.entry.id, reason: $0.reason) })
    }

    // MARK: Assessments

    @Sendable func assessments(req: Request) async throws -> List<AssessmentDTO> {
        let apprentice = try await req.visibleApprentice()
        let query = try SkillAssessment.query(on: req.db).filter(\.$apprentice.$id == apprentice.requireID()).with(\.$assessor)
            .sort(\.$createdAt, .descending)
        if let code = req.query[String.self, at: "skillCode"] {
            let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: req.db)
            guard let found = standards.skill(code: code.trimmed.uppercased()) else {
                throw ValidationFailure(errors: ["skillCode": "No skill \(code) in the apprentice's program."])
            }
            query.filter(\.$skillCode == found.skill.code)
        }
        return List(items: try await query.all().map { try AssessmentDTO($0, assessorName: $0.assessor.fullName) })
    }

    @Sendable func assess(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let actor = try req.actor
        let body = try req.content.decode(AssessmentBody.self)
        let input = AssessmentInput(skillCode: body.skillCode, rating: body.rating, observed: body.observed, evidence: nil)
        let assessment = try await Assessments.assess(apprentice, input, by: actor, settings: req.application.settings, on: req.db)
        return try await AssessmentDTO(assessment, assessorName: actor.fullName).encodeResponse(status: .created, for: req)
    }

    @Sendable func assessmentRequests(req: Request) async throws -> List<AssessmentRequestDTO> {
        let apprentice = try await req.visibleApprentice()
        let requests = try await AssessmentRequest.query(on: req.db).filter(\.$apprentice.$id == apprentice.requireID())
            .sort(\.$requestedAt, .descending).all()
        return List(items: try requests.map(AssessmentRequestDTO.init))
    }

    @Sendable func requestAssessment(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let body = try req.content.decode(AssessmentRequestBody.self)
        let request = try await Assessments.request(apprentice, skillCode: body.skillCode, note: body.note, by: try req.actor, on: req.db)
        return try await AssessmentRequestDTO(request).encodeResponse(status: .created, for: req)
    }

    // MARK: Instruction and credentials

    @Sendable func instruction(req: Request) async throws -> InstructionDTO {
        let apprentice = try await ProviderStudents.instructionApprentice(req)
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: req.db)
        let records = try await ProviderStudents.instructionRecords(of: apprentice, visibleTo: try req.actor, on: req.db)
        let progress = try await ProgressReader.progress(of: apprentice, on: req.db)
        var latest: [String: InstructionRecord] = [:]
        for record in records { latest[record.courseCode] = record }
        return InstructionDTO(
            totalHours: progress.instruction.totalHours,
            byYear: progress.instruction.byYear.map { .init(year: $0.year, hours: $0.hours, recommended: $0.recommended) },
            courses: standards.courses.map { course in
                .init(code: course.code, title: course.title, hours: course.hours,
                      status: latest[course.code]?.status.rawValue, date: latest[course.code]?.eventDate)
            },
            records: try records.reversed().map(InstructionRecordDTO.init))
    }

    @Sendable func recordInstruction(req: Request) async throws -> Response {
        let apprentice = try await ProviderStudents.instructionApprentice(req)
        let body = try req.content.decode(InstructionBody.self)
        let record = try await InstructionAndCredentials.recordInstruction(apprentice, body.input, by: try req.actor, on: req.db)
        return try await InstructionRecordDTO(record).encodeResponse(status: .created, for: req)
    }

    @Sendable func credentials(req: Request) async throws -> CredentialsDTO {
        let apprentice = try await req.visibleApprentice()
        let records = try await CredentialRecord.query(on: req.db).filter(\.$apprentice.$id == apprentice.requireID())
            .sort(\.$createdAt, .descending).all()
        let progress = try await ProgressReader.progress(of: apprentice, on: req.db)
        return CredentialsDTO(credentials: progress.credentials.map(CredentialProgressDTO.init), records: try records.map(CredentialRecordDTO.init))
    }

    /// Plans, exam dates and results as JSON; evidence files are attached on the web page.
    @Sendable func recordCredential(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let body = try req.content.decode(CredentialBody.self)
        let record = try await InstructionAndCredentials.recordCredential(apprentice, body.input, by: try req.actor,
                                                                           settings: req.application.settings, on: req.db)
        return try await CredentialRecordDTO(record).encodeResponse(status: .created, for: req)
    }

    // MARK: Wages and reviews

    @Sendable func wages(req: Request) async throws -> WagesDTO {
        let apprentice = try await req.visibleApprentice()
        let id = try apprentice.requireID()
        let planned = try await ApprenticeWageStep.query(on: req.db).filter(\.$apprentice.$id == id).sort(\.$step).all()
        let raises = try await WageRaise.query(on: req.db).filter(\.$apprentice.$id == id).sort(\.$step).all()
        let progress = try await ProgressReader.progress(of: apprentice, on: req.db)
        let due = Set(progress.wage.dueSteps.map(\.step))
        let inEffect = Set(raises.map(\.step))
        return WagesDTO(
            schedule: planned.map { step in
                .init(step: step.step, title: step.title, trigger: step.triggerSummary, plannedRate: DollarText.text(step.hourlyRateCents),
                      state: inEffect.contains(step.step) ? "in-effect" : due.contains(step.step) ? "due" : "not-reached")
            },
            raises: try raises.map(WageRaiseDTO.init),
            dueSteps: progress.wage.dueSteps.map(WageStepDTO.init),
            nextStep: progress.wage.nextStep.map(WageStepDTO.init), nextStepNeeds: progress.wage.nextStepNeeds)
    }

    /// Records the raise that is due; the service refuses any other step.
    @Sendable func recordRaise(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let body = try req.content.decode(WageRaiseBody.self)
        let progress = try await ProgressReader.progress(of: apprentice, on: req.db)
        let raise = try await WageRaises.record(apprentice, body.input, progress: progress, by: try req.actor, on: req.db)
        return try await WageRaiseDTO(raise).encodeResponse(status: .created, for: req)
    }

    @Sendable func reviews(req: Request) async throws -> ReviewsDTO {
        let apprentice = try await req.visibleApprentice()
        let reviews = try await ProgressReview.query(on: req.db).filter(\.$apprentice.$id == apprentice.requireID()).sort(\.$periodNumber).all()
        let reviewIDs = reviews.compactMap(\.id)
        let signatures = reviewIDs.isEmpty ? []
            : try await ReviewSignature.query(on: req.db).filter(\.$review.$id ~~ reviewIDs).sort(\.$signedAt).all()
        let due = ProgressReviews.next(for: apprentice, reviewsOnFile: reviews.count)
        return ReviewsDTO(
            items: try reviews.map { review in try ReviewDTO(review, signatures: signatures.filter { $0.$review.id == review.id }) },
            next: due.map { .init(number: $0.number, periodEnd: $0.periodEnd, dueBy: $0.dueBy, isOverdue: $0.isOverdue, canStart: $0.canStart) })
    }

    // MARK: Cohort

    /// The caller's apprentices with their progress figures: the sponsor's staff see all, employer staff their employer's.
    /// Rows per cohort page unless the caller asks for fewer or more (at most `cohortMaxLimit`).
    static let cohortDefaultLimit = 50
    static let cohortMaxLimit = 200

    /// One page of the cohort, by name: a national program's sponsor sees every apprentice, so it is never read whole.
    @Sendable func cohort(req: Request) async throws -> CohortPageDTO {
        let actor = try req.actor
        var errors = FieldErrors()
        let query = ApprenticeRecords.visible(to: actor, on: req.db)
        if let raw = req.query[String.self, at: "status"] {
            if let status = ApprenticeStatus(rawValue: raw) { query.filter(\.$status == status) }
            else { errors["status"] = "Use one of: \(ApprenticeStatus.allCases.map(\.rawValue).joined(separator: ", "))." }
        } else {
            query.filter(\.$status ~~ Self.runningStatuses)
        }
        var limit = Self.cohortDefaultLimit
        if let raw = req.query[String.self, at: "limit"] {
            if let n = Int(raw), (1...Self.cohortMaxLimit).contains(n) { limit = n }
            else { errors["limit"] = "Use a whole number from 1 to \(Self.cohortMaxLimit)." }
        }
        var cursor: Apprentice?
        if let raw = req.query[String.self, at: "after"] {
            if let id = UUID(uuidString: raw), let found = try await ApprenticeRecords.visible(to: actor, on: req.db).filter(\.$id == id).first() { cursor = found }
            else { errors["after"] = "Use the `next` value of the page before." }
        }
        guard errors.isEmpty else { throw ValidationFailure(errors: errors) }
        let total = try await query.copy().count()
        let page = query.sort(\.$fullName).sort(\.$id).limit(limit + 1)
        if let cursor { page.after(cursor) }
        let fetched = try await page.all()
        let rows = Array(fetched.prefix(limit))
        return CohortPageDTO(items: try await Cohort.rows(rows, on: req.db).map(CohortRowDTO.init), total: total,
                             next: fetched.count > limit ? rows.last?.id : nil)
    }

    // MARK: Helpers

    /// The entry named in the path, if the caller may see its apprentice; otherwise it does not exist for them.
    private static func entry(_ req: Request) async throws -> (HourEntry, Apprentice) {
        guard let id = req.parameters.get("entryID", as: UUID.self), let entry = try await HourEntry.find(id, on: req.db),
              let apprentice = try await ApprenticeRecords.visible(to: try req.actor, on: req.db).filter(\.$id == entry.$apprentice.id).first()
        else { throw Abort(.notFound, reason: "No hour entry with this id is visible to you.") }
        return (entry, apprentice)
    }

    /// Entries with their decisions, read in one query.
    private static func entryDTOs(_ entries: [HourEntry], on db: any Database) async throws -> [HourEntryDTO] {
        // Entries this request just stored have no decisions yet: no look-up for them.
        let ids = entries.filter { !$0.isNewlyStored }.compactMap(\.id)
        let decisions = ids.isEmpty ? [] : try await HourDecision.query(on: db).filter(\.$entry.$id ~~ ids).all()
        let byEntry = Dictionary(grouping: decisions, by: { $0.$entry.id })
        return try entries.map { try HourEntryDTO($0, decisions: $0.id.flatMap { byEntry[$0] } ?? []) }
    }

    private static func entryDTO(_ entry: HourEntry, on db: any Database) async throws -> HourEntryDTO {
        try HourEntryDTO(entry, decisions: try await HourDecision.query(on: db).filter(\.$entry.$id == entry.requireID()).all())
    }

    /// A `YYYY-MM-DD` query parameter, normalized; a malformed one is a field error.
    private static func day(_ req: Request, _ name: String, into errors: inout FieldErrors) -> String? {
        guard let raw = req.query[String.self, at: name] else { return nil }
        guard let date = ProgramCalendar.day(raw) else {
            errors[name] = "Enter the day as YYYY-MM-DD."
            return nil
        }
        return ProgramCalendar.dayString(date)
    }
}
