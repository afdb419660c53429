import Crypto
import Foundation
import _CryptoExtras

/// Offline verification of VC-JWTs against a JWK set: nothing is fetched, the caller supplies the keys it trusts.
public enum CredentialVerifier {
    /// Verifies an `OpenBadgeCredential` (or `AchievementCredential`) VC-JWT: the EdDSA signature by a key of
    /// `jwks`, the JWT claims against the credential (`iss`, `jti`, `nbf`, `exp`, `sub`), the validity period at
    /// `now`, and the Open Badges 3.0 shape. Revocation is a separate check: `isRevoked`.
    public static func verify(
        _ compactJWS: String, jwks: Data, now: Date = Date()
    ) -> Result<VerifiedCredential, VerificationFailure> {
        verifyToken(compactJWS, jwks: jwks, now: now).flatMap(VerifiedCredential.read)
    }

    /// Verifies any VC-JWT of this library (an Open Badge, a CLR, a status list) without looking at what kind of
    /// credential it carries: signature, claims against the credential, validity period.
    public static func verifyToken(
        _ compactJWS: String, jwks: Data, now: Date = Date()
    ) -> Result<VerifiedToken, VerificationFailure> {
        Result { () throws(VerificationFailure) in
            try verifiedToken(compactJWS.trimmingCharacters(in: .whitespacesAndNewlines), jwks: jwks, now: now)
        }
    }

    /// Whether a verified credential is revoked according to a signed `BitstringStatusListCredential` (the one at
    /// its `statusListCredential` URL, fetched by the caller), itself verified with `jwks`. A credential without a
    /// status entry cannot be revoked through a list: false. A list signed longer than `maximumAge` ago is refused
    /// as stale, whatever its `validUntil` says: a verifier must not trust an old snapshot of revocations.
    public static func isRevoked(
        _ credential: VerifiedCredential, statusList compactJWS: String, jwks: Data, now: Date = Date(),
        maximumAge: TimeInterval = maximumStatusListAge
    ) -> Result<Bool, VerificationFailure> {
        guard let status = credential.status else { return .success(false) }
        return verifyToken(compactJWS, jwks: jwks, now: now).flatMap { token in
            let list = token.payload
            let age = now.timeIntervalSince(token.validFrom)
            guard age <= maximumAge else {
                return .failure(.invalidStatusList(
                    "it was signed \(StatusListAge.describe(age)) ago, more than the \(StatusListAge.describe(maximumAge)) a list may be old; fetch a fresh one"))
            }
            guard list["type"]?.typeNames.contains("BitstringStatusListCredential") == true else {
                return .failure(.invalidStatusList("it is not a BitstringStatusListCredential"))
            }
            guard list["id"]?.stringValue == status.listCredentialURL else {
                let listID = list["id"]?.stringValue ?? "unnamed"
                return .failure(
                    .invalidStatusList("it is \(listID), not \(status.listCredentialURL) that the credential points to"))
            }
            // Credentials issued before the issuer had a DID name it by its https profile URL; the list, at the URL
            // they name and signed with the same keys, now names the DID. Between DIDs the names must agree.
            guard issuerID(of: list) == credential.issuerID || !credential.issuerID.hasPrefix("did:") else {
                return .failure(.invalidStatusList("it was issued by someone else than the credential"))
            }
            guard let subject = list["credentialSubject"], subject["statusPurpose"]?.stringValue == "revocation",
                let encodedList = subject["encodedList"]?.stringValue
            else {
                return .failure(.invalidStatusList("it is not a revocation list with an encodedList"))
            }
            do {
                return .success(try BitstringStatusList.isSet(status.index, in: encodedList))
            } catch {
                return .failure(.invalidStatusList("\(error)"))
            }
        }
    }

    /// The oldest a status list may be (since its `validFrom`) for a revocation check to trust it.
    public static let maximumStatusListAge: TimeInterval = 2 * 86_400

