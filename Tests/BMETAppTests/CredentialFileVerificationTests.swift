@testable import BMETApp
@testable import BMETCredentials
import BMETDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// What a real verifier sees of the issued credentials: RS256 under a did:web key, `sub`, a CLR whose credentials
/// verify one by one, a status list signed once per change; and /verify checking a file for real.
@Suite("Credential files, checked as verifiers check them")
struct CredentialFileVerificationTests {
    struct Issued {
        let apprenticeID: UUID
        let certificate: IssuedCredential
        let jwt: String
        let apprentice: Browser
        let sponsor: Browser
        let world: Make.World
    }

    /// An apprentice made eligible, put forward, approved: the certificate issued, with the interim credentials.
    static func issue(_ app: Application) async throws -> Issued {
        let s = try await TrainingRecordTests.setup(app, monthsAgo: 23)
        try await CompletionTests.makeEligible(app, s)
        let id = s.apprentice.id!
        let employer = Browser(app)
        _ = try await employer.signIn(s.world.adminA.email)
        _ = try await employer.post("/apprentices/\(id)/completion", [:])
        let request = try #require(try await CompletionRequest.query(on: app.db).first())
        let sponsor = Browser(app)
        _ = try await sponsor.signIn(s.world.admin.email)
        _ = try await sponsor.post("/apprentices/\(id)/completion/\(request.id!)/decision", ["decision": "approve", "confirmed": "yes"])
        let certificate = try #require(try await IssuedCredential.query(on: app.db).filter(\.$kind == .certificate).first())
        let apprentice = Browser(app)
        _ = try await apprentice.signIn(s.world.apprenticeA.email)
        let jwt = try await apprentice.get("/apprentices/\(id)/credentials/\(certificate.number)").body.string
        return Issued(apprenticeID: id, certificate: certificate, jwt: jwt, apprentice: apprentice, sponsor: sponsor, world: s.world)
    }

