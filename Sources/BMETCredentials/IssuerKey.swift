import Crypto
import Foundation
import _CryptoExtras

/// A signing key of the issuer, named by its `kid`.
///
/// New keys are RSA (2048 bits, RS256): Open Badges 3.0 makes RS256 the algorithm every VC-JWT implementation must
/// support, and 1EdTech's validator accepts nothing else. Ed25519 keys (EdDSA) made before stay in the store, public
/// part only, so the credentials they signed still verify.
///
/// The `kid` is a URI ending in the key's RFC 7638 thumbprint: `<did>#<thumbprint>` (a verification method of the
/// issuer's DID document) when the store knows the issuer's DID, else the RFC 9278 thumbprint URN. It never changes
/// while the key exists.
public struct IssuerKey: Sendable {
    public let publicKey: Public
    let privateKey: PrivateKey

    enum PrivateKey: Sendable {
        case rsa(_RSA.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    init(privateKey: PrivateKey, createdAt: Date, keyIDBase: String?) throws {
        self.privateKey = privateKey
        let material: Public.Material
        switch privateKey {
        case .rsa(let key): material = try Public.Material(rsa: key.publicKey)
        case .ed25519(let key): material = .ed25519(key.publicKey.rawRepresentation)
        }
        publicKey = Public(material: material, createdAt: createdAt, keyIDBase: keyIDBase)
    }

    public var kid: String { publicKey.kid }
    public var createdAt: Date { publicKey.createdAt }
    /// The JOSE `alg` this key signs with: `RS256` or `EdDSA`.
    public var algorithm: String { publicKey.algorithm }

    func sign(_ message: Data) throws -> Data {
        switch privateKey {
        case .rsa(let key):
            // RS256 is RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3); swift-crypto calls that padding "insecure"
            // only to steer new protocols to PSS.
            return try key.signature(for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation
        case .ed25519(let key):
            return try key.signature(for: message)
        }
    }

    /// The published half of an issuer key: what goes in the JWK set and the DID document.
    public struct Public: Sendable, Hashable {
        public let kid: String
        public let material: Material
        public let createdAt: Date

        public enum Material: Sendable, Hashable {
            /// Big-endian modulus and public exponent, without leading zero bytes (the JWK `n` and `e`).
            case rsa(modulus: Data, exponent: Data)
            /// The 32 bytes of the Ed25519 public key (the JWK `x`).
            case ed25519(Data)

            init(rsa key: _RSA.Signing.PublicKey) throws {
                let primitives = try key.getKeyPrimitives()
                self = .rsa(modulus: primitives.modulus.trimmingLeadingZeros, exponent: primitives.publicExponent.trimmingLeadingZeros)
            }
        }

        /// A key as a verifier reads it: named by whatever `kid` it was published under.
        init(named kid: String, material: Material) {
            self.kid = kid
            self.material = material
            self.createdAt = .distantPast
        }

        init(material: Material, createdAt: Date, keyIDBase: String?) {
            self.material = material
            self.createdAt = createdAt
            self.kid = JWK.keyID(thumbprint: JWK.thumbprint(material), base: keyIDBase)
        }

        public var algorithm: String {
            switch material {
            case .rsa: return "RS256"
            case .ed25519: return "EdDSA"
            }
        }

        /// RFC 7638 thumbprint (SHA-256, base64url) of the key.
        public var thumbprint: String { JWK.thumbprint(material) }

        /// The public JWK (RFC 7517/7518, RFC 8037 for Ed25519) with `kid`, `use` and `alg`. Never a private member.
        public var jwk: [String: String] {
            var members = ["kid": kid, "use": "sig", "alg": algorithm]
            switch material {
            case .rsa(let modulus, let exponent):
                members["kty"] = "RSA"
                members["n"] = Base64URL.encode(modulus)
                members["e"] = Base64URL.encode(exponent)
            case .ed25519(let x):
                members["kty"] = "OKP"
                members["crv"] = "Ed25519"
                members["x"] = Base64URL.encode(x)
            }
            return members
        }
    }
}

enum JWK {
    static let thumbprintURNPrefix = "urn:ietf:params:oauth:jwk-thumbprint:sha-256:"
    /// The smallest RSA modulus accepted, to sign or to verify (NIST SP 800-131A; what RS256 asks of a key).
    static let minimumRSABits = 2048

    /// RFC 7638: SHA-256 over the required members in lexicographic order, without whitespace.
    static func thumbprint(_ material: IssuerKey.Public.Material) -> String {
        let canonical: String
        switch material {
        case .rsa(let modulus, let exponent):
            canonical = #"{"e":"\#(Base64URL.encode(exponent))","kty":"RSA","n":"\#(Base64URL.encode(modulus))"}"#
        case .ed25519(let x):
            canonical = #"{"crv":"Ed25519","kty":"OKP","x":"\#(Base64URL.encode(x))"}"#
        }
        return Base64URL.encode(Data(SHA256.hash(data: Data(canonical.utf8))))
    }

    /// The public key a JWK carries, when it is an Ed25519 key or an RSA key of at least 2048 bits meant for
    /// signing; nil for anything else.
    static func material(of jwk: JSONValue) -> IssuerKey.Public.Material? {
        guard jwk["use"].map({ $0.stringValue == "sig" }) ?? true else { return nil }
        switch jwk["kty"]?.stringValue {
        case "OKP":
            guard jwk["crv"]?.stringValue == "Ed25519", jwk["alg"].map({ $0.stringValue == "EdDSA" }) ?? true,
                let x = jwk["x"]?.stringValue, let raw = Base64URL.decode(x), raw.count == 32
            else { return nil }
            return .ed25519(raw)
        case "RSA":
            guard jwk["alg"].map({ $0.stringValue == "RS256" }) ?? true, let n = jwk["n"]?.stringValue,
                let e = jwk["e"]?.stringValue, let modulus = Base64URL.decode(n), let exponent = Base64URL.decode(e),
                modulus.first != 0, modulus.count * 8 >= minimumRSABits, !exponent.isEmpty
            else { return nil }
            return .rsa(modulus: modulus, exponent: exponent)
        default:
            return nil
        }
    }

    static func keyID(thumbprint: String, base: String?) -> String {
        if let base, !base.isEmpty { return "\(base)#\(thumbprint)" }
        return thumbprintURNPrefix + thumbprint
    }

    /// The thumbprint a `kid` of ours ends in: after `#`, or after the RFC 9278 prefix. Nil for anything else.
    static func thumbprint(inKeyID kid: String) -> String? {
        if kid.hasPrefix(thumbprintURNPrefix) { return String(kid.dropFirst(thumbprintURNPrefix.count)) }
        if let hash = kid.lastIndex(of: "#") { return String(kid[kid.index(after: hash)...]) }
        return nil
    }

    /// The JWK set document, keys in the given order, bytes stable for the same keys.
    static func set(_ keys: [IssuerKey.Public]) throws -> Data {
        try CredentialJSON.encoder.encode(["keys": keys.map(\.jwk)])
    }
}

extension Data {
    var trimmingLeadingZeros: Data {
        let trimmed = drop(while: { $0 == 0 })
        return trimmed.isEmpty ? Data([0]) : Data(trimmed)
    }
}
