import BMETCredentials
import BMETDomain
import Crypto
import Fluent
import Vapor

/// Issues, revokes and publishes the program's verifiable credentials: the completion certificate and interim
/// credentials, as Open Badges 3.0 VC-JWTs signed RS256 by the sponsor's key; the CLR transcript; the revocation
/// status list; the public keys, as a JWK set and as the sponsor's did:web DID document.
enum CredentialIssuance {
    static let statusListPath = "/credentials/status/revocation"
    static let jwksPath = "/.well-known/jwks.json"
    static let didDocumentPath = "/.well-known/did.json"
    static let issuerPath = "/issuer"

    /// The sponsor's DID: `did:web:` + the host of the base URL. Verifiers resolve it over https, so production
    /// runs on https at that host (see the README).
    static func did(_ settings: AppSettings) -> String {
        DIDWeb.did(forBaseURL: settings.baseURL) ?? "did:web:localhost"
    }

    static func keyStore(_ settings: AppSettings) -> IssuerKeyStore {
        IssuerKeyStore(directory: settings.dataDirectory + "/keys/issuer", keyIDBase: did(settings))
    }

    /// The issuer as the credentials name it: the sponsor of the program, by its DID.
    static func issuer(sponsor: String, settings: AppSettings) -> IssuerProfile {
        IssuerProfile(id: did(settings), name: sponsor, url: settings.baseURL, email: settings.contactEmail)
    }

    static func verifyURL(_ number: String, settings: AppSettings) -> String { settings.baseURL + "/verify/" + number }

    /// The apprentice's `credentialSubject.id` (and JWT `sub`): a `urn:uuid:` that stays the same for every
    /// credential of the apprentice, made from the record's id so nothing needs storing, and not the id itself,
    /// which names the record in this site's addresses.
    static func subjectID(of apprentice: Apprentice) throws -> String {
        "urn:uuid:" + nameBasedUUID("bmet-credential-subject:" + (try apprentice.requireID().uuidString.lowercased()))
    }

    /// The achievement's id: a `urn:uuid:` from its name, the same for every apprentice who earns it.
    static func achievementID(_ name: String) -> String {
        "urn:uuid:" + nameBasedUUID("bmet-achievement:" + name)
    }