    /// What a token claims to be, read before any check (to choose which check to run): nil when unreadable.
    public static func kind(of compactJWS: String) -> CredentialKind? {
        let types = VCJWT.unverifiedPayload(compactJWS.trimmingCharacters(in: .whitespacesAndNewlines))?["type"]?.typeNames ?? []
        if types.contains("ClrCredential") { return .learnerRecord }
        if types.contains("BitstringStatusListCredential") { return .statusList }
        if types.contains(where: OpenBadges.openBadgeTypes.contains) { return .openBadge }
        return nil
    }

    /// Verifies a CLR 2.0 `ClrCredential` VC-JWT and every credential inside it on its own: each nested credential
    /// must carry its own VC-JWT (a `JwtProof2020` proof), that token must verify like any Open Badge, and the JSON
    /// beside it must be exactly the credential the token signs (nothing added, changed or taken away).
    public static func verifyRecord(
        _ compactJWS: String, jwks: Data, now: Date = Date()
    ) -> Result<VerifiedRecord, VerificationFailure> {
        verifyToken(compactJWS, jwks: jwks, now: now).flatMap { token in
            Result { () throws(VerificationFailure) in try record(token, jwks: jwks, now: now) }
        }
    }

    private static func record(_ token: VerifiedToken, jwks: Data, now: Date) throws(VerificationFailure) -> VerifiedRecord {
        let record = token.payload
        guard record["type"]?.typeNames.contains("ClrCredential") == true else {
            throw VerificationFailure.notALearnerRecord("its type is not ClrCredential")
        }
        guard let subject = record["credentialSubject"], subject["type"]?.typeNames.contains("ClrSubject") == true,
            let nested = subject["verifiableCredential"]?.arrayValue, !nested.isEmpty
        else {
            throw VerificationFailure.notALearnerRecord("its credentialSubject is not a ClrSubject with verifiableCredential")
        }
        var credentials: [VerifiedCredential] = []
        for (position, item) in nested.enumerated() {
            func fail(_ reason: VerificationFailure) -> VerificationFailure { .nestedCredential(position: position + 1, reason: reason) }
            guard var document = item.objectValue else {
                throw fail(.malformed("It is not a JSON object."))
            }
            let proofs = document[VCJWT.embeddedProofMember].map { $0.arrayValue ?? [$0] } ?? []
            guard let jwt = proofs.first(where: { $0["type"]?.stringValue == VCJWT.embeddedProofType })?["jwt"]?.stringValue
            else {
                throw fail(.malformed("It carries no signature of its own (a JwtProof2020 proof with its VC-JWT)."))
            }
            let verified: VerifiedCredential
            switch verify(jwt, jwks: jwks, now: now) {
            case .success(let credential): verified = credential
            case .failure(let failure): throw fail(failure)
            }
            document[VCJWT.embeddedProofMember] = nil
            guard let signed = verified.payload.objectValue, document == VCJWT.credential(inPayload: signed) else {
                throw fail(.malformed("Its JSON differs from the credential its signature covers: it was altered."))
            }
            if let recordSubject = subject["id"]?.stringValue, let credentialSubject = verified.subjectID,
                recordSubject != credentialSubject
            {
                throw fail(.malformed("It was issued to \(credentialSubject), not to the record's subject \(recordSubject)."))
            }
            credentials.append(verified)
        }
        return VerifiedRecord(token: token, credentials: credentials)
    }

    // MARK: - The steps

    private static let allowedHeaderMembers: Set<String> = ["alg", "kid", "typ", "jwk"]

    private static func verifiedToken(
        _ token: String, jwks: Data, now: Date
    ) throws(VerificationFailure) -> VerifiedToken {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw VerificationFailure.malformed(
                "A VC-JWT has three base64url parts separated by dots; this has \(parts.count). Was it cut short?")
        }
        for (part, name) in zip(parts, ["header", "payload", "signature"]) where part.isEmpty {
            throw VerificationFailure.malformed("The \(name) part is empty. Was the token cut short?")
        }

