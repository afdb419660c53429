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

    @Test func theKidNamesThePublishedJWKSetWhenItsURLIsKnown() throws {
        try withTemporaryDirectory { directory in
            let store = IssuerKeyStore(directory: directory, jwksURL: "https://bmet.example.org/.well-known/jwks.json")
            let key = try store.activeKey()
            #expect(key.kid == "https://bmet.example.org/.well-known/jwks.json#" + key.publicKey.thumbprint)
            // The same key on disk, read without the URL, keeps its thumbprint.
            #expect(try IssuerKeyStore(directory: directory).activeKey().publicKey.thumbprint == key.publicKey.thumbprint)
        }
    }

    @Test func jwksPublishesOnlyPublicEd25519Keys() throws {
        try withTemporaryDirectory { directory in
            let store = IssuerKeyStore(directory: directory)
            let key = try store.activeKey()
            let set = try JSONDecoder().decode([String: [[String: String]]].self, from: try store.jwks())
            #expect(set["keys"] == [[
                "kty": "OKP", "crv": "Ed25519", "x": Base64URL.encode(key.publicKey.rawRepresentation),
                "kid": key.kid, "use": "sig", "alg": "EdDSA",
            ]])
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
            let active = try String(contentsOfFile: directory + "/" + newKey.publicKey.thumbprint + ".jwk", encoding: .utf8)
            #expect(active.contains("\"d\""))
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
