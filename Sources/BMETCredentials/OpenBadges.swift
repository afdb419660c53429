import Crypto
import Foundation

// How the web app uses this library (it has no Vapor in it, and nothing here touches the network):
//
//     let did = DIDWeb.did(forBaseURL: baseURL)!                      // did:web:bmet.example.org
//     let keys = IssuerKeyStore(directory: dataDir + "/credential-keys", keyIDBase: did)
//     // Serve `try keys.didDocument()` at /.well-known/did.json (application/did+json) and `try keys.jwks()` at
//     // /.well-known/jwks.json, public, cacheable. Each kid is `<did>#<thumbprint>`: one verification method.
//
//     let facts = AchievementFacts(credentialID: baseURL + "/verify/BMET-2026-7KQ3-M9XD-P2RT", issuer: sponsor,
//                                  subjectName: "…", subjectEmail: "…", subjectID: "urn:uuid:…",
//                                  achievementID: "urn:uuid:…", achievementName: …, achievementDescription: …,
//                                  criteriaNarrative: …, achievementType: "ApprenticeshipCertificate",
//                                  validFrom: completedAt, status: StatusEntry(listCredentialURL: …, index: n))
//     let jwt = try OpenBadges.sign(OpenBadges.credential(facts), with: keys.activeKey())   // RS256
//     // Store `jwt`; hand it to the apprentice (download as .jwt, or inside a CLR); never re-sign old ones.
//
//     // Revocation: keep the set of revoked indexes per list (an index is given out once and never reused),
//     // and sign the list once per change, valid from a little in the past, with validUntil and ttl:
//     let list = BitstringStatusList.credential(id: baseURL + "/status/1", issuer: sponsor,
//                                               encodedList: try BitstringStatusList.encode(revoked: revoked),
//                                               validFrom: now - 300, validUntil: now + 2 days, ttl: 3600)
//     let listJWT = try OpenBadges.sign(list, with: keys.activeKey())
//
//     // Checking a credential someone shows (offline, with our own DID document or JWK set):
//     switch CredentialVerifier.verify(jwt, jwks: try keys.didDocument()) {
//     case .success(let credential): … CredentialVerifier.isRevoked(credential, statusList: listJWT, jwks: …)
//     case .failure(let failure): show failure.description
//     }
//     // A CLR: CredentialVerifier.verifyRecord(clrJWT, jwks: …) checks it and each credential inside.
//
//     // Key rotation (e.g. yearly, or at once if a key may have leaked): `try keys.rotate()`.

/// Builds Open Badges 3.0 and CLR 2.0 credentials and signs them as VC-JWT (compact JWS, RS256).
public enum OpenBadges {
    /// The Open Badges 3.0 `AchievementType` values; `ext:`-prefixed values extend them.
    public static let achievementTypes: Set<String> = [
        "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree", "Award", "Badge",
        "BachelorDegree", "Certificate", "CertificateOfCompletion", "Certification", "CommunityService", "Competency",
        "Course", "CoCurricular", "Degree", "Diploma", "DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment",
        "JourneymanCertificate", "LearningProgram", "License", "Membership", "ProfessionalDoctorate",
        "QualityAssuranceCredential", "MasterCertificate", "MasterDegree", "MicroCredential", "ResearchDoctorate",
        "SecondarySchoolDiploma",
    ]

    public static func isValidAchievementType(_ value: String) -> Bool {
        achievementTypes.contains(value) || (value.hasPrefix("ext:") && value.count > 4)
    }

    /// The unsigned `OpenBadgeCredential` for one achievement.
    public static func credential(_ facts: AchievementFacts) -> OpenBadgeCredential {
        OpenBadgeCredential(
            id: facts.credentialID,
            issuer: ProfileDocument(facts.issuer),
            validFrom: CredentialDate.string(facts.validFrom),
            validUntil: facts.validUntil.map(CredentialDate.string),
            name: facts.achievementName,
            credentialSubject: AchievementSubjectDocument(
                id: facts.subjectID,
                identifier: identifiers(name: facts.subjectName, email: facts.subjectEmail, salt: facts.emailSalt),
                achievement: AchievementDocument(
                    id: facts.achievementID,
                    name: facts.achievementName,
                    description: facts.achievementDescription,
                    criteria: CriteriaDocument(narrative: facts.criteriaNarrative),
                    achievementType: facts.achievementType,
                    alignment: facts.alignments.isEmpty ? nil : facts.alignments.map(AlignmentDocument.init))),
            credentialStatus: facts.status.map(StatusEntryDocument.init),
            evidence: facts.evidenceNarrative.map { [EvidenceDocument(narrative: $0)] })
    }

