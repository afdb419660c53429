import Foundation
import Testing

@testable import BMETCredentials

@Suite struct OpenBadgesTests {
    @Test func theUnsignedCredentialHasTheOpenBadges3Shape() throws {
        let vc = try JSONValue(encoding: OpenBadges.credential(Mock.completion()))
        #expect(vc["@context"] == .array([
            .string("https://www.w3.org/ns/credentials/v2"),
            .string("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"),
        ]))
        #expect(vc["id"] == .string("https://bmet.example.org/credentials/BMET-2026-000123"))
        #expect(vc["type"] == .array([.string("VerifiableCredential"), .string("OpenBadgeCredential")]))
        #expect(vc["issuer"] == .object([
            "id": .string("https://bmet.example.org/issuer"), "type": .array([.string("Profile")]),
            "name": .string("Riverside Health BMET Apprenticeship"), "url": .string("https://bmet.example.org"),
            "email": .string("apprenticeship@bmet.example.org"),
        ]))
        #expect(vc["validFrom"] == .string("2026-01-15T17:30:00Z"))
        #expect(vc["validUntil"] == nil)
        #expect(vc["name"] == .string("Biomedical Equipment Technician Apprenticeship"))

        let subject = try #require(vc["credentialSubject"])
        #expect(subject["type"] == .array([.string("AchievementSubject")]))
        #expect(subject["id"] == nil)
        #expect(subject["identifier"] == .array([
            .object([
                "type": .string("IdentityObject"), "identityType": .string("name"), "hashed": .bool(false),
                "identityHash": .string("Jordan Rivera"),
            ]),
            .object([
                "type": .string("IdentityObject"), "identityType": .string("emailAddress"), "hashed": .bool(true),
                "identityHash": .string(OpenBadges.identityHash("jordan.rivera@example.com", salt: "b0aa39cc508e46bb")),
                "salt": .string("b0aa39cc508e46bb"),
            ]),
        ]))
        #expect(subject["achievement"] == .object([
            "id": .string("https://bmet.example.org/achievements/bmet-apprenticeship-completion"),
            "type": .array([.string("Achievement")]),
            "name": .string("Biomedical Equipment Technician Apprenticeship"),
            "description": .string("Completion of the registered apprenticeship for Biomedical Equipment Technicians."),
            "criteria": .object([
                "narrative": .string("Completed 4,000 hours of on-the-job learning and 288 hours of related instruction.")
            ]),
            "achievementType": .string("ApprenticeshipCertificate"),
        ]))
        #expect(vc["credentialStatus"] == .object([
            "id": .string("https://bmet.example.org/status/1#5"), "type": .string("BitstringStatusListEntry"),
            "statusPurpose": .string("revocation"), "statusListIndex": .string("5"),
            "statusListCredential": .string("https://bmet.example.org/status/1"),
        ]))
        #expect(vc["evidence"] == .array([.object([
            "type": .array([.string("Evidence")]),
            "narrative": .string("Work process schedule signed off by the mentor and the program sponsor."),
        ])]))
    }

    @Test func theDocumentsGiveTheirJSON() throws {
        let credential = OpenBadges.credential(Mock.completion())
        let data = try credential.jsonData()
        #expect(String(decoding: data, as: UTF8.self).hasPrefix(#"{"@context":["https://www.w3.org/ns/credentials/v2","#))
        #expect(try JSONDecoder().decode(OpenBadgeCredential.self, from: data) == credential)
        #expect(try credential.jsonValue() == JSONDecoder().decode(JSONValue.self, from: credential.jsonData(prettyPrinted: true)))
    }

    @Test func theEmailIsNeverWrittenInPlainText() throws {
        var facts = Mock.completion()
        facts.emailSalt = nil
        let json = String(decoding: try CredentialJSON.encoder.encode(OpenBadges.credential(facts)), as: UTF8.self)
        #expect(!json.lowercased().contains("jordan.rivera@example.com"))
        // A fresh salt each time: two credentials of one apprentice do not share a hash.
        let other = try JSONValue(encoding: OpenBadges.credential(facts))
        let again = try JSONValue(encoding: OpenBadges.credential(facts))
        #expect(other["credentialSubject"]?["identifier"] != again["credentialSubject"]?["identifier"])
    }

    @Test func identityHashMatchesTheSpecificationsExample() {
        // Open Badges 3.0, IdentityHash: 'a@example.com' salted with 'Kosher'.
        #expect(
            OpenBadges.identityHash("a@example.com", salt: "Kosher")
                == "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399")
    }

    @Test func achievementTypesAreTheOpenBadgesEnumeration() {
        #expect(OpenBadges.isValidAchievementType("ApprenticeshipCertificate"))
        #expect(OpenBadges.isValidAchievementType("Certificate"))
        #expect(OpenBadges.isValidAchievementType("Competency"))
        #expect(OpenBadges.isValidAchievementType("ext:BMETMilestone"))
        #expect(!OpenBadges.isValidAchievementType("Apprenticeship"))
        #expect(!OpenBadges.isValidAchievementType("ext:"))
    }

    @Test func theSignedTokenHasTheVCJWTHeaderAndClaims() throws {
        try withTemporaryDirectory { directory in
            let key = try IssuerKeyStore(directory: directory).activeKey()
            let facts = Mock.completion(validUntil: date("2031-01-15T17:30:00Z"), subjectID: "did:example:jordan")
            let token = try OpenBadges.sign(OpenBadges.credential(facts), with: key)
            let parts = token.split(separator: ".", omittingEmptySubsequences: false)
            #expect(parts.count == 3)

            let header = try JSONDecoder().decode([String: String].self, from: try #require(Base64URL.decode(parts[0])))
            #expect(header == ["alg": "RS256", "typ": "JWT", "kid": key.kid])

            let payload = try JSONDecoder().decode(JSONValue.self, from: try #require(Base64URL.decode(parts[1])))
            #expect(payload["iss"] == .string("https://bmet.example.org/issuer"))
            #expect(payload["jti"] == .string("https://bmet.example.org/credentials/BMET-2026-000123"))
            #expect(payload["nbf"] == .int(Int(date("2026-01-15T17:30:00Z").timeIntervalSince1970)))
            #expect(payload["exp"] == .int(Int(date("2031-01-15T17:30:00Z").timeIntervalSince1970)))
            #expect(payload["sub"] == .string("did:example:jordan"))
            #expect(payload["credentialSubject"]?["id"] == .string("did:example:jordan"))
            // The payload is the credential itself (VC Data Model 2.0), not wrapped in a `vc` claim.
            #expect(payload["vc"] == nil)
            #expect(payload["type"] == .array([.string("VerifiableCredential"), .string("OpenBadgeCredential")]))
            // RS256 with a 2048-bit key: a 256-byte signature.
            #expect(Base64URL.decode(parts[2])?.count == 256)
        }
    }

    @Test func withoutASubjectIDTheTokenHasNoSubClaim() throws {
        try withTemporaryDirectory { directory in
            let key = try IssuerKeyStore(directory: directory).activeKey()
            let token = try OpenBadges.sign(OpenBadges.credential(Mock.completion()), with: key)
            let payload = try #require(VCJWT.unverifiedPayload(token))
            #expect(payload["sub"] == nil)
            #expect(payload["exp"] == nil)
        }
    }

    @Test func aClrBundlesTheSignedAchievementCredentials() throws {
        try withTemporaryDirectory { directory in
            let store = IssuerKeyStore(directory: directory)
            let key = try store.activeKey()
            let completion = try OpenBadges.sign(OpenBadges.credential(Mock.completion()), with: key)
            let milestone = try OpenBadges.sign(OpenBadges.credential(Mock.milestone()), with: key)
            let clr = try OpenBadges.clr(
                name: "BMET Apprenticeship Record — Jordan Rivera", issuer: Mock.issuer, subjectName: "Jordan Rivera",
                subjectEmail: "jordan.rivera@example.com", credentials: [milestone, completion],
                validFrom: date("2026-01-16T09:00:00Z"), id: "https://bmet.example.org/records/BMET-2026-000123",
                emailSalt: "0123456789abcdef")

            let json = try JSONValue(encoding: clr)
            #expect(json["@context"] == .array([
                .string("https://www.w3.org/ns/credentials/v2"),
                .string("https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"),
                .string("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"),
            ]))
            #expect(json["type"] == .array([.string("VerifiableCredential"), .string("ClrCredential")]))
            #expect(json["credentialSubject"]?["type"] == .array([.string("ClrSubject")]))
            let embedded = try #require(json["credentialSubject"]?["verifiableCredential"]?.arrayValue)
            #expect(embedded.count == 2)
            // Each keeps its own signature: the token as issued, beside the very JSON it signs.
            guard case .object(var second) = embedded[1] else { Issue.record("not an object"); return }
            #expect(second["proof"] == .array([.object(["type": .string("JwtProof2020"), "jwt": .string(completion)])]))
            second["proof"] = nil
            #expect(JSONValue.object(second) == (try JSONValue(encoding: OpenBadges.credential(Mock.completion()))))
            for credential in embedded {
                for claim in ["iss", "jti", "nbf", "sub", "exp"] { #expect(credential[claim] == nil) }
            }
            #expect(json["credentialSchema"]?.arrayValue?.first?["type"] == .string("1EdTechJsonSchemaValidator2019"))

            let signed = try OpenBadges.sign(clr, with: key)
            let token = try CredentialVerifier.verifyToken(signed, jwks: try store.jwks()).get()
            #expect(token.payload["jti"] == .string("https://bmet.example.org/records/BMET-2026-000123"))
            // A CLR is not itself an Open Badge.
            #expect(CredentialVerifier.verify(signed, jwks: try store.jwks()).failure?.isNotAnOpenBadge == true)
            // Every credential inside verifies on its own.
            let record = try CredentialVerifier.verifyRecord(signed, jwks: try store.jwks()).get()
            #expect(record.credentials.map(\.achievementName) == ["Electrical Safety Testing", "Biomedical Equipment Technician Apprenticeship"])
            #expect(CredentialVerifier.kind(of: signed) == .learnerRecord)
        }
    }

    @Test func aClrWhoseNestedCredentialWasAlteredFails() throws {
        try withTemporaryDirectory { directory in
            let store = IssuerKeyStore(directory: directory)
            let key = try store.activeKey()
            let completion = try OpenBadges.sign(OpenBadges.credential(Mock.completion()), with: key)
            var clr = try OpenBadges.clr(
                name: "Record", issuer: Mock.issuer, subjectName: "Jordan Rivera", subjectEmail: nil,
                credentials: [completion], validFrom: date("2026-01-16T09:00:00Z"), id: "urn:uuid:6a3c9d5e-8f1b-4a2c-9e7d-1b2c3d4e5f60")
            // The issuer re-signs a record whose nested JSON says something its own signature does not.
            guard case .object(var nested) = clr.credentialSubject.verifiableCredential[0] else { Issue.record("not an object"); return }
            nested["name"] = .string("Master Technician")
            clr.credentialSubject.verifiableCredential[0] = .object(nested)
            let altered = try OpenBadges.sign(clr, with: key)
            let failure = CredentialVerifier.verifyRecord(altered, jwks: try store.jwks()).failure
            guard case .nestedCredential(position: 1, let reason) = failure else { Issue.record("\(String(describing: failure))"); return }
            #expect(reason.isMalformed)
            #expect(failure?.description.contains("altered") == true)

            // A nested credential stripped of its signature fails too.
            nested["name"] = .string("Biomedical Equipment Technician Apprenticeship")
            nested["proof"] = nil
            clr.credentialSubject.verifiableCredential[0] = .object(nested)
            let unsigned = try OpenBadges.sign(clr, with: key)
            #expect(CredentialVerifier.verifyRecord(unsigned, jwks: try store.jwks()).failure?.description.contains("no signature of its own") == true)
        }
    }

    @Test func aClrRefusesWhatIsNotASignedOpenBadge() throws {
        #expect(throws: CredentialError.emptyRecord) {
            try OpenBadges.clr(
                name: "Empty", issuer: Mock.issuer, subjectName: "Jordan Rivera", subjectEmail: nil, credentials: [],
                validFrom: Date(), id: "https://bmet.example.org/records/1")
        }
        #expect(throws: CredentialError.self) {
            try OpenBadges.clr(
                name: "Junk", issuer: Mock.issuer, subjectName: "Jordan Rivera", subjectEmail: nil,
                credentials: ["not.a.token"], validFrom: Date(), id: "https://bmet.example.org/records/1")
        }
    }
}

extension VerificationFailure {
    var isNotAnOpenBadge: Bool {
        if case .notAnOpenBadge = self { return true }
        return false
    }

    var isMalformed: Bool {
        if case .malformed = self { return true }
        return false
    }
}
