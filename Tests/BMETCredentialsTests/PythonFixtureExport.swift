import Foundation
import Testing

@testable import BMETCredentials

/// Writes signed credentials for the independent Python verifier (tests/credentials), which checks them with
/// other code than ours. Runs only when BMET_VC_FIXTURES names the folder to write to (scripts/test.sh sets it).
@Suite struct PythonFixtureExport {
    static let folder = ProcessInfo.processInfo.environment["BMET_VC_FIXTURES"]

    @Test(.enabled(if: folder != nil, "BMET_VC_FIXTURES is not set"))
    func writeFixturesForThePythonVerifier() throws {
        let folder = try #require(Self.folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try withTemporaryDirectory { keys in
            let store = IssuerKeyStore(directory: keys, jwksURL: "https://bmet.example.org/.well-known/jwks.json")

            // A milestone signed with the first key, which is then retired.
            let oldToken = try OpenBadges.sign(OpenBadges.credential(Mock.milestone()), with: try store.activeKey())
            try store.rotate()
            let key = try store.activeKey()
            let completion = Mock.completion()
            let token = try OpenBadges.sign(OpenBadges.credential(completion), with: key)
            let jwks = try store.jwks()

            // Tampered: the name changed in the payload, the header and signature kept.
            let parts = token.split(separator: ".").map(String.init)
            let payload = String(decoding: Base64URL.decode(parts[1])!, as: UTF8.self)
            #expect(payload.contains("Jordan Rivera"))
            let forgedPayload = payload.replacingOccurrences(of: "Jordan Rivera", with: "Jordan Riviera")
            let tampered = parts[0] + "." + Base64URL.encode(Data(forgedPayload.utf8)) + "." + parts[2]

            let revoked: Set<Int> = [completion.status!.index, 131_071]
            let statusList = try OpenBadges.sign(
                BitstringStatusList.credential(
                    id: completion.status!.listCredentialURL, issuer: Mock.issuer,
                    encodedList: try BitstringStatusList.encode(revoked: revoked),
                    validFrom: date("2026-02-01T00:00:00Z")),
                with: key)

            let clr = try OpenBadges.sign(
                try OpenBadges.clr(
                    name: "BMET Apprenticeship Record — Jordan Rivera", issuer: Mock.issuer,
                    subjectName: completion.subjectName, subjectEmail: completion.subjectEmail,
                    credentials: [oldToken, token], validFrom: date("2026-01-16T09:00:00Z"),
                    id: "https://bmet.example.org/records/BMET-2026-000123", emailSalt: "0123456789abcdef"),
                with: key)

            // Our own verifier agrees before the other one is asked.
            #expect(throws: Never.self) { try CredentialVerifier.verify(token, jwks: jwks).get() }
            #expect(throws: Never.self) { try CredentialVerifier.verify(oldToken, jwks: jwks).get() }
            #expect(CredentialVerifier.verify(tampered, jwks: jwks).failure == .badSignature)

            let expected: [String: JSONValue] = [
                "activeKid": .string(key.kid),
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
                "expected.json": try CredentialJSON.prettyEncoder.encode(expected),
            ]
            for (name, contents) in files {
                try contents.write(to: URL(fileURLWithPath: folder).appendingPathComponent(name))
            }
        }
    }
}