        // The header says which key and algorithm; nothing else in it is trusted.
        guard let headerData = Base64URL.decode(parts[0]) else {
            throw VerificationFailure.malformed("The header is not base64url.")
        }
        guard let header = try? JSONDecoder().decode(JSONValue.self, from: headerData), let members = header.objectValue
        else {
            throw VerificationFailure.malformed("The header is not a JSON object.")
        }
        if let extra = members.keys.sorted().first(where: { !allowedHeaderMembers.contains($0) }) {
            throw VerificationFailure.malformed("The header has \"\(extra)\", which Open Badges 3.0 does not allow.")
        }
        guard let alg = members["alg"]?.stringValue, ["RS256", "EdDSA"].contains(alg) else {
            throw VerificationFailure.malformed(
                "The header's alg is \(members["alg"]?.stringValue ?? "missing"); only RS256 (RSA) and EdDSA (Ed25519) are accepted.")
        }
        if let typ = members["typ"], typ.stringValue != "JWT" {
            throw VerificationFailure.malformed("The header's typ must be \"JWT\".")
        }
        guard let kid = members["kid"]?.stringValue, !kid.isEmpty else {
            throw VerificationFailure.malformed("The header names no key (kid).")
        }

        guard let signature = Base64URL.decode(parts[2]) else {
            throw VerificationFailure.malformed("The signature is not base64url.")
        }
        let key = try publicKey(kid: kid, in: jwks)
        // The algorithm is the key's, never the header's alone: an RSA key never checks an EdDSA signature.
        guard key.algorithm == alg else {
            throw VerificationFailure.malformed("The header's alg is \(alg), but the key \(kid) is an \(key.algorithm) key.")
        }
        // The signature covers the two encoded parts exactly as they appear, before anything is decoded from them.
        let signingInput = Data(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        try checkSignature(signature, of: signingInput, with: key)

        guard let payloadData = Base64URL.decode(parts[1]),
            let payload = try? JSONDecoder().decode(JSONValue.self, from: payloadData), payload.objectValue != nil
        else {
            throw VerificationFailure.malformed("The payload is not a base64url JSON object.")
        }
        let (validFrom, validUntil) = try checkClaims(payload)
        if now < validFrom { throw VerificationFailure.notYetValid(validFrom: validFrom) }
        if let validUntil, now >= validUntil { throw VerificationFailure.expired(validUntil: validUntil) }
        return VerifiedToken(kid: kid, payload: payload, validFrom: validFrom, validUntil: validUntil)
    }

    /// The key named `kid`: the key with that `kid` (a JWK set's `kid`, or a DID document's verification method
    /// `id`), else the key whose RFC 7638 thumbprint the `kid` ends in (the same key, published under another
    /// name, e.g. a credential signed when keys were named after the JWK set URL). Only keys of the set are used.
    private static func publicKey(kid: String, in keys: Data) throws(VerificationFailure) -> IssuerKey.Public {
        let candidates = try publishedKeys(keys)
        if let match = candidates.first(where: { $0.kid == kid }) { return match }
        if let thumbprint = JWK.thumbprint(inKeyID: kid), let match = candidates.first(where: { $0.thumbprint == thumbprint }) {
            return match
        }
        throw VerificationFailure.unknownKey(kid)
    }

    /// The usable public keys of a JWK set (`{"keys":[…]}`) or of a DID document (`verificationMethod` entries with
    /// a `publicKeyJwk`), each named by its `kid` or verification method `id`.
    static func publishedKeys(_ data: Data) throws(VerificationFailure) -> [IssuerKey.Public] {
        guard let document = try? JSONDecoder().decode(JSONValue.self, from: data), document.objectValue != nil else {
            throw VerificationFailure.invalidKeySet("It is not a JSON object.")
        }
        let entries: [(name: String?, jwk: JSONValue)]
        if let keys = document["keys"]?.arrayValue {
            entries = keys.map { ($0["kid"]?.stringValue, $0) }
        } else if let methods = document["verificationMethod"]?.arrayValue {
            entries = methods.compactMap { method in method["publicKeyJwk"].map { (method["id"]?.stringValue, $0) } }
        } else {
            throw VerificationFailure.invalidKeySet("It is neither a JWK set (\"keys\") nor a DID document (\"verificationMethod\").")
        }
        var keys: [IssuerKey.Public] = []
        for (name, jwk) in entries {
            if ["d", "p", "q", "dp", "dq", "qi"].contains(where: { jwk[$0] != nil }) {
                throw VerificationFailure.invalidKeySet("It contains a private key; publish public keys only.")
            }
            guard let material = JWK.material(of: jwk) else { continue }
            keys.append(IssuerKey.Public(named: name ?? JWK.keyID(thumbprint: JWK.thumbprint(material), base: nil), material: material))
        }
        return keys
    }