    static func part(_ jwt: String, _ index: Int) throws -> BMETCredentials.JSONValue {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        return try JSONDecoder().decode(BMETCredentials.JSONValue.self, from: try #require(Base64URL.decode(parts[index])))
    }

    @Test("the certificate is RS256 under a did:web key that dereferences to one JWK, with sub, schema and alignment; numbers are unguessable")
    func whatAValidatorChecks() async throws {
        try await withTestApp { app in
            let issued = try await Self.issue(app)
            let header = try Self.part(issued.jwt, 0)
            let payload = try Self.part(issued.jwt, 1)
            #expect(header["alg"] == .string("RS256"))
            let did = CredentialIssuance.did(app.settings)
            #expect(did.hasPrefix("did:web:"))
            #expect(payload["issuer"]?["id"] == .string(did))
            #expect(payload["iss"] == .string(did))
            let kid = try #require(header["kid"]?.stringValue)
            #expect(kid.hasPrefix(did + "#"))

            // The kid names exactly one verification method of the DID document, an RSA JWK of 2048 bits or more.
            let anonymous = Browser(app)
            let didResponse = try await anonymous.get("/.well-known/did.json")
            #expect(didResponse.headers.contentType?.description.contains("did+json") == true)
            let document = try JSONDecoder().decode(BMETCredentials.JSONValue.self, from: Data(buffer: didResponse.body))
            #expect(document["id"] == .string(did))
            let methods = (document["verificationMethod"]?.arrayValue ?? []).filter { $0["id"] == .string(kid) }
            #expect(methods.count == 1)
            #expect(methods.first?["type"] == .string("JsonWebKey"))
            #expect(methods.first?["publicKeyJwk"]?["kty"] == .string("RSA"))
            #expect((Base64URL.decode(methods.first?["publicKeyJwk"]?["n"]?.stringValue ?? "")?.count ?? 0) >= 256)
            #expect(document["assertionMethod"]?.arrayValue?.contains(.string(kid)) == true)
            // The DID document alone is enough to verify.
            #expect(throws: Never.self) { try CredentialVerifier.verify(issued.jwt, jwks: Data(buffer: didResponse.body)).get() }

            // sub is the apprentice's stable urn:uuid, the same on every credential of the apprentice.
            let subject = try #require(payload["sub"]?.stringValue)
            #expect(subject.hasPrefix("urn:uuid:"))
            #expect(payload["credentialSubject"]?["id"] == .string(subject))
            #expect(!subject.contains(issued.apprenticeID.uuidString.lowercased()))
            let interim = try #require(try await IssuedCredential.query(on: app.db).filter(\.$kind == .interim).first())
            #expect(try Self.part(interim.jwt, 1)["sub"] == .string(subject))

            #expect(payload["credentialSchema"]?.arrayValue?.first?["type"] == .string("1EdTechJsonSchemaValidator2019"))
            let codes = payload["credentialSubject"]?["achievement"]?["alignment"]?.arrayValue?.compactMap { $0["targetCode"]?.stringValue }
            #expect(codes == ["49-9062.00", "0888HY"])
            // The id resolves to the public verification record; the achievement id is a urn:uuid.
            #expect(payload["id"] == .string(app.settings.baseURL + "/verify/" + issued.certificate.number))
            #expect(try await anonymous.get("/verify/\(issued.certificate.number)").text.contains("Valid: \(issued.certificate.number)"))
            #expect(payload["credentialSubject"]?["achievement"]?["id"]?.stringValue?.hasPrefix("urn:uuid:") == true)
            #expect(issued.certificate.number.range(of: CredentialIssuance.numberPattern, options: .regularExpression) != nil)
            #expect(issued.certificate.number.range(of: #"^BMET-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$"#, options: .regularExpression) != nil)
            // The wording says who signs: the sponsor; the Department of Labor issues its own certificate.
            let description = payload["credentialSubject"]?["achievement"]?["description"]?.stringValue ?? ""
            #expect(!description.contains("jointly"))
            // The profile uses only Open Badges terms; the keys are in the DID document.
            let profile = try JSONDecoder().decode(BMETCredentials.JSONValue.self, from: Data(buffer: try await anonymous.get("/issuer").body))
            #expect(Set(profile.objectValue?.keys.map { $0 } ?? []) == ["@context", "id", "type", "name", "url", "email"])
        }
    }

    @Test("the CLR nests each credential with its own signature, leaves revoked ones out, and bmet verify credential checks every one")
    func learnerRecord() async throws {
        try await withTestApp { app in
            let issued = try await Self.issue(app)
            let jwks = Data(buffer: try await Browser(app).get("/.well-known/jwks.json").body)
            let clr = try await issued.apprentice.get("/apprentices/\(issued.apprenticeID)/clr.jwt").body.string
            let record = try CredentialVerifier.verifyRecord(clr, jwks: jwks).get()
            let total = try await IssuedCredential.query(on: app.db).count()
            #expect(record.credentials.count == total)
            let nested = try #require(try Self.part(clr, 1)["credentialSubject"]?["verifiableCredential"]?.arrayValue)
            let tokens = nested.compactMap { $0["proof"]?.arrayValue?.first?["jwt"]?.stringValue }
            #expect(tokens.count == total)
            #expect(tokens.contains(issued.jwt))
            for token in tokens { #expect(throws: Never.self) { try CredentialVerifier.verify(token, jwks: jwks).get() } }
            let verdict = try VerifyCredentialCommand.check(token: clr, jwks: jwks, statusList: nil)
            #expect(verdict.hasPrefix("VALID learner record"))
            #expect(verdict.components(separatedBy: "\nVALID: ").count == total + 1)

            // Revoked: the certificate leaves the next CLR.
            _ = try await issued.sponsor.post("/credentials/\(issued.certificate.number)/revoke", ["reason": "Issued in error", "confirmed": "yes"])
            let after = try await issued.apprentice.get("/apprentices/\(issued.apprenticeID)/clr.jwt").body.string
            let kept = try CredentialVerifier.verifyRecord(after, jwks: jwks).get()
            #expect(kept.credentials.count == total - 1)
            #expect(!kept.credentials.contains { $0.achievementType == "ApprenticeshipCertificate" })
            // An employer of another company cannot download the record.
            let other = Browser(app)
            _ = try await other.signIn(issued.world.adminB.email)
            #expect(try await other.get("/apprentices/\(issued.apprenticeID)/clr.jwt").status == .notFound)
        }
    }

    @Test("the status list is signed once per change, from a little in the past, with validUntil and ttl; the CLI reports its age and refuses a stale one")
    func statusListTiming() async throws {
        try await withTestApp { app in
            let issued = try await Self.issue(app)
            let anonymous = Browser(app)
            let jwks = Data(buffer: try await anonymous.get("/.well-known/jwks.json").body)
            let first = try await anonymous.get("/credentials/status/revocation").body.string
            let second = try await anonymous.get("/credentials/status/revocation").body.string
            #expect(first == second)
            let list = try CredentialVerifier.verifyToken(first, jwks: jwks).get()
            #expect(list.validFrom <= Date().addingTimeInterval(-CredentialIssuance.statusListBackdating + 5))
            let validUntil = try #require(list.validUntil)
            #expect(validUntil.timeIntervalSince(list.validFrom) == CredentialIssuance.statusListValidity)
            #expect(list.payload["credentialSubject"]?["ttl"] == .int(3_600_000))
            // A verifier whose clock is two minutes behind accepts it.
            #expect(throws: Never.self) { try CredentialVerifier.verifyToken(first, jwks: jwks, now: Date().addingTimeInterval(-120)).get() }

            let report = try VerifyCredentialCommand.check(token: issued.jwt, jwks: jwks, statusList: first)
            #expect(report.hasPrefix("Status list signed 5 min ago"))
            #expect(report.contains("not revoked"))
            #expect(throws: VerifyCredentialCommand.Failed.self) {
                try VerifyCredentialCommand.check(token: issued.jwt, jwks: jwks, statusList: first, now: Date().addingTimeInterval(47 * 3_600), maximumListAge: 12 * 3_600)
            }

            _ = try await issued.sponsor.post("/credentials/\(issued.certificate.number)/revoke", ["reason": "Issued in error", "confirmed": "yes"])
            let third = try await anonymous.get("/credentials/status/revocation").body.string
            #expect(third != first)
            let credential = try CredentialVerifier.verify(issued.jwt, jwks: jwks).get()
            #expect(try CredentialVerifier.isRevoked(credential, statusList: third, jwks: jwks).get())
        }
    }

    @Test("/verify checks an uploaded or pasted file: a real one is valid, a forged one that copies a real number is refused with the reason")
    func verifyAFile() async throws {
        try await withTestApp { app in
            let issued = try await Self.issue(app)
            let visitor = Browser(app)
            let valid = try await visitor.upload("/verify", field: "file", filename: "\(issued.certificate.number).jwt", data: Data(issued.jwt.utf8))
            #expect(valid.status == .ok)
            #expect(valid.text.contains("Valid: "))
            #expect(valid.text.contains(issued.certificate.number))

            // Forged: a real credential with the name changed, the signature kept.
            let parts = issued.jwt.split(separator: ".").map(String.init)
            let payload = String(decoding: try #require(Base64URL.decode(parts[1])), as: UTF8.self)
            let forgedPayload = payload.replacingOccurrences(of: "Certificate of Completion", with: "Master Technician Certificate")
            #expect(forgedPayload != payload)
            let forged = parts[0] + "." + Base64URL.encode(Data(forgedPayload.utf8)) + "." + parts[2]
            let refused = try await visitor.upload("/verify", field: "file", filename: "forged.jwt", data: Data(forged.utf8))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Not valid"))
            #expect(refused.text.contains("The signature does not match"))
            #expect(!refused.text.contains("Valid: "))
            // Pasted, the same.
            let pasted = try await visitor.post("/verify", ["credential": forged])
            #expect(pasted.status == .unprocessableEntity)
            #expect(pasted.text.contains("The signature does not match"))

            // Signed by a key of its own under our issuer's name: unknown key.
            let stranger = IssuerKeyStore(directory: app.settings.dataDirectory + "/stranger-keys", keyIDBase: CredentialIssuance.did(app.settings))
            let strangerToken = try OpenBadges.sign(try Self.credentialDocument(issued.jwt), with: try stranger.activeKey())
            let unknown = try await visitor.post("/verify", ["credential": strangerToken])
            #expect(unknown.text.contains("a key the issuer does not publish"))

            // Nothing, garbage, JSON: a message by the field or a clear reason, never a 500.
            let empty = try await visitor.post("/verify", ["credential": "  "])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.text.contains("id=\"credential-error\""))
            let garbage = try await visitor.post("/verify", ["credential": "not a credential"])
            #expect(garbage.status == .unprocessableEntity)
            #expect(garbage.text.contains("three base64url parts"))
            let json = try await visitor.post("/verify", ["credential": "{\"a\":1}"])
            #expect(json.text.contains("This is JSON, not a signed credential"))
            let binary = try await visitor.upload("/verify", field: "file", filename: "x.jwt", data: Data([0, 1, 2, 0xFF]))
            #expect(binary.status == .unprocessableEntity)
            #expect(binary.text.contains("id=\"file-error\""))

            // The CLR is checked credential by credential; a revoked credential says so.
            let clr = try await issued.apprentice.get("/apprentices/\(issued.apprenticeID)/clr.jwt").body.string
            let record = try await visitor.post("/verify", ["credential": clr])
            #expect(record.status == .ok)
            #expect(record.text.contains("comprehensive learner record"))
            _ = try await issued.sponsor.post("/credentials/\(issued.certificate.number)/revoke", ["reason": "Issued in error", "confirmed": "yes"])
            let revoked = try await visitor.post("/verify", ["credential": issued.jwt])
            #expect(revoked.status == .unprocessableEntity)
            #expect(revoked.text.contains("Revoked on"))
            #expect(revoked.text.contains("Issued in error"))
            // Without the form's CSRF token the post is refused, as every form of the site.
            #expect(try await Browser(app).post("/verify", ["credential": issued.jwt], csrf: "").status == .forbidden)
        }
    }

    @Test("the public verification routes are rate-limited per address; the API answers 429 as problem+json")
    func rateLimited() async throws {
        try await withTestApp { app in
            // An hour's window: on a loaded machine the 30 requests below can take longer than the real minute.
            app.verificationThrottle = VerificationThrottle(window: 3600)
            let client = APIClient(app: app, token: nil)
            for _ in 0..<VerificationThrottle.limit {
                #expect(try await client.send(.GET, "/api/v1/verify/BMET-2026-0000-0000-0000").status == .ok)
            }
            let refused = try await client.send(.GET, "/api/v1/verify/BMET-2026-0000-0000-0000")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.isProblem)
            #expect(refused.headers.first(name: "Retry-After") != nil)
            #expect(try await Browser(app).get("/verify/BMET-2026-0000-0000-0000").status == .tooManyRequests)
            // The keys and the DID document are not limited: verifiers fetch them often.
            #expect(try await Browser(app).get("/.well-known/did.json").status == .ok)
        }
    }

