import Crypto
import Foundation
import _CryptoExtras

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The issuer's signing keys, one file each in a directory of their own.
///
/// - The directory is `0700` (created so, or tightened to it) and every file in it `0600`; a key file that others
///   can read is refused, since that key may have leaked. Key material is never logged or put in an error message.
/// - `<thumbprint>.jwk` holds one key as a public JWK plus its creation time and, for the active key only, its
///   private part (`d` for Ed25519, `der`: the PKCS#1 DER for RSA). `rotate()` strips the private part from the key
///   it retires, so an old key can still verify what it signed but can never sign again.
/// - New keys are RSA 2048 (RS256). A store whose active key is an Ed25519 key made before RS256 rotates to a new
///   RSA key the first time a key is asked for; the Ed25519 key stays published.
/// - `active` names the active key by thumbprint. Every change is written to a temporary file, synced and renamed
///   into place, under an exclusive `flock` on `.lock`, so two processes (or threads) never make two first keys.
public struct IssuerKeyStore: Sendable {
    public let directory: String
    /// What each `kid` starts with: the issuer's DID (e.g. `did:web:bmet.example.org`), so that the `kid`
    /// `<did>#<thumbprint>` names one verification method of the DID document. When nil, the `kid` is the key's
    /// RFC 9278 thumbprint URN.
    public let keyIDBase: String?

    public init(directory: String, keyIDBase: String? = nil) {
        self.directory = directory
        self.keyIDBase = keyIDBase
    }

    /// The key new credentials are signed with (RSA, RS256); the first call on an empty directory, or on one whose
    /// active key is an older Ed25519 key, generates it.
    public func activeKey() throws -> IssuerKey {
        try withLock {
            if let active = try activeKeyIfAny(), active.algorithm == "RS256" { return active }
            return try rotateLocked()
        }
    }

    /// Generates a new active key. The retired key stays in the JWK set (public part only), so every credential it
    /// signed still verifies.
    @discardableResult
    public func rotate() throws -> IssuerKey {
        try withLock { try rotateLocked() }
    }

    /// Every key ever used, the active one first, then newest to oldest.
    public func publicKeys() throws -> [IssuerKey.Public] {
        try withLock {
            let active = try readActivePointer()
            let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jwk") }
            let keys = try names.map { name in
                try readStoredKey(thumbprint: String(name.dropLast(".jwk".count))).publicKey(keyIDBase: keyIDBase)
            }
            return keys.sorted { left, right in
                if (left.thumbprint == active) != (right.thumbprint == active) { return left.thumbprint == active }
                if left.createdAt != right.createdAt { return left.createdAt > right.createdAt }
                return left.thumbprint < right.thumbprint
            }
        }
    }

    /// The JWK set to publish: `{"keys":[{"kty":"RSA","n":…,"e":…,"kid":…,"use":"sig","alg":"RS256"}, …]}`.
    public func jwks() throws -> Data {
        try JWK.set(publicKeys())
    }

    /// The DID document to publish for `keyIDBase` (a did:web DID): every key as a verification method.
    public func didDocument() throws -> Data {
        guard let did = keyIDBase else {
            throw IssuerKeyStoreError.unreadableKey(path: directory, reason: "the store was opened without a DID")
        }
        return try DIDWeb.document(did: did, keys: publicKeys())
    }

    // MARK: - Keys on disk

    private struct StoredKey: Codable {
        var kty: String
        var crv: String?
        var x: String?
        var n: String?
        var e: String?
        /// The Ed25519 seed (RFC 8037 `d`).
        var d: String?
        /// The RSA private key, PKCS#1 DER, base64url.
        var der: String?
        var created: String

        var material: IssuerKey.Public.Material? {
            switch kty {
            case "OKP":
                guard crv == "Ed25519", let x, let raw = Base64URL.decode(x), raw.count == 32 else { return nil }
                return .ed25519(raw)
            case "RSA":
                guard let n, let e, let modulus = Base64URL.decode(n), let exponent = Base64URL.decode(e) else {
                    return nil
                }
                return .rsa(modulus: modulus, exponent: exponent)
            default:
                return nil
            }
        }

        init(publicKey: IssuerKey.Public, privateDER: Data) {
            kty = "RSA"
            if case .rsa(let modulus, let exponent) = publicKey.material {
                n = Base64URL.encode(modulus)
                e = Base64URL.encode(exponent)
            }
            der = Base64URL.encode(privateDER)
            created = CredentialDate.string(publicKey.createdAt)
        }

