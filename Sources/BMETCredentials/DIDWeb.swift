import Foundation

/// The `did:web` method (W3C CCG): a DID made from the issuer's https address, whose DID document is served at
/// `https://<host>/.well-known/did.json` (or `https://<host>/<path>/did.json` when the DID has a path).
public enum DIDWeb {
    /// `https://bmet.example.org` → `did:web:bmet.example.org`; a port is percent-encoded
    /// (`did:web:localhost%3A8080`), path segments become `:`-separated. Nil for a URL without a host.
    public static func did(forBaseURL baseURL: String) -> String? {
        guard let components = URLComponents(string: baseURL), let host = components.host, !host.isEmpty else {
            return nil
        }
        var identifier = host.lowercased()
        if let port = components.port { identifier += "%3A\(port)" }
        let segments = components.path.split(separator: "/").map { segment in
            String(segment).addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", ".", "_"])) ?? ""
        }
        return (["did:web:" + identifier] + segments).joined(separator: ":")
    }

    /// The https URL a `did:web` DID's document is read from; nil when `did` is no did:web DID.
    public static func documentURL(for did: String) -> String? {
        guard did.hasPrefix("did:web:") else { return nil }
        let parts = did.dropFirst("did:web:".count).split(separator: ":", omittingEmptySubsequences: false)
        guard let host = parts.first?.removingPercentEncoding, !host.isEmpty else { return nil }
        let path = parts.dropFirst().compactMap { $0.removingPercentEncoding }
        return "https://" + host + (path.isEmpty ? "/.well-known/did.json" : "/" + path.joined(separator: "/") + "/did.json")
    }

    /// The DID document: every key as a `JsonWebKey` verification method (`id` = the key's `kid`), each one listed
    /// under `assertionMethod`, so a verifier that dereferences a `kid` finds exactly one JWK.
    public static func document(did: String, keys: [IssuerKey.Public]) throws -> Data {
        let methods: [JSONValue] = keys.map { key in
            .object([
                "id": .string(key.kid), "type": .string("JsonWebKey"), "controller": .string(did),
                "publicKeyJwk": .object(key.jwk.mapValues { .string($0) }),
            ])
        }
        let document: JSONValue = .object([
            "@context": .array([.string("https://www.w3.org/ns/did/v1.1")]),
            "id": .string(did),
            "verificationMethod": .array(methods),
            "assertionMethod": .array(keys.map { .string($0.kid) }),
        ])
        return try CredentialJSON.encoder.encode(document)
    }
}