    private static func checkSignature(
        _ signature: Data, of message: Data, with key: IssuerKey.Public
    ) throws(VerificationFailure) {
        switch key.material {
        case .ed25519(let raw):
            guard signature.count == 64 else {
                throw VerificationFailure.malformed(
                    "The signature is \(signature.count) bytes; an Ed25519 signature is 64. Was the token cut short?")
            }
            guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: raw),
                publicKey.isValidSignature(signature, for: message)
            else { throw VerificationFailure.badSignature }
        case .rsa(let modulus, let exponent):
            guard signature.count == modulus.count else {
                throw VerificationFailure.malformed(
                    "The signature is \(signature.count) bytes; this RSA key's are \(modulus.count). Was the token cut short?")
            }
            guard let publicKey = try? _RSA.Signing.PublicKey(n: modulus, e: exponent),
                publicKey.isValidSignature(
                    _RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: message),
                    padding: .insecurePKCS1v1_5)
            else { throw VerificationFailure.badSignature }
        }
    }

    /// Open Badges 3.0 §8.2.4: the registered claims must agree with the credential they travel with.
    private static func checkClaims(
        _ payload: JSONValue
    ) throws(VerificationFailure) -> (validFrom: Date, validUntil: Date?) {
        func contradiction(_ text: String) -> VerificationFailure {
            .malformed("The token's claims contradict its credential: \(text).")
        }
        func contradiction(_ claim: String, _ member: String, _ credentialValue: String?) -> VerificationFailure {
            let claimValue = payload[claim]?.stringValue ?? "missing"
            return contradiction("\(claim) is \(claimValue) but \(member) is \(credentialValue ?? "missing")")
        }
        guard let nbf = payload["nbf"]?.intValue else { throw contradiction("there is no nbf claim") }
        guard let validFromText = payload["validFrom"]?.stringValue, let validFrom = CredentialDate.parse(validFromText)
        else { throw contradiction("there is no readable validFrom") }
        guard CredentialDate.numericDate(validFrom) == nbf else {
            throw contradiction("nbf is \(nbf) but validFrom is \(validFromText)")
        }
        guard let iss = payload["iss"]?.stringValue, iss == issuerID(of: payload) else {
            throw contradiction("iss", "issuer.id", issuerID(of: payload))
        }
        guard let jti = payload["jti"]?.stringValue, jti == payload["id"]?.stringValue else {
            throw contradiction("jti", "id", payload["id"]?.stringValue)
        }
        let subjectID = payload["credentialSubject"]?["id"]?.stringValue
        guard payload["sub"]?.stringValue == subjectID else {
            throw contradiction("sub", "credentialSubject.id", subjectID)
        }
        var validUntil: Date?
        switch (payload["exp"], payload["validUntil"]?.stringValue) {
        case (nil, nil):
            break
        case (let exp?, let text?):
            guard let exp = exp.intValue, let date = CredentialDate.parse(text), CredentialDate.numericDate(date) == exp
            else { throw contradiction("exp does not match validUntil \(text)") }
            validUntil = date
        case (.some, nil):
            throw contradiction("there is an exp claim but no validUntil")
        case (nil, .some(let text)):
            throw contradiction("validUntil is \(text) but there is no exp claim")
        }
        return (validFrom, validUntil)
    }

    public static func issuerID(of credential: JSONValue) -> String? {
        credential["issuer"]?.stringValue ?? credential["issuer"]?["id"]?.stringValue
    }
}

/// A VC-JWT whose signature, claims and validity period checked out; the credential in it may be of any kind.
public struct VerifiedToken: Sendable, Hashable {
    /// The key that signed it.
    public let kid: String
    /// The whole payload: the credential plus its JWT claims.
    public let payload: JSONValue
    public let validFrom: Date
    public let validUntil: Date?
}

