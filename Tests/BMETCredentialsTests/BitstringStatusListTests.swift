import Foundation
import Testing

@testable import BMETCredentials

@Suite struct BitstringStatusListTests {
    @Test func setBitsRoundTrip() throws {
        let encoded = try BitstringStatusList.encode(revoked: [0, 5, 131_071])
        #expect(encoded.hasPrefix("u"))
        for index in [0, 5, 131_071] { #expect(try BitstringStatusList.isSet(index, in: encoded), "\(index)") }
        for index in [1, 4, 6, 7, 8, 65_536, 131_070] { #expect(try !BitstringStatusList.isSet(index, in: encoded), "\(index)") }

        let bits = try BitstringStatusList.decode(encoded)
        #expect(bits.count == 131_072 / 8)
        // Bit 0 is the leftmost (most significant) bit of the first byte.
        #expect(bits[0] == 0b1000_0100)
        #expect(bits[bits.count - 1] == 0b0000_0001)
    }

    @Test func theListIsGzipInBase64URLWithoutPadding() throws {
        let encoded = try BitstringStatusList.encode(revoked: [5])
        let body = encoded.dropFirst()
        #expect(!body.contains("=") && !body.contains("+") && !body.contains("/"))
        let compressed = try #require(Base64URL.decode(body))
        #expect(Array(compressed.prefix(3)) == [0x1f, 0x8b, 0x08])  // GZIP magic, deflate
        #expect(compressed.count < 1_000)  // 16 KiB of mostly zeros compresses well
    }

    @Test func sizesAndIndexesAreChecked() throws {
        #expect(throws: StatusListError.invalidSize(1_024)) { try BitstringStatusList.encode(revoked: [], size: 1_024) }
        #expect(throws: StatusListError.invalidSize(131_073)) { try BitstringStatusList.encode(revoked: [], size: 131_073) }
        #expect(throws: StatusListError.indexOutOfRange(index: 131_072, size: 131_072)) {
            try BitstringStatusList.encode(revoked: [131_072])
        }
        let encoded = try BitstringStatusList.encode(revoked: [], size: 262_144)
        #expect(try !BitstringStatusList.isSet(262_143, in: encoded))
        #expect(throws: StatusListError.indexOutOfRange(index: 262_144, size: 262_144)) {
            try BitstringStatusList.isSet(262_144, in: encoded)
        }
        #expect(throws: StatusListError.notMultibaseBase64URL) { try BitstringStatusList.isSet(0, in: "H4sI") }
        #expect(throws: StatusListError.self) { try BitstringStatusList.isSet(0, in: "u" + Base64URL.encode(Data("plain".utf8))) }
    }

    @Test func theStatusListCredentialHasTheSpecifiedShape() throws {
        let encoded = try BitstringStatusList.encode(revoked: [5])
        let list = try JSONValue(encoding: BitstringStatusList.credential(
            id: "https://bmet.example.org/status/1", issuer: Mock.issuer, encodedList: encoded,
            validFrom: date("2026-01-01T00:00:00Z")))
        #expect(list["@context"] == .array([.string("https://www.w3.org/ns/credentials/v2")]))
        #expect(list["type"] == .array([.string("VerifiableCredential"), .string("BitstringStatusListCredential")]))
        #expect(list["credentialSubject"] == .object([
            "id": .string("https://bmet.example.org/status/1#list"), "type": .string("BitstringStatusList"),
            "statusPurpose": .string("revocation"), "encodedList": .string(encoded),
        ]))
    }

    @Test func revocationIsCheckedAgainstTheSignedList() throws {
        try withTemporaryDirectory { directory in
            let store = IssuerKeyStore(directory: directory)
            let key = try store.activeKey()
            let jwks = try store.jwks()
            let revokedToken = try OpenBadges.sign(OpenBadges.credential(Mock.completion()), with: key)  // index 5
            let keptToken = try OpenBadges.sign(OpenBadges.credential(Mock.milestone()), with: key)  // index 6
            let list = try OpenBadges.sign(
                BitstringStatusList.credential(
                    id: "https://bmet.example.org/status/1", issuer: Mock.issuer,
                    encodedList: try BitstringStatusList.encode(revoked: [5]), validFrom: date("2026-02-01T00:00:00Z")),
                with: key)

            let revoked = try CredentialVerifier.verify(revokedToken, jwks: jwks).get()
            let kept = try CredentialVerifier.verify(keptToken, jwks: jwks).get()
            let now = date("2026-02-01T06:00:00Z")
            #expect(try CredentialVerifier.isRevoked(revoked, statusList: list, jwks: jwks, now: now).get())
            #expect(try !CredentialVerifier.isRevoked(kept, statusList: list, jwks: jwks, now: now).get())
            // A snapshot older than the longest a list may be is stale: it could miss a later revocation.
            let stale = CredentialVerifier.isRevoked(kept, statusList: list, jwks: jwks, now: date("2026-02-03T00:00:01Z"))
            #expect(stale.failure?.description.contains("signed 48 h ago") == true)

            // A list of another URL, or a list not signed by a known key, proves nothing.
            let otherList = try OpenBadges.sign(
                BitstringStatusList.credential(
                    id: "https://bmet.example.org/status/2", issuer: Mock.issuer,
                    encodedList: try BitstringStatusList.encode(revoked: []), validFrom: date("2026-02-01T00:00:00Z")),
                with: key)
            #expect(CredentialVerifier.isRevoked(revoked, statusList: otherList, jwks: jwks, now: now).failure != nil)
            let strangerSet = try IssuerKeyStore(directory: directory + "-stranger").jwks()
            defer { try? FileManager.default.removeItem(atPath: directory + "-stranger") }
            #expect(CredentialVerifier.isRevoked(revoked, statusList: list, jwks: strangerSet, now: now).failure == .unknownKey(key.kid))
        }
    }
}