    /// The unsigned CLR 2.0 `ClrCredential` bundling already signed achievement credentials (compact JWS). Each
    /// one is embedded as the credential it carries (its JWT claims `iss`/`jti`/`nbf`/`exp`/`sub` left out), so
    /// the record reads as CLR 2.0 JSON, and keeps its own signature: a `proof` `{"type":"JwtProof2020","jwt":…}`
    /// holding the token as issued, which verifies on its own (`CredentialVerifier.verifyRecord` checks each one
    /// and that the JSON beside it is exactly what the token signs). Leave revoked credentials out.
    public static func clr(
        name: String, issuer: IssuerProfile, subjectName: String, subjectEmail: String?, subjectID: String? = nil,
        credentials: [String], validFrom: Date, id: String, emailSalt: String? = nil
    ) throws -> ClrCredential {
        guard !credentials.isEmpty else { throw CredentialError.emptyRecord }
        let embedded = try credentials.enumerated().map { position, token in
            guard case .object(let members) = VCJWT.unverifiedPayload(token) else {
                throw CredentialError.unreadableCredential(
                    position: position, reason: "it is not a compact JWS with a JSON object payload")
            }
            guard JSONValue.object(members)["type"]?.typeNames.contains(where: openBadgeTypes.contains) == true else {
                throw CredentialError.unreadableCredential(position: position, reason: "it is not an OpenBadgeCredential")
            }
            var document = VCJWT.credential(inPayload: members)
            document[VCJWT.embeddedProofMember] = .array([
                .object(["type": .string(VCJWT.embeddedProofType), "jwt": .string(token.trimmingCharacters(in: .whitespacesAndNewlines))])
            ])
            return JSONValue.object(document)
        }
        return ClrCredential(
            id: id,
            issuer: ProfileDocument(issuer),
            validFrom: CredentialDate.string(validFrom),
            name: name,
            credentialSubject: ClrSubjectDocument(
                id: subjectID,
                identifier: identifiers(name: subjectName, email: subjectEmail, salt: emailSalt),
                verifiableCredential: embedded))
    }

    /// Signs any credential document as a VC-JWT (Open Badges 3.0 §8.2): header `{"alg":"RS256","kid":…,"typ":"JWT"}`,
    /// payload the credential itself plus `iss` (issuer.id), `jti` (id), `nbf` (validFrom), `exp` (validUntil, if
    /// any) and `sub` (credentialSubject.id, if any).
    public static func sign(_ credential: some VerifiableCredentialDocument, with key: IssuerKey) throws -> String {
        guard let validFrom = CredentialDate.parse(credential.validFrom) else {
            throw CredentialError.invalidDate(credential.validFrom)
        }
        guard case .object(var payload) = try JSONValue(encoding: credential) else {
            throw CredentialError.notAnObject
        }
        payload["iss"] = .string(credential.issuerID)
        payload["jti"] = .string(credential.id)
        payload["nbf"] = .int(CredentialDate.numericDate(validFrom))
        if let validUntil = credential.validUntil {
            guard let date = CredentialDate.parse(validUntil) else { throw CredentialError.invalidDate(validUntil) }
            payload["exp"] = .int(CredentialDate.numericDate(date))
        }
        if let subject = credential.subjectID { payload["sub"] = .string(subject) }
        return try VCJWT.sign(payload: .object(payload), with: key)
    }

    static let openBadgeTypes: Set<String> = ["OpenBadgeCredential", "AchievementCredential"]

    /// The subject's name in plain text and, when known, the e-mail address as a salted SHA-256 hash.
    static func identifiers(name: String, email: String?, salt: String?) -> [IdentityObject] {
        var identifiers = [IdentityObject(identityType: "name", hashed: false, identityHash: name)]
        if let email {
            let salt = salt ?? randomSalt()
            identifiers.append(
                IdentityObject(
                    identityType: "emailAddress", hashed: true, identityHash: identityHash(email, salt: salt),
                    salt: salt))
        }
        return identifiers
    }

    /// `sha256$` + hex SHA-256 of the identity (trimmed, lowercased: addresses are compared case-insensitively)
    /// followed by the salt, as Open Badges 3.0 defines `IdentityHash`.
    public static func identityHash(_ email: String, salt: String) -> String {
        let normalized = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let digest = SHA256.hash(data: Data((normalized + salt).utf8))
        return "sha256$" + digest.map { String(format: "%02x", $0) }.joined()
    }

    static func randomSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

public enum CredentialError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidDate(String)
    case emptyRecord
    case notAnObject
    case unreadableCredential(position: Int, reason: String)

    public var description: String {
        switch self {
        case .invalidDate(let text): return "\"\(text)\" is not a date-time the credential can carry."
        case .emptyRecord: return "A learner record needs at least one credential."
        case .notAnObject: return "The credential does not encode as a JSON object."
        case .unreadableCredential(let position, let reason):
            return "Credential \(position + 1) of the record cannot be read: \(reason)."
        }
    }
}

/// Compact JWS: RS256 for every key made now, EdDSA (Ed25519) for keys made before.
enum VCJWT {
    static let registeredClaims = ["iss", "jti", "nbf", "exp", "sub", "iat", "aud"]
    static let embeddedProofMember = "proof"
    /// The proof type that carries a credential's compact JWS inside a JSON document (as Veramo and others write it).
    static let embeddedProofType = "JwtProof2020"

    /// The credential a VC-JWT payload carries: the payload without the JWT registered claims.
    static func credential(inPayload payload: [String: JSONValue]) -> [String: JSONValue] {
        var members = payload
        for claim in registeredClaims { members[claim] = nil }
        return members
    }

    static func sign(payload: JSONValue, with key: IssuerKey) throws -> String {
        let header: [String: String] = ["alg": key.algorithm, "kid": key.kid, "typ": "JWT"]
        let signingInput =
            Base64URL.encode(try CredentialJSON.encoder.encode(header)) + "."
            + Base64URL.encode(try CredentialJSON.encoder.encode(payload))
        let signature = try key.sign(Data(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// The payload of a token, its signature NOT checked; nil when it is no compact JWS with a JSON payload.
    static func unverifiedPayload(_ token: String) -> JSONValue? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = Base64URL.decode(parts[1]) else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: data)
    }
}
