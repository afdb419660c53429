import Foundation
import Testing

@testable import BMETCredentials

/// Writes signed credentials for the independent Python verifier (checks/credentials), which checks them with
/// other code than ours. Runs only when BMET_VC_FIXTURES names the folder to write to (scripts/test.sh sets it).
@Suite struct PythonFixtureExport {
    static let folder = ProcessInfo.processInfo.environment["BMET_VC_FIXTURES"]

    @Test(.enabled(if: folder != nil, "BMET_VC_FIXTURES is not set"))
    func writeFixturesForThePythonVerifier() throws {
        let folder = try #require(Self.folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try withTemporaryDirectory { keys in
            let store = IssuerKeyStore(directory: keys, keyIDBase: Mock.did)

            // A milestone signed with an Ed25519 key, as credentials were before RS256; the store then moves to RSA.
            let oldToken = try OpenBadges.sign(OpenBadges.credential(Mock.milestone()), with: try store.installLegacyEd25519Key())
            let key = try store.activeKey()
            var completion = Mock.completion(subjectID: Mock.subjectID)
            completion.issuer = Mock.didIssuer
            completion.alignments = Mock.alignments
            let token = try OpenBadges.sign(OpenBadges.credential(completion), with: key)
            let jwks = try store.jwks()

            // Tampered: the name changed in the payload, the header and signature kept.
            let parts = token.split(separator: ".").map(String.init)
            let payload = String(decoding: Base64URL.decode(parts[1])!, as: UTF8.self)
            #expect(payload.contains("Jordan Rivera"))
            let forgedPayload = payload.replacingOccurrences(of: "Jordan Rivera", with: "Jordan Riviera")
            let tampered = parts[0] + "." + Base64URL.encode(Data(forgedPayload.utf8)) + "." + parts[2]

            // Signed as the web app signs it: a little in the past, so a verifier whose clock is behind accepts it.
            let revoked: Set<Int> = [completion.status!.index, 131_071]
            let signedAt = CredentialDate.wholeSeconds(Date().addingTimeInterval(-300))
            let statusList = try OpenBadges.sign(
                BitstringStatusList.credential(
                    id: completion.status!.listCredentialURL, issuer: Mock.didIssuer,
                    encodedList: try BitstringStatusList.encode(revoked: revoked),
                    validFrom: signedAt, validUntil: signedAt.addingTimeInterval(2 * 86_400), ttl: 3_600),
                with: key)

            let clr = try OpenBadges.sign(
                try OpenBadges.clr(
                    name: "BMET Apprenticeship Record — Jordan Rivera", issuer: Mock.didIssuer,
                    subjectName: completion.subjectName, subjectEmail: completion.subjectEmail,
                    subjectID: Mock.subjectID, credentials: [oldToken, token], validFrom: date("2026-01-16T09:00:00Z"),
                    id: "urn:uuid:0f0e0d0c-0b0a-4909-8807-060504030201", emailSalt: "0123456789abcdef"),
                with: key)

            // Our own verifier agrees before the other one is asked.
            #expect(throws: Never.self) { try CredentialVerifier.verify(token, jwks: jwks).get() }
            #expect(throws: Never.self) { try CredentialVerifier.verify(oldToken, jwks: jwks).get() }
            #expect(CredentialVerifier.verify(tampered, jwks: jwks).failure == .badSignature)
            #expect(throws: Never.self) { try CredentialVerifier.verifyRecord(clr, jwks: try store.didDocument()).get() }

            let expected: [String: JSONValue] = [
                "activeKid": .string(key.kid),
                "did": .string(Mock.did),
                "subjectID": .string(Mock.subjectID),
                "subjectEmail": .string(completion.subjectEmail!),
                "revokedIndices": .array(revoked.sorted().map { .int($0) }),
                "notRevokedIndex": .int(Mock.milestone().status!.index),
            ]
            let files: [String: Data] = [
                "credential.jwt": Data(token.utf8),
                "old-credential.jwt": Data(oldToken.utf8),
                "tampered.jwt": Data(tampered.utf8),
                "statuslist.jwt": Data(statusList.utf8),
                "clr.jwt": Data(clr.utf8),
                "jwks.json": jwks,
                "did.json": try store.didDocument(),
                "expected.json": try CredentialJSON.prettyEncoder.encode(expected),
            ]
            for (name, contents) in files {
                try contents.write(to: URL(fileURLWithPath: folder).appendingPathComponent(name))
            }
        }
    }
}
