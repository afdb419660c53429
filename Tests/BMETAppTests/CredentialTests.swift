@testable import BMETApp
import BMETCredentials
import BMETDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Certificates after completion: PDFs, the signed Open Badges credential, public verification, revocation.
@Suite("Certificates and verification")
struct CredentialTests {
    @Test("an approved completion issues a certificate that verifies with the published keys; after revocation every verifier says revoked")
    func issueVerifyRevoke() async throws {
        try await withTestApp { app in
            let s = try await TrainingRecordTests.setup(app, monthsAgo: 23)
            try await CompletionTests.makeEligible(app, s)
            let id = s.apprentice.id!
            // Skill sets completed along the way were awarded interim credentials.
            #expect(try await IssuedCredential.query(on: app.db).filter(\.$kind == .interim).count() == 10)
            let employer = Browser(app)
            _ = try await employer.signIn(s.world.adminA.email)
            #expect(try await employer.get("/dashboard").text.contains("put them forward for completion"))
            _ = try await employer.post("/apprentices/\(id)/completion", [:])
            let request = try #require(try await CompletionRequest.query(on: app.db).first())
            let sponsor = Browser(app)
            _ = try await sponsor.signIn(s.world.admin.email)
            #expect(try await sponsor.get("/dashboard").text.contains("put forward for completion"))
            // Approval is final, so it asks a second time; nothing is completed until then.
            let ask = try await sponsor.post("/apprentices/\(id)/completion/\(request.id!)/decision", ["decision": "approve", "note": "Well done"])
            #expect(ask.status == .ok)
            #expect(ask.text.contains("Complete the apprenticeship of"))
            #expect(ask.text.contains("name=\"confirmed\" value=\"yes\""))
            #expect(try await Apprentice.find(id, on: app.db)?.status == .active)
            #expect(try await sponsor.post("/apprentices/\(id)/completion/\(request.id!)/decision", ["decision": "approve", "note": "Well done", "confirmed": "yes"]).status == .seeOther)
            let certificate = try #require(try await IssuedCredential.query(on: app.db).filter(\.$kind == .certificate).first())
            #expect(certificate.number.hasPrefix("BMET-"))

            // The apprentice downloads the PDFs and the credential.
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            #expect(try await apprentice.get("/dashboard").text.contains("Get your certificate"))
            let pdf = try await apprentice.get("/apprentices/\(id)/certificate.pdf")
            #expect(pdf.status == .ok)
            #expect(pdf.headers.contentType == .pdf)
            #expect(pdf.body.string.hasPrefix("%PDF-"))
            let transcript = try await apprentice.get("/apprentices/\(id)/transcript.pdf")
            #expect(transcript.body.string.hasPrefix("%PDF-"))
            // BMET_PDF_OUT=dir keeps the issued PDFs, to look at them as a person would.
            if let directory = ProcessInfo.processInfo.environment["BMET_PDF_OUT"] {
                try Data(buffer: pdf.body).write(to: URL(fileURLWithPath: directory + "/certificate.pdf"))
                try Data(buffer: transcript.body).write(to: URL(fileURLWithPath: directory + "/transcript.pdf"))
            }
            let jwt = try await apprentice.get("/apprentices/\(id)/credentials/\(certificate.number)").body.string
            let clr = try await apprentice.get("/apprentices/\(id)/clr.jwt")
            #expect(clr.status == .ok)
            let other = Browser(app)
            _ = try await other.signIn(s.world.adminB.email)
            #expect(try await other.get("/apprentices/\(id)/certificate.pdf").status == .notFound)

            // Anyone verifies it with the published key set.
            let anonymous = Browser(app)
            let jwks = Data(buffer: try await anonymous.get("/.well-known/jwks.json").body)
            guard case .success(let verified) = CredentialVerifier.verify(jwt, jwks: jwks) else { Issue.record("the certificate did not verify"); return }
            #expect(verified.achievementType == "ApprenticeshipCertificate")
            #expect(verified.subjectName == s.apprentice.fullName)
            var tampered = Array(jwt)
            let middle = jwt.firstIndex(of: ".").map { jwt.distance(from: jwt.startIndex, to: $0) + 5 } ?? 10
            tampered[middle] = tampered[middle] == "A" ? "B" : "A"
            if case .success = CredentialVerifier.verify(String(tampered), jwks: jwks) { Issue.record("a tampered credential verified") }
            if case .success = CredentialVerifier.verifyToken(String(clr.body.string), jwks: jwks) {} else { Issue.record("the CLR did not verify") }
            // `bmet verify credential` checks the file offline; a truncated file is refused with the reason.
            #expect(try VerifyCredentialCommand.check(token: jwt, jwks: jwks, statusList: nil).hasPrefix("VALID"))
            #expect(throws: VerifyCredentialCommand.Failed.self) { try VerifyCredentialCommand.check(token: String(jwt.prefix(40)), jwks: jwks, statusList: nil) }
            let page = try await anonymous.get("/verify/\(certificate.number)").text
            #expect(page.contains("Valid: \(certificate.number)"))
            let api = try await APIClient(app: app, token: nil).send(.GET, "/api/v1/verify/\(certificate.number)").json()
            #expect(api["status"] as? String == "valid")
            #expect(try await anonymous.get("/verify/BMET-1999-000999").text.contains("Unknown: BMET-1999-000999"))
            #expect(try await APIClient(app: app, token: nil).send(.GET, "/api/v1/verify/nonsense").json()["status"] as? String == "unknown")
            let listBefore = try await anonymous.get("/credentials/status/revocation").body.string
            if case .success(let revoked) = CredentialVerifier.isRevoked(verified, statusList: listBefore, jwks: jwks) { #expect(!revoked) } else { Issue.record("status list unreadable") }

            // Revocation: only the sponsor, with a reason; then every verifier says revoked.
            #expect(try await employer.post("/credentials/\(certificate.number)/revoke", ["reason": "x"]).status == .forbidden)
            _ = try await sponsor.post("/credentials/\(certificate.number)/revoke", ["reason": ""])
            #expect(try await IssuedCredential.find(certificate.id, on: app.db)?.revokedAt == nil)
            let confirm = try await sponsor.post("/credentials/\(certificate.number)/revoke", ["reason": "Issued in error"])
            #expect(confirm.status == .ok)
            #expect(confirm.text.contains("Revoking cannot be undone"))
            #expect(try await IssuedCredential.find(certificate.id, on: app.db)?.revokedAt == nil)
            #expect(try await sponsor.post("/credentials/\(certificate.number)/revoke", ["reason": "Issued in error", "confirmed": "yes"]).status == .seeOther)
            // The revoked certificate's PDF is refused with the reason; the apprentice is no longer offered it.
            let gone = try await apprentice.get("/apprentices/\(id)/certificate.pdf")
            #expect(gone.status == .gone)
            #expect(gone.text.contains("Issued in error"))
            #expect(!(try await apprentice.get("/apprentices/\(id)/completion").text.contains("certificate.pdf")))
            #expect(!(try await apprentice.get("/dashboard").text.contains("Get your certificate")))
            #expect(try await anonymous.get("/verify/\(certificate.number)").text.contains("Revoked: \(certificate.number)"))
            #expect(try await APIClient(app: app, token: nil).send(.GET, "/api/v1/verify/\(certificate.number)").json()["status"] as? String == "revoked")
            let listAfter = try await anonymous.get("/credentials/status/revocation").body.string
            if case .success(let revoked) = CredentialVerifier.isRevoked(verified, statusList: listAfter, jwks: jwks) { #expect(revoked) } else { Issue.record("status list unreadable") }
            #expect(throws: VerifyCredentialCommand.Failed.self) { try VerifyCredentialCommand.check(token: jwt, jwks: jwks, statusList: listAfter) }
        }
    }

    @Test("rotating the signing key keeps earlier credentials verifiable")
    func rotation() async throws {
        try await withTestApp { app in
            let store = CredentialIssuance.keyStore(app.settings)
            let first = try store.activeKey()
            let second = try store.rotate()
            #expect(first.kid != second.kid)
            let jwks = String(decoding: try await Browser(app).get("/.well-known/jwks.json").body.readableBytesView, as: UTF8.self)
            #expect(jwks.contains(first.kid) && jwks.contains(second.kid))
            let document = try await Browser(app).get("/.well-known/did.json").text
            #expect(document.contains(first.kid) && document.contains(second.kid))
            #expect(try await Browser(app).get("/issuer").text.contains("\"Profile\""))
        }
    }
}
