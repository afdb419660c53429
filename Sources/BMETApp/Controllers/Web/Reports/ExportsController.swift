import BMETDomain
import Fluent
import Vapor

/// CSV downloads of the lists (applicants, apprentices, one apprentice's hours and assessments) and an apprentice's
/// complete record. Each honours the same visibility as its page: employer staff get only their own people, and an
/// id outside the viewer's scope is a 404.
struct ExportsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RoleGuard(.programAdmin, .employerAdmin))
        staff.get("applicants", "export.csv", use: applicants)
        routes.grouped(RoleGuard(.programAdmin, .employerAdmin, .mentor)).get("apprentices", "export.csv", use: apprentices)
        let signedIn = routes.grouped(RoleGuard())
        signedIn.get("apprentices", ":apprenticeID", "hours.csv", use: hours)
        signedIn.get("apprentices", ":apprenticeID", "assessments.csv", use: assessments)
        signedIn.get("apprentices", ":apprenticeID", "record.csv", use: record)
    }

    /// The list page's date range, refused with a message by the field when it is reversed or not a date.
    private func dayRange(_ req: Request) throws -> DayRange {
        switch DayRange.parse(from: req.query[String.self, at: "from"], to: req.query[String.self, at: "to"]) {
        case .success(let range): return range
        case .failure(let problem): throw ValidationFailure(errors: [problem.field: problem.message], message: problem.message)
        }
    }

    @Sendable func applicants(req: Request) async throws -> Response {
        let actor = try req.actor
        let range = try dayRange(req)
        let query = try Applications.visible(to: actor, on: req.db).with(\.$referredEmployer).sort(\.$createdAt, .descending)
        if let status = req.query[String.self, at: "status"].flatMap(ApplicantStatus.init(rawValue:)) { query.filter(\.$status == status) }
        if let state = req.query[String.self, at: "state"]?.uppercased(), USAddressRules.isValidState(state) { query.filter(\.$state == state) }
        let (start, end) = range.instants
        if let start { query.filter(\.$createdAt >= start) }
        if let end { query.filter(\.$createdAt < end) }
        if let q = req.query[String.self, at: "q"]?.trimmed, !q.isEmpty {
            let like = Search.containsOperator(on: req.db), pattern = Search.pattern(q)
            query.group(.or) { $0.filter(\.$fullName, like, pattern).filter(\.$email, like, pattern).filter(\.$city, like, pattern) }
        }
        var csv = CSVWriter(header: ["Name", "E-mail", "City", "State", "ZIP", "Education", "Status", "Referred to", "Applied"])
        for a in try await query.all() {
            csv.append([.text(a.fullName), .text(a.email), .text(a.city), .text(a.state), .text(a.zip), .text(a.education.label),
                        .text(a.status.label), .text(a.referredEmployer?.name ?? ""), .instant(a.createdAt)])
        }
        try await AuditLog.record(.personalDataExported, .program, "Applicant list exported (\(csv.rowCount) rows, CSV)", by: actor, on: req.db)
        return Response.csv(csv, name: "applicants")
    }

    @Sendable func apprentices(req: Request) async throws -> Response {
        let actor = try req.actor
        let range = try dayRange(req)
        let query = ApprenticeRecords.visible(to: actor, on: req.db).with(\.$employer).with(\.$mentor).sort(\.$fullName)
        if let status = req.query[String.self, at: "status"].flatMap(ApprenticeStatus.init(rawValue:)) { query.filter(\.$status == status) }
        if let from = range.from { query.filter(\.$startDate >= from) }
        if let to = range.to { query.filter(\.$startDate <= to) }
        var csv = CSVWriter(header: ["Name", "E-mail", "Employer", "Employer state", "Mentor", "Status", "Start date", "Probation ends", "Expected completion"])
        for a in try await query.all() {
            csv.append([.text(a.fullName), .text(a.email), .text(a.employer.name), .text(a.employer.state), .text(a.mentor.fullName),
                        .text(a.status.label), .text(a.startDate), .text(a.probationEnd), .text(a.termEnd)])
        }
        try await AuditLog.record(.personalDataExported, .program, "Apprentice list exported (\(csv.rowCount) rows, CSV)", by: try req.actor, on: req.db)
        return Response.csv(csv, name: "apprentices")
    }

    @Sendable func hours(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let range = try dayRange(req)
        let query = try HourEntry.query(on: req.db).filter(\.$apprentice.$id == apprentice.requireID()).with(\.$createdBy).sort(\.$entryDate).sort(\.$createdAt)
        if let from = range.from { query.filter(\.$entryDate >= from) }
        if let to = range.to { query.filter(\.$entryDate <= to) }
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: req.db)
        var csv = CSVWriter(header: ["Date", "Skill set code", "Skill set", "Hours", "Status", "Description", "Skills practised", "Work order", "Correction",
                                     "Logged by", "Logged at", "Decided by", "Decided at", "Decision comment"])
        let entries = try await query.all()
        // The decision that stands for each entry: its latest (an undo clears the approver until the next decision).
        var latest: [UUID: HourDecision] = [:]
        for chunk in stride(from: 0, to: entries.count, by: 500).map({ Array(entries[$0..<min(entries.count, $0 + 500)]) }) {
            let decisions = try await HourDecision.query(on: req.db).filter(\.$entry.$id ~~ chunk.compactMap(\.id)).with(\.$actor).sort(\.$createdAt).all()
            for decision in decisions { latest[decision.$entry.id] = decision }
        }
        for entry in entries {
            let decision = entry.id.flatMap { latest[$0] }.flatMap { [.approve, .reject].contains($0.action) ? $0 : nil }
            csv.append([.text(entry.entryDate), .text(entry.skillSetCode), .text(standards.skillSet(code: entry.skillSetCode)?.title ?? ""),
                        .decimal(Double(entry.minutes) / 60, places: 2), .text(entry.status.label), .text(entry.description),
                        .text(entry.skillCodeList.joined(separator: " ")), .text(entry.workOrder ?? ""), .text(entry.$corrects.id == nil ? "" : "yes"),
                        .text(entry.createdBy.fullName), .instant(entry.createdAt),
                        .text(decision?.actor?.fullName ?? ""), decision.map { .instant($0.createdAt) } ?? .empty, .text(decision?.comment ?? "")])
        }
        try await AuditLog.record(.personalDataExported, .apprentice(apprentice.id), "Hours of \(apprentice.fullName) exported (CSV)", by: try req.actor, on: req.db)
        return Response.csv(csv, name: "hours-\(apprentice.fullName)")
    }

    @Sendable func assessments(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let range = try dayRange(req)
        let rows = try await SkillAssessment.query(on: req.db).filter(\.$apprentice.$id == apprentice.requireID()).with(\.$assessor).sort(\.$createdAt).all()
            .filter { range.contains(instant: $0.createdAt) }
        var csv = CSVWriter(header: ["Assessed at", "Skill", "Rating", "Signs off", "Observed", "Assessor"])
        for a in rows {
            csv.append([.instant(a.createdAt), .text(a.skillCode), .text(a.ratingLabel), .text(a.signsOff ? "yes" : "no"), .text(a.observed), .text(a.assessor.fullName)])
        }
        try await AuditLog.record(.personalDataExported, .apprentice(apprentice.id), "Assessments of \(apprentice.fullName) exported (CSV)", by: try req.actor, on: req.db)
        return Response.csv(csv, name: "assessments-\(apprentice.fullName)")
    }

    /// Everything recorded about one apprentice, one row per fact, in sections a spreadsheet can filter on.
    /// The SSN appears masked only; the apprentice's own export is theirs to keep.
    @Sendable func record(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let id = try apprentice.requireID()
        let db = req.db
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        var csv = CSVWriter(header: ["Section", "Date", "Item", "Detail", "Value", "Status", "Recorded by"])
        func row(_ section: String, _ date: CSVWriter.Cell, _ item: String, _ detail: String = "", _ value: CSVWriter.Cell = .empty, _ status: String = "", _ by: String = "") {
            csv.append([.text(section), date, .text(item), .text(detail), value, .text(status), .text(by)])
        }
        row("Apprenticeship", .text(apprentice.startDate), "Name", "", .text(apprentice.fullName))
        row("Apprenticeship", .text(apprentice.startDate), "E-mail", "", .text(apprentice.email))
        row("Apprenticeship", .text(apprentice.startDate), "Program", "\(standards.title) (RAPIDS \(standards.occupation.rapidsCode))", .text(apprentice.programVersion.versionLabel))
        row("Apprenticeship", .text(apprentice.startDate), "Employer", "", .text(apprentice.employer.name))
        row("Apprenticeship", .text(apprentice.startDate), "Mentor", "", .text(apprentice.mentor.fullName))
        row("Apprenticeship", .text(apprentice.startDate), "Status", "", .text(apprentice.status.label))
        row("Apprenticeship", .text(apprentice.probationEnd), "Probation ends")
        row("Apprenticeship", .text(apprentice.termEnd), "Expected completion")
        if try req.actor.role != .mentor, let data = try await RegistrationData.query(on: db).filter(\.$apprentice.$id == id).first() {
            row("Registration", .empty, "Address", "", .text("\(data.addressLine1), \(data.city), \(data.state) \(data.zip)"))
            row("Registration", .empty, "Date of birth", "", .text(data.birthDate))
            row("Registration", .empty, "Sex", "", .text(data.sex.label))
            row("Registration", .empty, "Ethnicity", "", .text(data.ethnicity.label))
            row("Registration", .empty, "Race", "", .text(data.races.split(separator: ",").compactMap { Race(rawValue: String($0))?.label }.joined(separator: "; ")))
            row("Registration", .empty, "Veteran status", "", .text(data.veteranStatus.label))
            row("Registration", .empty, "Education", "", .text(data.education.label))
            row("Registration", .empty, "Employment status", "", .text(data.employmentStatus.label))
            row("Registration", .empty, "Career connection", "", .text(data.careerConnection.label))
            row("Registration", .empty, "Social Security number", "", .text(data.maskedSSN ?? "not given"))
            for (label, value) in RapidsUploadFields.summary(data, fullName: apprentice.fullName) { row("Registration", .empty, label, "", .text(value)) }
        }
        for e in try await ApprenticeEvent.query(on: db).filter(\.$apprentice.$id == id).with(\.$actor).sort(\.$createdAt).all() {
            row("History", .instant(e.createdAt), e.kind.replacingOccurrences(of: "_", with: " "), [e.note, e.reason?.label ?? ""].filter { !$0.isEmpty }.joined(separator: " — "),
                .empty, e.toStatus.label, e.actor?.fullName ?? "The platform")
        }
        for w in try await WageRaise.query(on: db).filter(\.$apprentice.$id == id).sort(\.$effectiveDate).all() {
            row("Wages", .text(w.effectiveDate), "Step \(w.step)", w.note, .decimal(Double(w.hourlyRateCents) / 100, places: 2))
        }
        for h in try await HourEntry.query(on: db).filter(\.$apprentice.$id == id).with(\.$createdBy).sort(\.$entryDate).sort(\.$createdAt).all() {
            row("Hours", .text(h.entryDate), "\(h.skillSetCode) \(standards.skillSet(code: h.skillSetCode)?.title ?? "")", h.description,
                .decimal(Double(h.minutes) / 60, places: 2), h.status.label, h.createdBy.fullName)
        }
        for a in try await SkillAssessment.query(on: db).filter(\.$apprentice.$id == id).with(\.$assessor).sort(\.$createdAt).all() {
            row("Assessments", .instant(a.createdAt), a.skillCode, a.observed, .text(a.ratingLabel), a.signsOff ? "Signed off" : "", a.assessor.fullName)
        }
        for i in try await InstructionRecord.query(on: db).filter(\.$apprentice.$id == id).with(\.$recordedBy).sort(\.$eventDate).all() {
            row("Instruction", .text(i.eventDate), i.courseCode, [i.provider, i.grade.map { "grade \($0)" } ?? ""].filter { !$0.isEmpty }.joined(separator: ", "),
                i.hours.map { CSVWriter.Cell.int($0) } ?? CSVWriter.Cell.empty, i.status.label, i.recordedBy.fullName)
        }
        for c in try await CredentialRecord.query(on: db).filter(\.$apprentice.$id == id).with(\.$recordedBy).sort(\.$createdAt).all() {
            row("Credentials", .text(c.eventDate ?? ""), standards.credential(code: c.credentialCode)?.name ?? c.credentialCode, c.note,
                .text(c.expiresOn.map { "expires \($0)" } ?? ""), c.status.label, c.recordedBy.fullName)
        }
        for r in try await ProgressReview.query(on: db).filter(\.$apprentice.$id == id).sort(\.$periodNumber).all() {
            row("Reviews", .text(r.periodEnd), "Review \(r.periodNumber)", [r.mentorComments, r.goals].filter { !$0.isEmpty }.joined(separator: " Goals: "),
                .empty, r.completedAt == nil ? "Open" : "Signed")
        }
        try await AuditLog.record(.personalDataExported, .apprentice(apprentice.id), "Complete record of \(apprentice.fullName) exported (CSV)", by: try req.actor, on: req.db)
        return Response.csv(csv, name: "apprenticeship-record-\(apprentice.fullName)")
    }
}