/// How old a status list is, in words.
public enum StatusListAge {
    public static func describe(_ seconds: TimeInterval) -> String {
        let seconds = max(0, Int(seconds))
        if seconds < 120 { return "\(seconds) s" }
        if seconds < 7_200 { return "\(seconds / 60) min" }
        return "\(seconds / 3_600) h"
    }
}

/// The kinds of VC-JWT this library issues.
public enum CredentialKind: Sendable, Hashable {
    case openBadge
    case learnerRecord
    case statusList
}

/// A verified CLR: its own token, and each credential inside it, verified on its own.
public struct VerifiedRecord: Sendable, Hashable {
    public let token: VerifiedToken
    public let credentials: [VerifiedCredential]

    public var name: String? { token.payload["name"]?.stringValue }
    public var issuerName: String? { token.payload["issuer"]?["name"]?.stringValue }
}

/// A verified Open Badge, read for display and record-keeping.
public struct VerifiedCredential: Sendable, Hashable {
    public let id: String
    public let name: String
    public let issuerID: String
    public let issuerName: String
    /// The plain-text `name` identifier of the subject, when the credential has one.
    public let subjectName: String?
    public let subjectID: String?
    public let achievementID: String
    public let achievementName: String
    public let achievementType: String?
    public let validFrom: Date
    public let validUntil: Date?
    /// The revocation entry, when the credential has one.
    public let status: StatusEntry?
    /// The key that signed it.
    public let kid: String
    /// The whole payload, for anything not read out above.
    public let payload: JSONValue

    /// Whether the credential names this e-mail address, hashed (salted SHA-256) or in plain text.
    public func identifies(email: String) -> Bool {
        let identifiers = payload["credentialSubject"]?["identifier"]?.arrayValue ?? []
        return identifiers.contains { identifier in
            guard identifier["identityType"]?.stringValue == "emailAddress",
                let value = identifier["identityHash"]?.stringValue
            else { return false }
            if identifier["hashed"] == .bool(true) {
                let expected = OpenBadges.identityHash(email, salt: identifier["salt"]?.stringValue ?? "")
                return value.lowercased() == expected
            }
            return value.lowercased() == email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        }
    }

    static func read(_ token: VerifiedToken) -> Result<VerifiedCredential, VerificationFailure> {
        Result { () throws(VerificationFailure) in try VerifiedCredential(token) }
    }

