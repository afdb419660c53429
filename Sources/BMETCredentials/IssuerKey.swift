import Crypto
import Foundation

/// An Ed25519 signing key of the issuer, named by its `kid`.
///
/// The `kid` is a URI, as Open Badges 3.0 asks of the JOSE header: `<jwksURL>#<thumbprint>` when the key store knows
/// where its JWK set is published, else the RFC 9278 URN of the key's RFC 7638 thumbprint. Either way it ends in the
/// thumbprint, so it never changes while the key exists.
public struct IssuerKey: Sendable {
    public let kid: String
    public let createdAt: Date
    let privateKey: Curve25519.Signing.PrivateKey

    init(privateKey: Curve25519.Signing.PrivateKey, createdAt: Date, keyIDBase: String?) {
        self.privateKey = privateKey
        self.createdAt = createdAt
        self.kid = JWK.keyID(thumbprint: JWK.thumbprint(x: privateKey.publicKey.rawRepresentation), base: keyIDBase)
    }

    public var publicKey: Public {
        Public(kid: kid, rawRepresentation: privateKey.publicKey.rawRepresentation, createdAt: createdAt)
    }

    func sign(_ message: Data) throws -> Data {
        try privateKey.signature(for: message)
    }

    /// The published half of an issuer key: what goes in the JWK set.
    public struct Public: Sendable, Hashable {
        public let kid: String
        /// The 32 bytes of the Ed25519 public key (the JWK `x`, before base64url).
        public let rawRepresentation: Data
        public let createdAt: Date

        /// RFC 7638 thumbprint (SHA-256, base64url) of the key.
        public var thumbprint: String { JWK.thumbprint(x: rawRepresentation) }

        /// The JWK of RFC 8037: `{"kty":"OKP","crv":"Ed25519","x":…,"kid":…,"use":"sig","alg":"EdDSA"}`. Never `d`.
        public var jwk: [String: String] {
            [
                "kty": "OKP", "crv": "Ed25519", "x": Base64URL.encode(rawRepresentation), "kid": kid, "use": "sig",
                "alg": "EdDSA",
            ]
        }
    }
}

enum JWK {
    static let thumbprintURNPrefix = "urn:ietf:params:oauth:jwk-thumbprint:sha-256:"

    /// RFC 7638: SHA-256 over the required members in lexicographic order, without whitespace.
    static func thumbprint(x: Data) -> String {
        let canonical = #"{"crv":"Ed25519","kty":"OKP","x":"\#(Base64URL.encode(x))"}"#
        return Base64URL.encode(Data(SHA256.hash(data: Data(canonical.utf8))))
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
