import Foundation
import JWTKit
import Testing

@testable import BMETCredentials

/// Vapor's jwt-kit, a JOSE implementation that shares nothing with ours, reads the published JWK set and verifies
/// what we sign: RS256 now, EdDSA from before; and refuses a token changed after signing.
@Suite struct JWTKitInteropTests {
    struct Claims: JWTPayload {
        var iss: IssuerClaim
        var sub: SubjectClaim?
        var jti: IDClaim
        var nbf: NotBeforeClaim
        var name: String

        func verify(using algorithm: some JWTAlgorithm) async throws {
            try nbf.verifyNotBefore()
        }
    }

    @Test func jwtKitVerifiesOurRS256AndEdDSATokensFromThePublishedKeySet() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bmet-jwtkit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = IssuerKeyStore(directory: directory, keyIDBase: Mock.did)
        let old = try OpenBadges.sign(OpenBadges.credential(Mock.milestone()), with: try store.installLegacyEd25519Key())
        var facts = Mock.completion(subjectID: Mock.subjectID)
        facts.issuer = Mock.didIssuer
        let token = try OpenBadges.sign(OpenBadges.credential(facts), with: try store.activeKey())

        let keys = try await JWTKeyCollection().add(jwksJSON: String(decoding: try store.jwks(), as: UTF8.self))
        let claims = try await keys.verify(token, as: Claims.self)
        #expect(claims.iss.value == Mock.did)
        #expect(claims.sub?.value == Mock.subjectID)
        #expect(claims.jti.value == facts.credentialID)
        let oldClaims = try await keys.verify(old, as: Claims.self)
        #expect(oldClaims.name == "Electrical Safety Testing")

        let parts = token.split(separator: ".").map(String.init)
        let payload = String(decoding: Base64URL.decode(parts[1])!, as: UTF8.self).replacingOccurrences(of: "Jordan Rivera", with: "Jordan Riviera")
        let tampered = parts[0] + "." + Base64URL.encode(Data(payload.utf8)) + "." + parts[2]
        await #expect(throws: (any Error).self) { try await keys.verify(tampered, as: Claims.self) }
    }
}