    /// A UUID (version 8, RFC 9562: application-defined) from SHA-256 of a name.
    static func nameBasedUUID(_ name: String) -> String {
        var bytes = Array(SHA256.hash(data: Data(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                               bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return uuid.uuidString.lowercased()
    }

    /// Crockford's base32 alphabet: no I, L, O or U, so a number read aloud or off paper is not misread.
    static let numberAlphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    /// Numbers as issued now (`BMET-2026-7KQ3-M9XD-P2RT`, 60 random bits) and as issued before (sequential).
    static let numberPattern = #"^BMET(-I)?-\d{4}-([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}|\d{6})$"#

    /// A fresh credential number: the year, then 60 random bits, so nobody can list credentials by counting.
    static func newNumber(kind: IssuedCredential.Kind, year: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let groups = (0..<3).map { _ in String((0..<4).map { _ in numberAlphabet[Int.random(in: 0..<32, using: &generator)] }) }
        return (kind == .certificate ? "BMET" : "BMET-I") + "-\(year)-" + groups.joined(separator: "-")
    }

    /// What the program's occupation lines up with: its O*NET-SOC code and its RAPIDS occupation code.
    static func alignments(_ standards: ProgramStandards) -> [Alignment] {
        [
            Alignment(targetName: standards.occupation.title + " (O*NET-SOC " + standards.occupation.onetSocCode + ")",
                      targetURL: "https://www.onetonline.org/link/summary/" + standards.occupation.onetSocCode,
                      targetCode: standards.occupation.onetSocCode, targetFramework: "O*NET-SOC", targetType: "ext:ONETSOC"),
            Alignment(targetName: standards.occupation.title + " (RAPIDS " + standards.occupation.rapidsCode + ")",
                      targetURL: "https://www.apprenticeship.gov/apprenticeship-occupations",
                      targetCode: standards.occupation.rapidsCode, targetFramework: "RAPIDS occupation codes (U.S. Department of Labor)",
                      targetType: "ext:RAPIDS"),
        ]
    }

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
        var number = newNumber(kind: achievement.kind, year: year)
        while try await IssuedCredential.query(on: db).filter(\.$number == number).first() != nil {
            number = newNumber(kind: achievement.kind, year: year)
        }
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        var index = Int.random(in: 0..<BitstringStatusList.minimumSize)
        while try await IssuedCredential.query(on: db).filter(\.$statusIndex == index).first() != nil {
            index = Int.random(in: 0..<BitstringStatusList.minimumSize)
        }
        // The credential's id is its public verification record, which anyone can open.
        let facts = AchievementFacts(
            credentialID: verifyURL(number, settings: settings),
            issuer: issuer(sponsor: sponsor, settings: settings),
            subjectName: apprentice.fullName, subjectEmail: apprentice.email, subjectID: try subjectID(of: apprentice),
            achievementID: achievementID(achievement.name),
            achievementName: achievement.name, achievementDescription: achievement.description, criteriaNarrative: achievement.criteria,
            achievementType: achievement.type, validFrom: awardedOn,
            status: StatusEntry(listCredentialURL: settings.baseURL + statusListPath, index: index),
            alignments: alignments(standards))
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
        return try await issue(Achievement(
            kind: .certificate, name: "\(standards.occupation.title) — Certificate of Completion of Apprenticeship", type: "ApprenticeshipCertificate",
            description: "Completed the \(standards.title), a registered apprenticeship (RAPIDS \(standards.occupation.rapidsCode), O*NET-SOC \(standards.occupation.onetSocCode)), trained to the program's competencies and standards. Issued by \(standards.sponsor), the program sponsor; the program is registered with the U.S. Department of Labor (RAPIDS), which issues its own Certificate of Completion of Apprenticeship.",
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

    /// The reason as it will be stored, or what is wrong with it: checked before the confirmation page and again on revoking.
    static func checkedRevocationReason(_ reason: String?, for credential: IssuedCredential) -> (text: String, problem: String?) {
        let text = reason?.trimmed ?? ""
        let limit = FieldLimits.limit(for: "reason")
        if text.isEmpty { return (text, "Say why the credential is revoked; verifiers show it.") }
        if text.count > limit { return (text, "At most \(limit) characters.") }
        if credential.revokedAt != nil { return (text, "This credential is already revoked.") }
        return (text, nil)
    }

    static func revoke(_ credential: IssuedCredential, reason: String?, by actor: User, on db: any Database) async throws {
        guard actor.role == .programAdmin else { throw Abort(.forbidden, reason: "The sponsor revokes credentials.") }
        let (text, problem) = checkedRevocationReason(reason, for: credential)
        if let problem { throw ValidationFailure(errors: ["reason": problem]) }
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

    /// How long a signed status list stays valid, how long before that it is signed afresh, how far in the past
    /// its `validFrom` is put (so a verifier whose clock is behind still accepts it), and how long verifiers may
    /// cache it (`ttl`).
    static let statusListValidity: TimeInterval = 2 * 86_400
    static let statusListRenewal: TimeInterval = 86_400
    static let statusListBackdating: TimeInterval = 300
    static let statusListTTL: TimeInterval = 3_600

    /// The signed BitstringStatusListCredential with every revoked credential's bit set: signed once per change
    /// (and again when half its validity has passed), then served from the cache.
    static func statusList(settings: AppSettings, cache: StatusListCache, on db: any Database, now: Date = Date()) async throws -> String {
        let revoked = Set(try await IssuedCredential.query(on: db).filter(\.$revokedAt != nil).all().map(\.statusIndex))
        let key = try keyStore(settings).activeKey()
        if let cached = cache.current(revoked: revoked, kid: key.kid, now: now, renewal: statusListRenewal, validity: statusListValidity) {
            return cached
        }
        let version = try await ProgramVersion.query(on: db).sort(\.$loadedAt, .descending).first()
        let sponsor = try version.map { try StandardsLibrary.standards(of: $0).sponsor } ?? "Program sponsor"
        let validFrom = now.addingTimeInterval(-statusListBackdating)
        let list = BitstringStatusList.credential(id: settings.baseURL + statusListPath, issuer: issuer(sponsor: sponsor, settings: settings),
                                                  encodedList: try BitstringStatusList.encode(revoked: revoked), validFrom: validFrom,
                                                  validUntil: validFrom.addingTimeInterval(statusListValidity), ttl: statusListTTL)
        let jwt = try OpenBadges.sign(list, with: key)
        cache.store(jwt, revoked: revoked, kid: key.kid, signedAt: now)
        return jwt
    }

    /// The CLR 2.0 transcript: every credential issued to the apprentice and not revoked, each nested with its own
    /// signature, the record signed over them.
    static func clr(for apprentice: Apprentice, settings: AppSettings, on db: any Database) async throws -> String? {
        let issued = try await IssuedCredential.query(on: db).filter(\.$apprentice.$id == apprentice.requireID())
            .filter(\.$revokedAt == nil).sort(\.$createdAt).all()
        guard !issued.isEmpty else { return nil }
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        let record = try OpenBadges.clr(name: "\(standards.title) — comprehensive learner record", issuer: issuer(sponsor: standards.sponsor, settings: settings),
                                        subjectName: apprentice.fullName, subjectEmail: apprentice.email, subjectID: try subjectID(of: apprentice),
                                        credentials: issued.map(\.jwt), validFrom: Date(), id: "urn:uuid:" + UUID().uuidString.lowercased())
        return try OpenBadges.sign(record, with: try keyStore(settings).activeKey())
    }
}

/// The last signed status list, kept so the list is signed once per change rather than on every request.
final class StatusListCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entry: (jwt: String, revoked: Set<Int>, kid: String, signedAt: Date)?

    func current(revoked: Set<Int>, kid: String, now: Date, renewal: TimeInterval, validity: TimeInterval) -> String? {
        lock.withLock {
            guard let entry, entry.revoked == revoked, entry.kid == kid, now.timeIntervalSince(entry.signedAt) < renewal,
                  now >= entry.signedAt else { return nil }
            return entry.jwt
        }
    }

    func store(_ jwt: String, revoked: Set<Int>, kid: String, signedAt: Date) {
        lock.withLock { entry = (jwt, revoked, kid, signedAt) }
    }

    struct Key: StorageKey { typealias Value = StatusListCache }
}

extension Application {
    /// The app's one status list cache.
    var statusListCache: StatusListCache {
        if let cache = storage[StatusListCache.Key.self] { return cache }
        let cache = StatusListCache()
        storage[StatusListCache.Key.self] = cache
        return cache
    }
}