        init(ed25519 privateKey: Curve25519.Signing.PrivateKey, createdAt: Date) {
            kty = "OKP"
            crv = "Ed25519"
            x = Base64URL.encode(privateKey.publicKey.rawRepresentation)
            d = Base64URL.encode(privateKey.rawRepresentation)
            created = CredentialDate.string(createdAt)
        }

        var withoutPrivatePart: StoredKey {
            var copy = self
            copy.d = nil
            copy.der = nil
            return copy
        }

        func publicKey(keyIDBase: String?) throws -> IssuerKey.Public {
            guard let material, let createdAt = CredentialDate.parse(created) else {
                throw IssuerKeyStoreError.unreadableKey(path: "a \(kty) key", reason: "its public part is unreadable")
            }
            return IssuerKey.Public(material: material, createdAt: createdAt, keyIDBase: keyIDBase)
        }
    }

    private func rotateLocked() throws -> IssuerKey {
        let retired = try readActivePointer()
        let key = try generateKey()
        try writeActivePointer(thumbprint: key.publicKey.thumbprint)
        if let retired, retired != key.publicKey.thumbprint {
            let stored = try readStoredKey(thumbprint: retired)
            try writeFile(named: retired + ".jwk", contents: CredentialJSON.prettyEncoder.encode(stored.withoutPrivatePart))
        }
        return key
    }

    private func generateKey() throws -> IssuerKey {
        let privateKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let createdAt = CredentialDate.wholeSeconds(Date())
        let key = try IssuerKey(privateKey: .rsa(privateKey), createdAt: createdAt, keyIDBase: keyIDBase)
        let stored = StoredKey(publicKey: key.publicKey, privateDER: privateKey.derRepresentation)
        try writeFile(named: key.publicKey.thumbprint + ".jwk", contents: CredentialJSON.prettyEncoder.encode(stored))
        return key
    }

    /// Makes an Ed25519 key the active one, as a store made before RS256 had it: for tests of what such stores
    /// become, and of the credentials they signed.
    func installLegacyEd25519Key(_ privateKey: Curve25519.Signing.PrivateKey = .init()) throws -> IssuerKey {
        try withLock {
            let createdAt = CredentialDate.wholeSeconds(Date())
            let key = try IssuerKey(privateKey: .ed25519(privateKey), createdAt: createdAt, keyIDBase: keyIDBase)
            let stored = StoredKey(ed25519: privateKey, createdAt: createdAt)
            try writeFile(named: key.publicKey.thumbprint + ".jwk", contents: CredentialJSON.prettyEncoder.encode(stored))
            try writeActivePointer(thumbprint: key.publicKey.thumbprint)
            return key
        }
    }

