import BMETCredentials
import BMETDomain
import Fluent
import Vapor

/// Issues, revokes and publishes the program's verifiable credentials: the completion certificate and interim
/// credentials, as Open Badges 3.0 VC-JWTs signed with the sponsor's Ed25519 key; the CLR transcript; the
/// revocation status list; the public keys.
enum CredentialIssuance {
    static let statusListPath = "/credentials/status/revocation"
    static let jwksPath = "/.well-known/jwks.json"
    static let issuerPath = "/issuer"

    static func keyStore(_ settings: AppSettings) -> IssuerKeyStore {
        IssuerKeyStore(directory: settings.dataDirectory + "/keys/issuer", jwksURL: settings.baseURL + jwksPath)
    }

    /// The issuer as the credentials name it: the sponsor of the program.
    static func issuer(sponsor: String, settings: AppSettings) -> IssuerProfile {
        IssuerProfile(id: settings.baseURL + issuerPath, name: sponsor, url: settings.baseURL, email: settings.contactEmail)
    }

    static func verifyURL(_ number: String, settings: AppSettings) -> String { settings.baseURL + "/verify/" + number }

    struct Achievement {
        let kind: IssuedCredential.Kind
        let name: String
        let type: String
        let description: String
        let criteria: String
    }

    /// Issues one credential to an apprentice, inside the caller's transaction.
    static func issue(_ achievement: Achievement, to apprentice: Apprentice, sponsor: String, awardedOn: Date,
                      settings: AppSettings, on db: any Database) async throws -> IssuedCredential {
        let apprenticeID = try apprentice.requireID()
        let year = ProgramCalendar.calendar.component(.year, from: awardedOn)
        let prefix = achievement.kind == .certificate ? "BMET" : "BMET-I"
        let count = try await IssuedCredential.query(on: db).filter(\.$kind == achievement.kind).count()
        let number = "\(prefix)-\(year)-" + String(format: "%06d", count + 1)
        var index = Int.random(in: 0..<BitstringStatusList.minimumSize)
        while try await IssuedCredential.query(on: db).filter(\.$statusIndex == index).first() != nil {
            index = Int.random(in: 0..<BitstringStatusList.minimumSize)
        }
        let facts = AchievementFacts(
            credentialID: settings.baseURL + "/credentials/" + number,
            issuer: issuer(sponsor: sponsor, settings: settings),
            subjectName: apprentice.fullName, subjectEmail: apprentice.email,
            achievementID: settings.baseURL + "/achievements/" + achievement.name.lowercased().filter { $0.isLetter || $0.isNumber || $0 == " " }.replacingOccurrences(of: " ", with: "-"),
            achievementName: achievement.name, achievementDescription: achievement.description, criteriaNarrative: achievement.criteria,
            achievementType: achievement.type, validFrom: awardedOn,
            status: StatusEntry(listCredentialURL: settings.baseURL + statusListPath, index: index))
        let key = try keyStore(settings).activeKey()
        let jwt = try OpenBadges.sign(OpenBadges.credential(facts), with: key)
        let issued = IssuedCredential()
        issued.$apprentice.id = apprenticeID
        issued.kind = achievement.kind
        issued.number = number
        issued.name = achievement.name
        issued.achievementType = achievement.type
        issued.awardedOn = ProgramCalendar.dayString(awardedOn)
        issued.statusIndex = index
        issued.jwt = jwt
        issued.keyID = key.kid
        issued.createdAt = Date()
        try await issued.create(on: db)
        try await AuditLog.record(.credentialIssued, .credential(number), "\(achievement.name) issued to \(apprentice.fullName) (\(number))", on: db)
        return issued
    }

    /// The completion certificate, issued with the approval.
    static func issueCertificate(to apprentice: Apprentice, settings: AppSettings, on db: any Database) async throws -> IssuedCredential {
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        let issuers = standards.certificateIssuers.joined(separator: " and ")
        return try await issue(Achievement(
            kind: .certificate, name: "\(standards.occupation.title) — Certificate of Completion of Apprenticeship", type: "ApprenticeshipCertificate",
            description: "Completed the \(standards.title), a registered apprenticeship (RAPIDS \(standards.occupation.rapidsCode), O*NET-SOC \(standards.occupation.onetSocCode)), trained to the program's competencies and standards. Issued jointly by \(issuers).",
            criteria: "At least \(standards.minimumOJLHours.grouped) hours of on-the-job learning under a mentor, every skill of the work process schedule signed off by a mentor, the related instruction and the required credentials (\(standards.credentials.filter(\.required).map(\.name).joined(separator: "; ")))."),
            to: apprentice, sponsor: standards.sponsor, awardedOn: ProgramCalendar.today(), settings: settings, on: db)
    }

