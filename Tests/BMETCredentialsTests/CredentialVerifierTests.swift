import Crypto
import Foundation
import _CryptoExtras
import Testing

@testable import BMETCredentials

@Suite struct CredentialVerifierTests {
    /// A key store with one key, a signed completion credential and the JWK set.
    private func issued(
        _ facts: AchievementFacts = Mock.completion(), keyIDBase: String? = nil, in directory: String
    ) throws -> (token: String, jwks: Data, key: IssuerKey) {
        let store = IssuerKeyStore(directory: directory, keyIDBase: keyIDBase)
        let key = try store.activeKey()
        return (try OpenBadges.sign(OpenBadges.credential(facts), with: key), try store.jwks(), key)
    }

    @Test func aSignedCredentialVerifies() throws {
        try withTemporaryDirectory { directory in
            let (token, jwks, key) = try issued(in: directory)
            let verified = try CredentialVerifier.verify(token, jwks: jwks).get()
            #expect(verified.id == "https://bmet.example.org/credentials/BMET-2026-000123")
            #expect(verified.name == "Biomedical Equipment Technician Apprenticeship")
            #expect(verified.issuerID == "https://bmet.example.org/issuer")
            #expect(verified.issuerName == "Riverside Health BMET Apprenticeship")
            #expect(verified.subjectName == "Jordan Rivera")
            #expect(verified.subjectID == nil)
            #expect(verified.achievementName == "Biomedical Equipment Technician Apprenticeship")
            #expect(verified.achievementType == "ApprenticeshipCertificate")
            #expect(verified.validFrom == date("2026-01-15T17:30:00Z"))
            #expect(verified.validUntil == nil)
            #expect(verified.status == StatusEntry(listCredentialURL: "https://bmet.example.org/status/1", index: 5))
            #expect(verified.kid == key.kid)
            #expect(verified.identifies(email: " JORDAN.rivera@example.com"))
            #expect(!verified.identifies(email: "someone.else@example.com"))
        }
    }