    /// Checks the Open Badges 3.0 shape (every required member) while reading it.
    private init(_ token: VerifiedToken) throws(VerificationFailure) {
        let vc = token.payload
        func missing(_ text: String) -> VerificationFailure { .notAnOpenBadge(text) }

        let contexts = vc["@context"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard contexts.first == CredentialContext.verifiableCredentialsV2 else {
            throw missing("its @context does not start with \(CredentialContext.verifiableCredentialsV2)")
        }
        guard contexts.contains(where: { $0.hasPrefix("https://purl.imsglobal.org/spec/ob/v3p0/context") }) else {
            throw missing("its @context lacks the Open Badges 3.0 context")
        }
        let types = vc["type"]?.typeNames ?? []
        guard types.contains("VerifiableCredential"), types.contains(where: OpenBadges.openBadgeTypes.contains) else {
            throw missing("its type is \(types) rather than VerifiableCredential and OpenBadgeCredential")
        }
        guard let id = vc["id"]?.stringValue else { throw missing("it has no id") }
        guard let name = vc["name"]?.stringValue else { throw missing("it has no name") }
        guard let issuer = vc["issuer"], let issuerID = issuer["id"]?.stringValue,
            issuer["type"]?.typeNames.contains("Profile") == true, let issuerName = issuer["name"]?.stringValue
        else { throw missing("its issuer is not a Profile with id and name") }

        guard let subject = vc["credentialSubject"], subject["type"]?.typeNames.contains("AchievementSubject") == true
        else { throw missing("its credentialSubject is not an AchievementSubject") }
        let identifiers = subject["identifier"]?.arrayValue ?? []
        guard subject["id"]?.stringValue != nil || !identifiers.isEmpty else {
            throw missing("its credentialSubject has neither id nor identifier")
        }
        guard let achievement = subject["achievement"], let achievementID = achievement["id"]?.stringValue,
            achievement["type"]?.typeNames.contains("Achievement") == true,
            let achievementName = achievement["name"]?.stringValue, achievement["description"]?.stringValue != nil,
            let criteria = achievement["criteria"], criteria["narrative"]?.stringValue != nil || criteria["id"] != nil
        else {
            throw missing("its achievement lacks one of id, type Achievement, name, description, criteria")
        }

        self.id = id
        self.name = name
        self.issuerID = issuerID
        self.issuerName = issuerName
        self.subjectName = identifiers.first {
            $0["identityType"]?.stringValue == "name" && $0["hashed"] == .bool(false)
        }?["identityHash"]?.stringValue
        self.subjectID = subject["id"]?.stringValue
        self.achievementID = achievementID
        self.achievementName = achievementName
        self.achievementType = achievement["achievementType"]?.stringValue
        self.validFrom = token.validFrom
        self.validUntil = token.validUntil
        self.status = try Self.revocationEntry(vc["credentialStatus"])
        self.kid = token.kid
        self.payload = vc
    }

    private static func revocationEntry(_ status: JSONValue?) throws(VerificationFailure) -> StatusEntry? {
        guard let status else { return nil }
        let entries = status.arrayValue ?? [status]
        guard
            let entry = entries.first(where: {
                $0["type"]?.typeNames.contains("BitstringStatusListEntry") == true
                    && $0["statusPurpose"]?.stringValue == "revocation"
            })
        else { return nil }
        guard let url = entry["statusListCredential"]?.stringValue,
            let indexText = entry["statusListIndex"]?.stringValue, !indexText.isEmpty,
            indexText.allSatisfy(\.isASCII), indexText.allSatisfy(\.isNumber), let index = Int(indexText)
        else {
            throw VerificationFailure.notAnOpenBadge(
                "its credentialStatus needs statusListCredential and a statusListIndex of digits")
        }
        return StatusEntry(listCredentialURL: url, index: index)
    }
}

public enum VerificationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not a well-formed VC-JWT: not three parts, bad base64url or JSON, a wrong header, a truncated signature,
    /// or JWT claims that contradict the credential.
    case malformed(String)
    /// The JWK set given to verify with is unusable.
    case invalidKeySet(String)
    /// No key of the JWK set has this `kid`.
    case unknownKey(String)
    /// The signature does not match: the token was changed after signing, or signed by another key.
    case badSignature
    case notYetValid(validFrom: Date)
    case expired(validUntil: Date)
    /// A valid token, but not an Open Badges 3.0 credential (the missing or wrong part is named).
    case notAnOpenBadge(String)
    /// The status list given to check revocation with is unusable.
    case invalidStatusList(String)
    /// A valid token, but not a CLR 2.0 learner record (the missing part is named).
    case notALearnerRecord(String)
    /// A credential inside a learner record (counted from 1) fails on its own.
    indirect case nestedCredential(position: Int, reason: VerificationFailure)

    public var description: String {
        switch self {
        case .malformed(let reason): return "This is not a readable credential token. \(reason)"
        case .invalidKeySet(let reason): return "The issuer's key set cannot be used. \(reason)"
        case .unknownKey(let kid):
            return "The credential was signed with a key the issuer does not publish (\(kid)). "
                + "It may be forged, or come from another issuer."
        case .badSignature:
            return "The signature does not match: the credential was altered after it was issued, or was not "
                + "issued with this issuer's key."
        case .notYetValid(let validFrom):
            return "The credential is not valid yet: it takes effect \(CredentialDate.string(validFrom))."
        case .expired(let validUntil):
            return "The credential expired \(CredentialDate.string(validUntil))."
        case .notAnOpenBadge(let reason): return "The token is signed, but it is not an Open Badge: \(reason)."
        case .invalidStatusList(let reason): return "The revocation list cannot be used: \(reason)."
        case .notALearnerRecord(let reason): return "The token is signed, but it is not a learner record (CLR): \(reason)."
        case .nestedCredential(let position, let reason):
            return "Credential \(position) inside the record does not verify. \(reason.description)"
        }
    }
}
