import BMETCredentials
import BMETDomain
import Fluent
import Vapor

/// Public verification: anyone can check a certificate number; the keys, the issuer profile and the revocation
/// list are published at stable addresses so a credential can be checked offline, even without this server.
struct VerificationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("verify", use: form)
        routes.get("verify", ":number", use: page)
        routes.get("api", "v1", "verify", ":number", use: api)
        routes.get(".well-known", "jwks.json", use: jwks)
        routes.get("issuer", use: issuer)
        routes.get("credentials", "status", "revocation", use: statusList)
    }

    /// What a verifier says about a number: valid, revoked or unknown, with the credential's facts.
    struct Verdict: Content {
        let number: String
        let status: String
        let name: String?
        let subject: String?
        let program: String?
        let occupation: String?
        let rapidsCode: String?
        let awardedOn: String?
        let issuers: [String]?
        let revokedOn: String?
        let revocationReason: String?
    }

    static func verdict(_ number: String, on db: any Database) async throws -> Verdict {
        let clean = number.trimmed.uppercased()
        guard clean.range(of: #"^BMET(-I)?-\d{4}-\d{6}$"#, options: .regularExpression) != nil,
              let credential = try await IssuedCredential.query(on: db).filter(\.$number == clean).with(\.$apprentice).first() else {
            return Verdict(number: clean, status: "unknown", name: nil, subject: nil, program: nil, occupation: nil, rapidsCode: nil,
                           awardedOn: nil, issuers: nil, revokedOn: nil, revocationReason: nil)
        }
        let standards = try await StandardsLibrary.standards(ofVersion: credential.apprentice.$programVersion.id, on: db)
        return Verdict(number: clean, status: credential.revokedAt == nil ? "valid" : "revoked", name: credential.name,
                       subject: credential.apprentice.fullName, program: standards.title, occupation: standards.occupation.title,
                       rapidsCode: standards.occupation.rapidsCode, awardedOn: credential.awardedOn, issuers: standards.certificateIssuers,
                       revokedOn: credential.revokedAt.map { ProgramCalendar.dayString($0) }, revocationReason: credential.revocationReason)
    }

    @Sendable func form(req: Request) async throws -> Response {
        struct View: Encodable { let verdict: Verdict?; let number: String }
        if let number = req.query[String.self, at: "number"], !number.trimmed.isEmpty {
            return req.redirect(to: "/verify/" + (number.trimmed.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? ""))
        }
        return try await req.render("verify", title: "Verify a certificate", View(verdict: nil, number: ""))
    }

    @Sendable func page(req: Request) async throws -> Response {
        struct View: Encodable { let verdict: Verdict?; let number: String }
        let verdict = try await Self.verdict(req.parameters.get("number") ?? "", on: req.db)
        return try await req.render("verify", title: "Verify \(verdict.number)", View(verdict: verdict, number: verdict.number))
    }

    @Sendable func api(req: Request) async throws -> Verdict {
        try await Self.verdict(req.parameters.get("number") ?? "", on: req.db)
    }

    @Sendable func jwks(req: Request) async throws -> Response {
        let store = CredentialIssuance.keyStore(req.application.settings)
        _ = try store.activeKey()
        return Response(status: .ok, headers: ["Content-Type": "application/jwk-set+json", "Cache-Control": "public, max-age=300"], body: .init(data: try store.jwks()))
    }

    @Sendable func issuer(req: Request) async throws -> Response {
        let settings = req.application.settings
        let version = try await ProgramVersion.query(on: req.db).sort(\.$loadedAt, .descending).first()
        let sponsor = try version.map { try StandardsLibrary.standards(of: $0).sponsor } ?? "Program sponsor"
        let profile = CredentialIssuance.issuer(sponsor: sponsor, settings: settings)
        let store = CredentialIssuance.keyStore(settings)
        _ = try store.activeKey()
        // The public keys in the profile itself too, as JSON Web Keys, so a verifier holding only the profile can check.
        let keys: [BMETCredentials.JSONValue] = try store.publicKeys().map { key in
            .object(["id": .string(key.kid), "type": .string("JsonWebKey"), "controller": .string(profile.id),
                     "publicKeyJwk": .object(key.jwk.mapValues { .string($0) })])
        }
        let document: [String: BMETCredentials.JSONValue] = [
            "verificationMethod": .array(keys),
            "@context": .array([.string("https://www.w3.org/ns/credentials/v2"), .string("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json")]),
            "id": .string(profile.id), "type": .array([.string("Profile")]), "name": .string(profile.name), "url": .string(profile.url),
            "email": .string(settings.contactEmail), "jwks": .string(settings.baseURL + CredentialIssuance.jwksPath),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(BMETCredentials.JSONValue.object(document))
        return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: data))
    }

    @Sendable func statusList(req: Request) async throws -> Response {
        let jwt = try await CredentialIssuance.statusList(settings: req.application.settings, on: req.db)
        return Response(status: .ok, headers: ["Content-Type": "application/vc+jwt", "Cache-Control": "no-cache"], body: .init(string: jwt))
    }
}
