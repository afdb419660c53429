import BMETDomain
import Fluent
import Vapor

/// Skills: every skill's current state from its assessment history, the history itself, assessing, asking to be assessed.
struct SkillsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(RoleGuard())
        signedIn.get("apprentices", ":apprenticeID", "skills", use: list)
        signedIn.get("apprentices", ":apprenticeID", "skills", ":skillCode", use: skill)
        signedIn.get("evidence", ":name", use: evidence)
        routes.grouped(RoleGuard(.mentor)).on(.POST, "apprentices", ":apprenticeID", "skills", ":skillCode", "assessments", body: .collect(maxSize: "6mb"), use: assess)
        routes.grouped(RoleGuard(.apprentice)).post("apprentices", ":apprenticeID", "skills", ":skillCode", "request", use: request)
    }

    @Sendable func list(req: Request) async throws -> Response {
        struct View: Encodable { let header: RecordHeader; let heading: String; let groups: [SetGroup]; let signedOff: Int; let total: Int; let canAssess: Bool; let openRequests: Int }
        let actor = try req.actor
        let apprentice = try await req.visibleApprentice()
        let id = try apprentice.requireID()
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: req.db)
        let states = Dictionary(try await SkillState.query(on: req.db).filter(\.$apprentice.$id == id).all().map { ($0.skillCode, $0) }, uniquingKeysWith: { $1 })
        let credited = Set(try await PriorLearningCredit.query(on: req.db).filter(\.$apprentice.$id == id).all().flatMap { $0.skillCodes.split(separator: ",").map(String.init) })
        let requests = Set(try await AssessmentRequest.query(on: req.db).filter(\.$apprentice.$id == id).filter(\.$answeredBy.$id == nil).all().map(\.skillCode))
        var signed = 0
        var groups = standards.skillSets.map { set in
            let rows = set.skills.map { skill in
                let state = states[skill.code]
                let label = state.flatMap { standards.ratingLevel(code: $0.ratingCode)?.label } ?? (credited.contains(skill.code) ? "Credited" : "Not assessed")
                return SkillRow(code: skill.code, title: skill.title, state: label,
                                stateCode: state?.signsOff == true ? "proficient" : (state?.ratingCode ?? (credited.contains(skill.code) ? "proficient" : "none")),
                                count: state?.assessmentCount ?? 0, credited: credited.contains(skill.code), requested: requests.contains(skill.code),
                                lastAssessed: state.map { DateText.dateTime($0.lastAssessedAt) })
            }
            let done = rows.filter { $0.stateCode == "proficient" }.count
            signed += done
            return SetGroup(code: set.code, title: set.title, signedOff: done, total: rows.count, percent: rows.isEmpty ? 0 : done * 100 / rows.count, skills: rows)
        }
        if let first = groups.firstIndex(where: { $0.signedOff < $0.total }) { groups[first].isOpen = true }
        for index in groups.indices where groups[index].skills.contains(where: \.requested) { groups[index].isOpen = true }
        return try await req.render("skills", title: "Skills — \(apprentice.fullName)", View(
            header: RecordHeader(apprentice, current: .skills), heading: "Skills", groups: groups, signedOff: signed, total: standards.totalSkillCount,
            canAssess: Assessments.canAssess(actor, apprentice), openRequests: requests.count))
    }

    @Sendable func skill(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let code = req.parameters.get("skillCode") ?? ""
        return try await req.render("skill", title: code, try await skillView(req, apprentice: apprentice, code: code, saved: req.query[String.self, at: "saved"] == "1"))
    }

    @Sendable func assess(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let code = req.parameters.get("skillCode") ?? ""
        var input = try req.formInput(AssessmentInput.self)
        input.skillCode = code
        do {
            try req.refuseFormProblems()
            _ = try await Assessments.assess(apprentice, input, by: try req.actor, settings: req.application.settings, on: req.db)
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())/skills/\(code)?saved=1")
        } catch let failure as ValidationFailure {
            return try await req.render("skill", title: code, try await skillView(req, apprentice: apprentice, code: code,
                values: ["rating": input.rating ?? "", "observed": input.observed ?? ""], errors: failure.errors), status: .unprocessableEntity)
        }
    }

    @Sendable func request(req: Request) async throws -> Response {
        struct Input: Content { var note: String? }
        let apprentice = try await req.visibleApprentice()
        let code = req.parameters.get("skillCode") ?? ""
        let input = try req.formInput(Input.self)
        do {
            try req.refuseFormProblems()
            _ = try await Assessments.request(apprentice, skillCode: code, note: input.note, by: try req.actor, on: req.db)
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())/skills/\(code)")
        } catch let failure as ValidationFailure {
            return try await req.render("skill", title: code, try await skillView(req, apprentice: apprentice, code: code,
                values: ["note": input.note ?? ""], errors: failure.errors), status: .unprocessableEntity)
        }
    }

    /// An evidence file, to whoever may see the apprentice it belongs to.
    @Sendable func evidence(req: Request) async throws -> Response {
        let name = req.parameters.get("name") ?? ""
        guard let located = EvidenceStore.locate(name, settings: req.application.settings) else { throw Abort(.notFound) }
        let owner: (UUID, String?)?
        if let assessment = try await SkillAssessment.query(on: req.db).filter(\.$evidenceFile == name).first() {
            owner = (assessment.$apprentice.id, assessment.evidenceName)
        } else if let record = try await CredentialRecord.query(on: req.db).filter(\.$evidenceFile == name).first() {
            owner = (record.$apprentice.id, record.evidenceName)
        } else { owner = nil }
        guard let owner else { throw Abort(.notFound) }
        _ = try await ApprenticeRecords.find(owner.0, visibleTo: try req.actor, on: req.db)
        let response = try await req.fileio.asyncStreamFile(at: located.path)
        response.headers.contentType = located.kind.contentType
        // Always a download, never rendered in the site's origin, whatever the file holds.
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(EvidenceStore.displayName(owner.1 ?? name))\"")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
