import BMETDomain
import Fluent
import Vapor

struct AssessmentInput: Content {
    var skillCode: String?
    var rating: String?
    var observed: String?
    var evidence: File?
}

/// Competency assessments: appended, never changed; the skill's state is the latest one.
enum Assessments {
    /// Only a mentor at the apprentice's employer assesses, and never themselves.
    static func canAssess(_ actor: User, _ apprentice: Apprentice) -> Bool {
        HourLog.canDecide(actor, on: apprentice)
    }

    static func assess(_ apprentice: Apprentice, _ input: AssessmentInput, by actor: User, settings: AppSettings, on db: any Database) async throws -> SkillAssessment {
        guard canAssess(actor, apprentice) else {
            throw Abort(.forbidden, reason: "Only a mentor at \(apprentice.fullName)'s employer can assess their skills.")
        }
        if apprentice.status != .probation && apprentice.status != .active {
            let message = "Skills are assessed while the apprenticeship is in probation or active (it is \(apprentice.status.label.lowercased()))."
            throw ValidationFailure(errors: ["form": message], message: message)
        }
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        var errors = FieldErrors()
        let skill = standards.skill(code: input.skillCode?.trimmed ?? "")
        if skill == nil { errors["skillCode"] = "Choose a skill of the apprentice's program." }
        let level = standards.ratingLevel(code: input.rating ?? "")
        if level == nil { errors["rating"] = "Choose a rating: \(standards.ratingScale.map(\.label).joined(separator: ", "))." }
        let observed = input.observed?.trimmed ?? ""
        if observed.isEmpty { errors["observed"] = "Describe what you observed (the task, the equipment, how it went)." }
        else if observed.count > FieldLimits.limit(for: "observed") { errors["observed"] = "At most \(FieldLimits.limit(for: "observed")) characters." }
        let evidence = await EvidenceStore.read(input.evidence, into: &errors)
        guard errors.isEmpty, let skill, let level else { throw ValidationFailure(errors: errors) }

        let storedName = try evidence.map { try EvidenceStore.save($0.0, kind: $0.1, settings: settings) }
        let assessment = SkillAssessment()
        assessment.$apprentice.id = try apprentice.requireID()
        assessment.skillCode = skill.skill.code
        assessment.ratingCode = level.code
        assessment.ratingLabel = level.label
        assessment.signsOff = level.signsOff
        assessment.observed = observed
        assessment.evidenceFile = storedName
        assessment.evidenceName = evidence?.2
        assessment.$assessor.id = try actor.requireID()
        assessment.createdAt = Date()
        let apprenticeID = try apprentice.requireID()
        try await db.writeTransaction { db in
            try await TrainingLock.lock(apprenticeID, on: db)
            try await assessment.create(on: db)
            try await ProgressAggregates.recordAssessment(assessment, on: db)
            try await AssessmentRequest.query(on: db).filter(\.$apprentice.$id == apprenticeID).filter(\.$skillCode == skill.skill.code)
                .filter(\.$answeredBy.$id == nil).set(\.$answeredBy.$id, to: assessment.id).update()
            try await AuditLog.record(.skillAssessed, .apprentice(apprenticeID),
                                      "\(apprentice.fullName), \(skill.skill.code): rated \(level.label)\(level.signsOff ? " (signed off)" : "")", by: actor, on: db)
        }
        if assessment.signsOff {
            try await CredentialIssuance.awardSkillSetIfComplete(assessment.skillCode, apprentice: apprentice, settings: settings, on: db)
        }
        return assessment
    }

    /// The apprentice asks their mentor to assess a skill.
    static func request(_ apprentice: Apprentice, skillCode: String?, note: String?, by actor: User, on db: any Database) async throws -> AssessmentRequest {
        try HourLog.requireOwner(apprentice, actor)
        if let refusal = HourRules.refusal(for: apprentice.status) { throw ValidationFailure(errors: ["skillCode": refusal], message: refusal) }
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        guard let skill = standards.skill(code: skillCode?.trimmed ?? "") else {
            throw ValidationFailure(errors: ["skillCode": "Choose a skill of your program."])
        }
        let text = note?.trimmed ?? ""
        let limit = FieldLimits.limit(for: "note")
        if text.count > limit { throw ValidationFailure(errors: ["note": "At most \(limit) characters."]) }
        let apprenticeID = try apprentice.requireID()
        return try await db.writeTransaction { db in
            try await TrainingLock.lock(apprenticeID, on: db)
            if try await AssessmentRequest.query(on: db).filter(\.$apprentice.$id == apprenticeID).filter(\.$skillCode == skill.skill.code)
                .filter(\.$answeredBy.$id == nil).first() != nil {
                throw ValidationFailure(errors: ["skillCode": "You already asked for an assessment of \(skill.skill.code); your mentor has it."])
            }
            let request = AssessmentRequest()
            request.$apprentice.id = apprenticeID
            request.skillCode = skill.skill.code
            request.note = text
            request.requestedAt = Date()
            try await request.create(on: db)
            return request
        }
    }
}
