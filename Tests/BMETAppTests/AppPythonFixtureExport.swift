@testable import BMETApp
@testable import BMETCredentials
import BMETDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Writes what the web app itself issues and publishes for the independent Python checks (checks/credentials):
/// a certificate issued by the completion flow, the apprentice's CLR, the DID document, the JWK set and the status
/// list as the app serves them, and /verify's answer to a forged file. Runs only when BMET_VC_FIXTURES is set
/// (scripts/test.sh sets it); the files go to its `app/` folder.
@Suite struct AppPythonFixtureExport {
    static let folder = ProcessInfo.processInfo.environment["BMET_VC_FIXTURES"]

    @Test(.enabled(if: folder != nil, "BMET_VC_FIXTURES is not set"))
    func writeTheAppsCredentialsForThePythonVerifier() async throws {
        let folder = try #require(Self.folder) + "/app"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try await withTestApp { app in
            // A credential store from before RS256: one Ed25519 key signed an earlier credential.
            let store = CredentialIssuance.keyStore(app.settings)
            let legacy = try store.installLegacyEd25519Key()
            var old = OpenBadges.credential(AchievementFacts(
                credentialID: app.settings.baseURL + "/credentials/BMET-I-2026-000001",
                issuer: IssuerProfile(id: app.settings.baseURL + "/issuer", name: "AAMI", url: app.settings.baseURL),
                subjectName: "Jamie Rivera", achievementID: app.settings.baseURL + "/achievements/orientation-and-safety",
                achievementName: "Skill set completed: Orientation and Safety", achievementDescription: "Every skill of Orientation and Safety signed off.",
                criteriaNarrative: "A mentor signed off each skill.", achievementType: "Certificate", validFrom: Date().addingTimeInterval(-86_400 * 30)))
            old.credentialSchema = []
            // Named as keys were then: after the JWK set's URL.
            let then = try IssuerKey(privateKey: legacy.privateKey, createdAt: legacy.createdAt,
                                     keyIDBase: app.settings.baseURL + CredentialIssuance.jwksPath)
            let oldToken = try OpenBadges.sign(old, with: then)

            let issued = try await CredentialFileVerificationTests.issue(app)
            let anonymous = Browser(app)
            let clr = try await issued.apprentice.get("/apprentices/\(issued.apprenticeID)/clr.jwt").body.string
            let didDocument = Data(buffer: try await anonymous.get("/.well-known/did.json").body)
            let jwks = Data(buffer: try await anonymous.get("/.well-known/jwks.json").body)
            let statusList = try await anonymous.get("/credentials/status/revocation").body.string

            let parts = issued.jwt.split(separator: ".").map(String.init)
            let payload = String(decoding: try #require(Base64URL.decode(parts[1])), as: UTF8.self)
            let forged = parts[0] + "." + Base64URL.encode(Data(payload.replacingOccurrences(of: "Jamie Rivera", with: "Jamie Riviera").utf8)) + "." + parts[2]
            #expect(forged != issued.jwt)
            let refusal = try await anonymous.upload("/verify", field: "file", filename: "forged.jwt", data: Data(forged.utf8))
            let acceptance = try await anonymous.upload("/verify", field: "file", filename: "real.jwt", data: Data(issued.jwt.utf8))

            let expected: [String: BMETCredentials.JSONValue] = [
                "did": .string(CredentialIssuance.did(app.settings)),
                "didDocumentURL": .string(try #require(DIDWeb.documentURL(for: CredentialIssuance.did(app.settings)))),
                "number": .string(issued.certificate.number),
                "forgedStatus": .int(Int(refusal.status.code)),
                "realStatus": .int(Int(acceptance.status.code)),
            ]
            let files: [String: Data] = [
                "credential.jwt": Data(issued.jwt.utf8), "old-credential.jwt": Data(oldToken.utf8), "clr.jwt": Data(clr.utf8),
                "did.json": didDocument, "jwks.json": jwks, "statuslist.jwt": Data(statusList.utf8), "forged.jwt": Data(forged.utf8),
                "verify-forged.html": Data(refusal.text.utf8), "verify-real.html": Data(acceptance.text.utf8),
                "expected.json": try CredentialJSON.prettyEncoder.encode(expected),
            ]
            for (name, contents) in files {
                try contents.write(to: URL(fileURLWithPath: folder).appendingPathComponent(name))
            }
        }
    }

    /// The demo data (`bmet seed demo`), with its mentor signing off the rest of Orientation and Safety for Jordan:
    /// the app then issues the interim credential for the skill set, as it would for any apprentice.
    @Test(.enabled(if: folder != nil, "BMET_VC_FIXTURES is not set"))
    func writeTheDemoDatasCredentialForThePythonVerifier() async throws {
        let folder = try #require(Self.folder) + "/demo"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try await withTestApp { app in
            #expect(try await DemoData.seed(app: app, password: "demo-password-2026", standardsPath: packageRoot + "standards/aami-bmet.json"))
            let apprentice = try #require(try await Apprentice.query(on: app.db).filter(\.$status == .active).first())
            let mentor = try #require(try await User.find(apprentice.$mentor.id, on: app.db))
            let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: app.db)
            let orientation = try #require(standards.skillSets.first)
            for skill in orientation.skills {
                _ = try await Assessments.assess(apprentice, AssessmentInput(skillCode: skill.code, rating: "proficient", observed: "Demonstrated on the job, unprompted."),
                                                 by: mentor, settings: app.settings, on: app.db)
            }
            let interim = try #require(try await IssuedCredential.query(on: app.db).filter(\.$apprentice.$id == apprentice.requireID()).first())
            #expect(interim.name.contains(orientation.title))
            let anonymous = Browser(app)
            let files: [String: Data] = [
                "credential.jwt": Data(interim.jwt.utf8),
                "did.json": Data(buffer: try await anonymous.get("/.well-known/did.json").body),
                "expected.json": try CredentialJSON.prettyEncoder.encode([
                    "did": BMETCredentials.JSONValue.string(CredentialIssuance.did(app.settings)), "number": .string(interim.number),
                ]),
            ]
            for (name, contents) in files {
                try contents.write(to: URL(fileURLWithPath: folder).appendingPathComponent(name))
            }
        }
    }
}
