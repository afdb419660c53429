import Dispatch
import Foundation
import Synchronization
import Testing

@testable import BMETCredentials

@Suite struct IssuerKeyStoreTests {
    @Test func firstKeyIsGeneratedOnceAndReloadedWithTheSameKid() throws {
        try withTemporaryDirectory { directory in
            let keysDirectory = directory + "/keys"
            let first = try IssuerKeyStore(directory: keysDirectory).activeKey()
            let again = try IssuerKeyStore(directory: keysDirectory).activeKey()
            #expect(first.kid == again.kid)
            #expect(first.publicKey == again.publicKey)
            #expect(first.kid.hasPrefix("urn:ietf:params:oauth:jwk-thumbprint:sha-256:"))

            let files = try FileManager.default.contentsOfDirectory(atPath: keysDirectory)
            #expect(files.filter { $0.hasSuffix(".jwk") }.count == 1)
            #expect(try posixMode(keysDirectory) == 0o700)
            for file in files {
                #expect(try posixMode(keysDirectory + "/" + file) == 0o600, "\(file)")
            }
        }
    }

    @Test func anExistingOpenDirectoryIsTightenedTo0700() throws {
        try withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            _ = try IssuerKeyStore(directory: directory).activeKey()
            #expect(try posixMode(directory) == 0o700)
        }
    }

    @Test func aKeyFileOthersCanReadIsRefused() throws {
        try withTemporaryDirectory { directory in
            let store = IssuerKeyStore(directory: directory)
            let key = try store.activeKey()
            let path = directory + "/" + key.publicKey.thumbprint + ".jwk"
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            #expect(throws: IssuerKeyStoreError.insecurePermissions(path: path, mode: 0o644)) { try store.activeKey() }
        }
    }

    @Test func theKidIsAVerificationMethodOfTheIssuersDID() throws {
        try withTemporaryDirectory { directory in
            let store = IssuerKeyStore(directory: directory, keyIDBase: "did:web:bmet.example.org")
            let key = try store.activeKey()
            #expect(key.kid == "did:web:bmet.example.org#" + key.publicKey.thumbprint)
            // The DID document lists it once, as a JsonWebKey assertion method: the kid dereferences to one JWK.
            let document = try JSONDecoder().decode(JSONValue.self, from: try store.didDocument())
            #expect(document["id"] == .string("did:web:bmet.example.org"))
            let methods = try #require(document["verificationMethod"]?.arrayValue)
            #expect(methods.filter { $0["id"] == .string(key.kid) }.count == 1)
            #expect(methods.first?["type"] == .string("JsonWebKey"))
            #expect(methods.first?["controller"] == .string("did:web:bmet.example.org"))
            #expect(methods.first?["publicKeyJwk"]?["kty"] == .string("RSA"))
            #expect(document["assertionMethod"] == .array([.string(key.kid)]))
            // The same key on disk, read without the URL, keeps its thumbprint.
            #expect(try IssuerKeyStore(directory: directory).activeKey().publicKey.thumbprint == key.publicKey.thumbprint)
        }
    }

    @Test func jwksPublishesOnlyPublicRSAKeysOfAtLeast2048Bits() throws {
        try withTemporaryDirectory { directory in
            let store = IssuerKeyStore(directory: directory)
            let key = try store.activeKey()
            #expect(key.algorithm == "RS256")
            let set = try JSONDecoder().decode([String: [[String: String]]].self, from: try store.jwks())
            let jwk = try #require(set["keys"]?.first)
            #expect(set["keys"]?.count == 1)
            #expect(Set(jwk.keys) == ["kty", "n", "e", "kid", "use", "alg"])
            #expect(jwk["kty"] == "RSA" && jwk["alg"] == "RS256" && jwk["use"] == "sig" && jwk["kid"] == key.kid)
            #expect(jwk["e"] == "AQAB")
            #expect((Base64URL.decode(jwk["n"] ?? "")?.count ?? 0) * 8 >= 2048)
            // The private key never leaves the key file, and the key file is the owner's only.
            let file = directory + "/" + key.publicKey.thumbprint + ".jwk"
            #expect(try posixMode(file) & 0o077 == 0)
            #expect(try String(contentsOfFile: file, encoding: .utf8).contains("\"der\""))
        }
    }

    @Test func anEd25519StoreFromBeforeRS256MovesToRSAAndKeepsItsKeyPublished() throws {
        try withTemporaryDirectory { directory in
            let store = IssuerKeyStore(directory: directory, keyIDBase: "did:web:bmet.example.org")
            let legacy = try store.installLegacyEd25519Key()
            let oldToken = try OpenBadges.sign(OpenBadges.credential(Mock.milestone()), with: legacy)
            #expect(oldToken.hasPrefix(Base64URL.encode(Data(#"{"alg":"EdDSA""#.utf8)).dropLast(2)))

            let key = try store.activeKey()
            #expect(key.algorithm == "RS256")
            #expect(try store.publicKeys().map(\.algorithm) == ["RS256", "EdDSA"])
            let jwks = try store.jwks()
            #expect(try CredentialVerifier.verify(oldToken, jwks: jwks).get().kid == legacy.kid)
            #expect(throws: Never.self) { try CredentialVerifier.verify(oldToken, jwks: try store.didDocument()).get() }
            let retired = try String(contentsOfFile: directory + "/" + legacy.publicKey.thumbprint + ".jwk", encoding: .utf8)
            #expect(!retired.contains("\"d\""))
        }
    }

    @Test func rotationKeepsOldPublicKeysAndOldCredentialsStillVerify() throws {
        try withTemporaryDirectory { directory in
            let store = IssuerKeyStore(directory: directory)
            let oldKey = try store.activeKey()
            let oldToken = try OpenBadges.sign(OpenBadges.credential(Mock.completion()), with: oldKey)

            let newKey = try store.rotate()
            #expect(newKey.kid != oldKey.kid)
            #expect(try store.activeKey().kid == newKey.kid)
            #expect(try store.publicKeys().map(\.kid) == [newKey.kid, oldKey.kid])

            let newToken = try OpenBadges.sign(OpenBadges.credential(Mock.milestone()), with: try store.activeKey())
            let jwks = try store.jwks()
            #expect(try CredentialVerifier.verify(newToken, jwks: jwks).get().kid == newKey.kid)
            #expect(try CredentialVerifier.verify(oldToken, jwks: jwks).get().kid == oldKey.kid)

            // The retired key can no longer sign: its private part is gone from disk.
            let retired = try String(contentsOfFile: directory + "/" + oldKey.publicKey.thumbprint + ".jwk", encoding: .utf8)
            #expect(!retired.contains("\"d\""))
            #expect(!retired.contains("\"der\""))
            let active = try String(contentsOfFile: directory + "/" + newKey.publicKey.thumbprint + ".jwk", encoding: .utf8)
            #expect(active.contains("\"der\""))
        }
    }

    @Test func concurrentFirstUseMakesOneKey() throws {
        try withTemporaryDirectory { directory in
            let kids = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                let kid = (try? IssuerKeyStore(directory: directory).activeKey().kid) ?? "failed"
                kids.withLock { $0.append(kid) }
            }
            let seen = kids.withLock { $0 }
            #expect(seen.count == 8)
            #expect(Set(seen).count == 1)
            #expect(!seen.contains("failed"))
            let keyFiles = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jwk") }
            #expect(keyFiles.count == 1)
        }
    }
}
