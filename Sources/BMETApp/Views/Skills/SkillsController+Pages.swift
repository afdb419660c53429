import BMETDomain
import Fluent
import Vapor

/// The page models of `SkillsController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension SkillsController {
    struct SkillRow: Encodable {
        let code: String; let title: String; let state: String; let stateCode: String; let count: Int
        let credited: Bool; let requested: Bool; let lastAssessed: String?
    }

    struct SetGroup: Encodable {
        let code: String; let title: String; let signedOff: Int; let total: Int; let percent: Int; let skills: [SkillRow]
        /// Open on arrival: the first unfinished skill set, or one with a request waiting. The rest stay folded, so the
        /// page is a screen of summaries on a phone rather than 196 rows.
        var isOpen = false
    }

    struct SkillView: Encodable {
        struct Assessment: Encodable { let rating: String; let signsOff: Bool; let observed: String; let assessor: String; let when: String; let evidence: String?; let evidenceName: String? }
        let header: RecordHeader; let heading: String
        let code: String; let title: String; let skillSet: String
        let history: [Assessment]; let credited: Bool; let openRequest: String?
        let canAssess: Bool; let canRequest: Bool; let ratings: [SelectOption]
        let values: [String: String]; let errors: FieldErrors; let saved: Bool
    }

    func skillView(_ req: Request, apprentice: Apprentice, code: String, values: [String: String] = [:], errors: FieldErrors = [:], saved: Bool = false) async throws -> SkillView {
        let actor = try req.actor
        let id = try apprentice.requireID()
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: req.db)
        guard let found = standards.skill(code: code) else { throw Abort(.notFound, reason: "No skill \(code) in this apprentice's program.") }
        let history = try await SkillAssessment.query(on: req.db).filter(\.$apprentice.$id == id).filter(\.$skillCode == found.skill.code)
            .with(\.$assessor).sort(\.$createdAt, .descending).all()
        let credited = try await PriorLearningCredit.query(on: req.db).filter(\.$apprentice.$id == id).all()
            .contains { $0.skillCodes.split(separator: ",").contains(Substring(found.skill.code)) }
        let open = try await AssessmentRequest.query(on: req.db).filter(\.$apprentice.$id == id).filter(\.$skillCode == found.skill.code).filter(\.$answeredBy.$id == nil).first()
        let isOwner = actor.role == .apprentice && apprentice.$user.id == actor.id
        return SkillView(
            header: RecordHeader(apprentice, current: .skills), heading: found.skill.code,
            code: found.skill.code, title: found.skill.title, skillSet: found.skillSet.title,
            history: history.map { .init(rating: $0.ratingLabel, signsOff: $0.signsOff, observed: $0.observed, assessor: $0.assessor.fullName,
                                         when: DateText.dateTime($0.createdAt), evidence: $0.evidenceFile, evidenceName: $0.evidenceName) },
            credited: credited, openRequest: open.map { "Requested \(DateText.dateTime($0.requestedAt))" + ($0.note.isEmpty ? "" : ": “\($0.note)”") },
            canAssess: Assessments.canAssess(actor, apprentice) && [.probation, .active].contains(apprentice.status),
            canRequest: isOwner && open == nil && HourRules.refusal(for: apprentice.status) == nil,
            ratings: standards.ratingScale.map { SelectOption(value: $0.code, label: $0.label + ($0.description.map { " — \($0)" } ?? ""), selected: $0.code == values["rating"]) },
            values: values, errors: errors, saved: saved)
    }
}