    /// An interim credential at a milestone (hybrid and competency-based programs only, 29 CFR 29.5); once per name.
    static func issueInterim(_ name: String, description: String, criteria: String, to apprentice: Apprentice,
                             settings: AppSettings, on db: any Database) async throws {
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        guard standards.approach != .timeBased else { return }
        if try await IssuedCredential.query(on: db).filter(\.$apprentice.$id == apprentice.requireID()).filter(\.$name == name).first() != nil { return }
        // The credential and its audit line are written together.
        _ = try await db.writeTransaction { db in
            try await issue(Achievement(kind: .interim, name: name, type: "Certificate", description: description, criteria: criteria),
                            to: apprentice, sponsor: standards.sponsor, awardedOn: ProgramCalendar.today(), settings: settings, on: db)
        }
    }

    /// Milestone: every skill of a skill set signed off.
    static func awardSkillSetIfComplete(_ skillCode: String, apprentice: Apprentice, settings: AppSettings, on db: any Database) async throws {
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        guard let set = standards.skill(code: skillCode)?.skillSet else { return }
        let id = try apprentice.requireID()
        let signed = Set(try await SkillState.query(on: db).filter(\.$apprentice.$id == id).filter(\.$signsOff == true).all().map(\.skillCode))
        let credited = Set(try await PriorLearningCredit.query(on: db).filter(\.$apprentice.$id == id).all().flatMap { $0.skillCodes.split(separator: ",").map(String.init) })
        guard set.skills.allSatisfy({ signed.contains($0.code) || credited.contains($0.code) }) else { return }
        try await issueInterim("Skill set completed: \(set.title)", description: "Every skill of \(set.title) (\(set.skills.count) skills) demonstrated and signed off by a mentor.",
                               criteria: "A mentor at the employer rated each skill of the skill set at a level that signs it off.", to: apprentice, settings: settings, on: db)
    }

    static func revoke(_ credential: IssuedCredential, reason: String?, by actor: User, on db: any Database) async throws {
        guard actor.role == .programAdmin else { throw Abort(.forbidden, reason: "The sponsor revokes credentials.") }
        let text = reason?.trimmed ?? ""
        if text.isEmpty { throw ValidationFailure(errors: ["reason": "Say why the credential is revoked; verifiers show it."]) }
        let limit = FieldLimits.limit(for: "reason")
        if text.count > limit { throw ValidationFailure(errors: ["reason": "At most \(limit) characters."]) }
        guard credential.revokedAt == nil else { throw ValidationFailure(errors: ["reason": "This credential is already revoked."]) }
        // Conditional, so two revocations at once leave the first reason.
        let id = try credential.requireID()
        try await db.writeTransaction { db in
            try await IssuedCredential.query(on: db).filter(\.$id == id).filter(\.$revokedAt == nil)
                .set(\.$revokedAt, to: Date()).set(\.$revokedBy.$id, to: actor.id).set(\.$revocationReason, to: text).update()
            // Only the revocation that took effect is recorded.
            guard let fresh = try await IssuedCredential.find(id, on: db), fresh.$revokedBy.id == actor.id, fresh.revocationReason == text else { return }
            try await AuditLog.record(.credentialRevoked, .credential(credential.number), "\(credential.name) (\(credential.number)) revoked: \(text)", by: actor, on: db)
        }
    }

    /// The signed BitstringStatusListCredential with every revoked credential's bit set.
    static func statusList(settings: AppSettings, on db: any Database) async throws -> String {
        let revoked = Set(try await IssuedCredential.query(on: db).filter(\.$revokedAt != nil).all().map(\.statusIndex))
        let version = try await ProgramVersion.query(on: db).sort(\.$loadedAt, .descending).first()
        let sponsor = try version.map { try StandardsLibrary.standards(of: $0).sponsor } ?? "Program sponsor"
        let list = BitstringStatusList.credential(id: settings.baseURL + statusListPath, issuer: issuer(sponsor: sponsor, settings: settings),
                                                  encodedList: try BitstringStatusList.encode(revoked: revoked), validFrom: Date())
        return try OpenBadges.sign(list, with: try keyStore(settings).activeKey())
    }

    /// The CLR 2.0 transcript: every credential issued to the apprentice, bundled and signed.
    static func clr(for apprentice: Apprentice, settings: AppSettings, on db: any Database) async throws -> String? {
        let issued = try await IssuedCredential.query(on: db).filter(\.$apprentice.$id == apprentice.requireID()).sort(\.$createdAt).all()
        guard !issued.isEmpty else { return nil }
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        let record = try OpenBadges.clr(name: "\(standards.title) — comprehensive learner record", issuer: issuer(sponsor: standards.sponsor, settings: settings),
                                        subjectName: apprentice.fullName, subjectEmail: apprentice.email, credentials: issued.map(\.jwt),
                                        validFrom: Date(), id: settings.baseURL + "/credentials/clr/" + (try apprentice.requireID().uuidString.lowercased()))
        return try OpenBadges.sign(record, with: try keyStore(settings).activeKey())
    }
}