    static func credentialDocument(_ jwt: String) throws -> OpenBadgeCredential {
        guard case .object(let members) = try part(jwt, 1) else { throw Abort(.badRequest) }
        var credential = members
        for claim in ["iss", "jti", "nbf", "exp", "sub"] { credential[claim] = nil }
        return try JSONDecoder().decode(OpenBadgeCredential.self, from: try JSONEncoder().encode(BMETCredentials.JSONValue.object(credential)))
    }
}

@Suite("The Department of Labor's own certificate")
struct DOLCertificateTests {
    @Test("the sponsor records the DOL certificate of a completed apprentice; an employer cannot; the verify page and the certificate cite it")
    func recordDOLCertificate() async throws {
        try await withTestApp { app in
            let issued = try await CredentialFileVerificationTests.issue(app)
            let path = "/apprentices/\(issued.apprenticeID)/dol-certificate"
            let today = ProgramCalendar.dayString(ProgramCalendar.today())
            // Roles that must not record it.
            let employer = Browser(app)
            _ = try await employer.signIn(issued.world.adminA.email)
            #expect(try await employer.post(path, ["dolNumber": "2026-123456", "dolDate": today]).status == .forbidden)
            #expect(try await issued.apprentice.post(path, ["dolNumber": "2026-123456", "dolDate": today]).status == .forbidden)
            // Bad input: a message by each field.
            let bad = try await issued.sponsor.post(path, ["dolNumber": "<script>", "dolDate": "2020-01-01"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("id=\"dolNumber-error\"") && bad.text.contains("id=\"dolDate-error\""))
            #expect(try await Apprentice.find(issued.apprenticeID, on: app.db)?.dolCertificateNumber == nil)

            #expect(try await issued.sponsor.post(path, ["dolNumber": "2026-123456", "dolDate": today]).status == .seeOther)
            let apprentice = try #require(try await Apprentice.find(issued.apprenticeID, on: app.db))
            #expect(apprentice.dolCertificateNumber == "2026-123456")
            let page = try await Browser(app).get("/verify/\(issued.certificate.number)").text
            #expect(page.contains("Certificate of Completion of Apprenticeship no. 2026-123456"))
            #expect(!page.contains("jointly"))
            let facts = try await DocumentFacts.certificate(issued.certificate, apprentice: apprentice, settings: app.settings, on: app.db)
            #expect(facts.statement.contains("(no. 2026-123456)"))
            #expect(facts.issuers == [try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: app.db).sponsor])
            let transcript = try await DocumentFacts.transcript(apprentice, certificate: issued.certificate, settings: app.settings, on: app.db)
            #expect(transcript.dolCertificate?.hasPrefix("No. 2026-123456") == true)
            #expect(transcript.interim.allSatisfy { $0.number?.hasPrefix("BMET-I-") == true })
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.dolCertificateRecorded.rawValue).count() == 1)
        }
    }
}