    @Test func everyRequiredOpenBadgesFieldIsInTheSignedPayload() throws {
        try withTemporaryDirectory { directory in
            let (token, _, _) = try issued(in: directory)
            let vc = try #require(VCJWT.unverifiedPayload(token))
            for member in ["@context", "id", "type", "issuer", "validFrom", "name", "credentialSubject", "iss", "jti", "nbf"] {
                #expect(vc[member] != nil, "\(member)")
            }
            for member in ["id", "type", "name"] { #expect(vc["issuer"]?[member] != nil, "issuer.\(member)") }
            let subject = try #require(vc["credentialSubject"])
            #expect(subject["type"] != nil)
            #expect(subject["identifier"]?.arrayValue?.isEmpty == false)
            for member in ["id", "type", "name", "description", "criteria", "achievementType"] {
                #expect(subject["achievement"]?[member] != nil, "achievement.\(member)")
            }
            #expect(subject["achievement"]?["criteria"]?["narrative"] != nil)
            for member in ["id", "type", "statusPurpose", "statusListIndex", "statusListCredential"] {
                #expect(vc["credentialStatus"]?[member] != nil, "credentialStatus.\(member)")
            }
        }
    }

    @Test func changingOneCharacterOfThePayloadBreaksTheSignature() throws {
        try withTemporaryDirectory { directory in
            let (token, jwks, _) = try issued(in: directory)
            var characters = Array(token)
            let payloadStart = characters.firstIndex(of: ".")! + 1
            for offset in [0, 10, 200, 400] {
                var tampered = characters
                let position = payloadStart + offset
                tampered[position] = tampered[position] == "A" ? "B" : "A"
                #expect(CredentialVerifier.verify(String(tampered), jwks: jwks).failure == .badSignature)
            }
            // And in the signature.
            let last = characters.count - 2
            characters[last] = characters[last] == "A" ? "B" : "A"
            #expect(CredentialVerifier.verify(String(characters), jwks: jwks).failure == .badSignature)
        }
    }

    @Test func aTruncatedTokenIsMalformed() throws {
        try withTemporaryDirectory { directory in
            let (token, jwks, _) = try issued(in: directory)
            for length in [0, 10, token.count / 2, token.count - 30, token.count - 1] {
                let failure = CredentialVerifier.verify(String(token.prefix(length)), jwks: jwks).failure
                #expect(failure?.isMalformed == true, "cut to \(length): \(String(describing: failure))")
            }
            #expect(CredentialVerifier.verify("a.b.c.d", jwks: jwks).failure?.isMalformed == true)
            #expect(CredentialVerifier.verify("!!!.e30.AAAA", jwks: jwks).failure?.isMalformed == true)
        }
    }

    @Test func aKeyOutsideTheSetIsUnknown() throws {
        try withTemporaryDirectory { directory in
            let (token, _, key) = try issued(in: directory + "/a")
            let otherSet = try IssuerKeyStore(directory: directory + "/b").jwks()
            #expect(CredentialVerifier.verify(token, jwks: otherSet).failure == .unknownKey(key.kid))
        }
    }

    @Test func aForgedTokenUnderAKnownKidFailsTheSignature() throws {
        try withTemporaryDirectory { directory in
            let (_, jwks, key) = try issued(in: directory)
            // Same kid, another private key: a forger who copied the kid.
            let forgerKey = try IssuerKey(privateKey: .rsa(try _RSA.Signing.PrivateKey(keySize: .bits2048)), createdAt: Date(), keyIDBase: nil)
            var payload = try JSONValue(encoding: OpenBadges.credential(Mock.completion()))
            guard case .object(var members) = payload else { Issue.record("not an object"); return }
            members["iss"] = .string(Mock.issuer.id)
            members["jti"] = members["id"]
            members["nbf"] = .int(Int(date("2026-01-15T17:30:00Z").timeIntervalSince1970))
            payload = .object(members)
            let header = try CredentialJSON.encoder.encode(["alg": "RS256", "kid": key.kid, "typ": "JWT"])
            let input = Base64URL.encode(header) + "." + Base64URL.encode(try CredentialJSON.encoder.encode(payload))
            let forged = input + "." + Base64URL.encode(try forgerKey.sign(Data(input.utf8)))
            #expect(CredentialVerifier.verify(forged, jwks: jwks).failure == .badSignature)
        }
    }

    @Test func theKidStillFindsItsKeyWhenTheJWKSetMovedToAnotherURL() throws {
        try withTemporaryDirectory { directory in
            let (token, _, _) = try issued(keyIDBase: "https://old.example.org/jwks.json", in: directory)
            let movedSet = try IssuerKeyStore(directory: directory, keyIDBase: "did:web:new.example.org").jwks()
            #expect(throws: Never.self) { try CredentialVerifier.verify(token, jwks: movedSet).get() }
        }
    }

    @Test func validityPeriodIsChecked() throws {
        try withTemporaryDirectory { directory in
            let facts = Mock.completion(validFrom: date("2026-01-15T17:30:00Z"), validUntil: date("2028-01-15T17:30:00Z"))
            let (token, jwks, _) = try issued(facts, in: directory)
            #expect(
                CredentialVerifier.verify(token, jwks: jwks, now: date("2026-01-15T17:29:59Z")).failure
                    == .notYetValid(validFrom: date("2026-01-15T17:30:00Z")))
            #expect(throws: Never.self) {
                try CredentialVerifier.verify(token, jwks: jwks, now: date("2026-01-15T17:30:00Z")).get()
            }
            #expect(
                CredentialVerifier.verify(token, jwks: jwks, now: date("2028-01-15T17:30:00Z")).failure
                    == .expired(validUntil: date("2028-01-15T17:30:00Z")))
        }
    }

    @Test func theHeaderMustBeRS256OrEdDSAWithAKidOfTheRightKind() throws {
        try withTemporaryDirectory { directory in
            let (token, jwks, key) = try issued(in: directory)
            let rest = token.drop { $0 != "." }
            for header in [
                #"{"alg":"none","kid":"x"}"#, #"{"alg":"RS256"}"#, #"{"alg":"HS256","kid":"\#(key.kid)"}"#,
                #"{"alg":"RS256","kid":"x","crit":["b64"]}"#,
                // An RSA key never checks an EdDSA signature (no algorithm confusion).
                #"{"alg":"EdDSA","kid":"\#(key.kid)","typ":"JWT"}"#,
            ] {
                let failure = CredentialVerifier.verify(Base64URL.encode(Data(header.utf8)) + rest, jwks: jwks).failure
                #expect(failure?.isMalformed == true, "\(header)")
            }
        }
    }

    @Test func aJWKSetWithAPrivateKeyOrNoKeysIsRefused() throws {
        try withTemporaryDirectory { directory in
            let (token, _, key) = try issued(in: directory)
            var jwk = key.publicKey.jwk
            jwk["d"] = "c2VjcmV0"
            let leaky = try JSONEncoder().encode(["keys": [jwk]])
            #expect(CredentialVerifier.verify(token, jwks: leaky).failure.map { if case .invalidKeySet = $0 { true } else { false } } == true)
            #expect(CredentialVerifier.verify(token, jwks: Data("[]".utf8)).failure.map { if case .invalidKeySet = $0 { true } else { false } } == true)
        }
    }

    @Test func aSignedStatusListIsNotAnOpenBadge() throws {
        try withTemporaryDirectory { directory in
            let store = IssuerKeyStore(directory: directory)
            let list = BitstringStatusList.credential(
                id: "https://bmet.example.org/status/1", issuer: Mock.issuer,
                encodedList: try BitstringStatusList.encode(revoked: []), validFrom: date("2026-01-01T00:00:00Z"))
            let token = try OpenBadges.sign(list, with: try store.activeKey())
            let failure = CredentialVerifier.verify(token, jwks: try store.jwks()).failure
            #expect(failure?.isNotAnOpenBadge == true)
            #expect(failure?.description.contains("not an Open Badge") == true)
        }
    }

    @Test func everyFailureExplainsItselfToAPerson() {
        let failures: [VerificationFailure] = [
            .malformed("The header is not base64url."), .invalidKeySet("It is empty."), .unknownKey("urn:x"),
            .badSignature, .notYetValid(validFrom: date("2026-01-01T00:00:00Z")),
            .expired(validUntil: date("2027-01-01T00:00:00Z")), .notAnOpenBadge("it has no name"),
            .invalidStatusList("it is not a list"), .notALearnerRecord("its type is not ClrCredential"),
            .nestedCredential(position: 2, reason: .badSignature),
        ]
        for failure in failures {
            #expect(failure.description.count > 30)
            #expect(failure.description.first?.isUppercase == true)
        }
        #expect(VerificationFailure.expired(validUntil: date("2027-01-01T00:00:00Z")).description.contains("2027-01-01T00:00:00Z"))
    }
}