    private func activeKeyIfAny() throws -> IssuerKey? {
        guard let thumbprint = try readActivePointer() else { return nil }
        let stored = try readStoredKey(thumbprint: thumbprint)
        let path = self.path(thumbprint + ".jwk")
        let createdAt = try stored.publicKey(keyIDBase: keyIDBase).createdAt
        let key: IssuerKey
        if let der = stored.der {
            guard let bytes = Base64URL.decode(der), let privateKey = try? _RSA.Signing.PrivateKey(derRepresentation: bytes),
                privateKey.keySizeInBits >= JWK.minimumRSABits
            else {
                throw IssuerKeyStoreError.unreadableKey(path: path, reason: "its RSA private part is unreadable")
            }
            key = try IssuerKey(privateKey: .rsa(privateKey), createdAt: createdAt, keyIDBase: keyIDBase)
        } else if let d = stored.d {
            guard let seed = Base64URL.decode(d), let privateKey = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)
            else {
                throw IssuerKeyStoreError.unreadableKey(path: path, reason: "its Ed25519 private part is unreadable")
            }
            key = try IssuerKey(privateKey: .ed25519(privateKey), createdAt: createdAt, keyIDBase: keyIDBase)
        } else {
            throw IssuerKeyStoreError.unreadableKey(path: path, reason: "the active key has no private part")
        }
        guard key.publicKey.thumbprint == thumbprint else {
            throw IssuerKeyStoreError.unreadableKey(path: path, reason: "its private and public parts do not match")
        }
        return key
    }

    private func readStoredKey(thumbprint: String) throws -> StoredKey {
        let path = self.path(thumbprint + ".jwk")
        let stored: StoredKey
        do {
            stored = try JSONDecoder().decode(StoredKey.self, from: try readFile(path))
        } catch let error as IssuerKeyStoreError {
            throw error
        } catch {
            throw IssuerKeyStoreError.unreadableKey(path: path, reason: "not a key file")
        }
        guard let material = stored.material, JWK.thumbprint(material) == thumbprint else {
            throw IssuerKeyStoreError.unreadableKey(path: path, reason: "not the key its name says")
        }
        return stored
    }

    private func readActivePointer() throws -> String? {
        let path = self.path("active")
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text = String(decoding: try readFile(path), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, Base64URL.decode(text)?.count == 32 else {
            throw IssuerKeyStoreError.unreadableKey(path: path, reason: "does not name a key")
        }
        return text
    }

    private func writeActivePointer(thumbprint: String) throws {
        try writeFile(named: "active", contents: Data((thumbprint + "\n").utf8))
    }

    // MARK: - Files, permissions and the lock

    private func path(_ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }

    /// Creates the directory `0700`, or tightens an existing one to `0700`.
    private func prepareDirectory() throws {
        var info = stat()
        if lstat(directory, &info) != 0 {
            do {
                try FileManager.default.createDirectory(
                    atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw IssuerKeyStoreError.io(path: directory, operation: "create the key directory", code: errno)
            }
            guard lstat(directory, &info) == 0 else {
                throw IssuerKeyStoreError.io(path: directory, operation: "inspect the key directory", code: errno)
            }
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw IssuerKeyStoreError.unreadableKey(path: directory, reason: "is not a directory")
        }
        if info.st_mode & 0o777 != 0o700, chmod(directory, 0o700) != 0 {
            throw IssuerKeyStoreError.io(path: directory, operation: "restrict the key directory to 0700", code: errno)
        }
    }

    private func withLock<T>(_ body: () throws -> T) throws -> T {
        try prepareDirectory()
        let lockPath = path(".lock")
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw IssuerKeyStoreError.io(path: lockPath, operation: "open the lock file", code: errno)
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw IssuerKeyStoreError.io(path: lockPath, operation: "lock the key directory", code: errno)
            }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// Reads a file that only its owner may read or write: no symlink, a regular file, mode `0600` or stricter.
    private func readFile(_ path: String) throws -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else { throw IssuerKeyStoreError.io(path: path, operation: "open", code: errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw IssuerKeyStoreError.io(path: path, operation: "inspect", code: errno)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw IssuerKeyStoreError.unreadableKey(path: path, reason: "is not a regular file")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw IssuerKeyStoreError.insecurePermissions(path: path, mode: Int(info.st_mode & 0o777))
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw IssuerKeyStoreError.io(path: path, operation: "read", code: errno)
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return data
    }

    /// Writes `0600` to a new temporary file, syncs it, renames it over `name` and syncs the directory.
    private func writeFile(named name: String, contents: Data) throws {
        let finalPath = path(name)
        let temporaryPath = path(".\(name).\(UUID().uuidString).tmp")
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw IssuerKeyStoreError.io(path: temporaryPath, operation: "create", code: errno)
        }
        var renamed = false
        defer { if !renamed { unlink(temporaryPath) } }
        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, 0o600) == 0 else {
                throw IssuerKeyStoreError.io(path: temporaryPath, operation: "chmod 0600", code: errno)
            }
            try contents.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw IssuerKeyStoreError.io(path: temporaryPath, operation: "write", code: errno)
                    }
                    offset += written
                }
            }
            guard fsync(descriptor) == 0 else {
                throw IssuerKeyStoreError.io(path: temporaryPath, operation: "sync", code: errno)
            }
        }
        guard rename(temporaryPath, finalPath) == 0 else {
            throw IssuerKeyStoreError.io(path: finalPath, operation: "rename into place", code: errno)
        }
        renamed = true
        let directoryDescriptor = open(directory, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}

public enum IssuerKeyStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A key file that group or others may read or write: the key may have leaked, so it is not used.
    case insecurePermissions(path: String, mode: Int)
    case unreadableKey(path: String, reason: String)
    case io(path: String, operation: String, code: Int32)

    public var description: String {
        switch self {
        case .insecurePermissions(let path, let mode):
            return "The key file \(path) has mode \(String(mode, radix: 8)); it must be 600 (owner only). "
                + "Treat the key as possibly leaked: rotate, or fix the mode if you know it was never exposed."
        case .unreadableKey(let path, let reason):
            return "The key file \(path) cannot be used: \(reason)."
        case .io(let path, let operation, let code):
            return "Could not \(operation) \(path): \(String(cString: strerror(code)))."
        }
    }
}
