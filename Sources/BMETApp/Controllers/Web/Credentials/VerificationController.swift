import BMETCredentials
import BMETDomain
import Fluent
import Vapor

/// Public verification: anyone can check a certificate number or a credential file; the keys, the issuer's DID
/// document and profile and the revocation list are published at stable addresses so a credential can be checked
/// offline, even without this server. Every route here is public on purpose; the lookups are rate-limited.
struct VerificationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let limited = routes.grouped(VerificationThrottle.Middleware())
        limited.get("verify", use: form)
        limited.post("verify", use: checkFile)
        limited.get("verify", ":number", use: page)
        limited.get("api", "v1", "verify", ":number", use: api)
        routes.get(".well-known", "jwks.json", use: jwks)
        routes.get(".well-known", "did.json", use: didDocument)
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
        /// The Department of Labor's own Certificate of Completion, when the sponsor has recorded it.
        var dolCertificate: String? = nil
    }

    static func verdict(_ number: String, on db: any Database) async throws -> Verdict {
        let clean = number.trimmed.uppercased()
        guard clean.range(of: CredentialIssuance.numberPattern, options: .regularExpression) != nil,
              let credential = try await IssuedCredential.query(on: db).filter(\.$number == clean).with(\.$apprentice).first() else {
            return Verdict(number: clean, status: "unknown", name: nil, subject: nil, program: nil, occupation: nil, rapidsCode: nil,
                           awardedOn: nil, issuers: nil, revokedOn: nil, revocationReason: nil)
        }
        let standards = try await StandardsLibrary.standards(ofVersion: credential.apprentice.$programVersion.id, on: db)
        return Verdict(number: clean, status: credential.revokedAt == nil ? "valid" : "revoked", name: credential.name,
                       subject: credential.apprentice.fullName, program: standards.title, occupation: standards.occupation.title,
                       rapidsCode: standards.occupation.rapidsCode, awardedOn: credential.awardedOn, issuers: [standards.sponsor],
                       revokedOn: credential.revokedAt.map { ProgramCalendar.dayString($0) }, revocationReason: credential.revocationReason,
                       dolCertificate: credential.kind == .certificate ? credential.apprentice.dolCertificateText : nil)
    }

    @Sendable func form(req: Request) async throws -> Response {
        if let number = req.query[String.self, at: "number"], !number.trimmed.isEmpty {
            return req.redirect(to: "/verify/" + (number.trimmed.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-"])) ?? ""))
        }
        return try await req.render("verify", title: "Verify a certificate", View(verdict: nil, number: ""))
    }

    /// A credential file, uploaded or pasted, checked for real: signature, issuer, dates and revocation.
    @Sendable func checkFile(req: Request) async throws -> Response {
        struct Input: Decodable { var credential: String?; var file: File? }
        let input = try? req.formInput(Input.self)
        let pasted = input?.credential?.trimmed ?? ""
        var errors = req.storage[Request.FormProblemsKey.self] ?? [:]
        var text = pasted
        if let file = input?.file, file.data.readableBytes > 0 {
            if file.data.readableBytes > FileVerification.maximumBytes {
                errors["file"] = "This file is larger than any credential (\(FileVerification.maximumBytes / 1024) KB at most). Choose the .jwt file you were given."
            } else if let contents = file.data.getString(at: file.data.readerIndex, length: file.data.readableBytes), !contents.contains("\u{0}") {
                text = contents.trimmed
            } else {
                errors["file"] = "This file is not text, so it is not a credential. Choose the .jwt file you were given."
            }
        } else if pasted.isEmpty, errors.isEmpty {
            errors["credential"] = "Choose a credential file (.jwt) or paste the credential's text."
        }
        if pasted.utf8.count > FileVerification.maximumBytes {
            errors["credential"] = "This text is longer than any credential (\(FileVerification.maximumBytes / 1024) KB at most)."
        }
        guard errors.isEmpty else {
            return try await req.render("verify", title: "Verify a credential",
                                        View(verdict: nil, number: "", pasted: String(pasted.prefix(FileVerification.maximumBytes)), errors: errors),
                                        status: .unprocessableEntity)
        }
        let verdict = try await FileVerification.check(text, settings: req.application.settings, on: req.db)
        return try await req.render("verify", title: verdict.valid ? "Valid credential" : "Credential not valid",
                                    View(verdict: nil, number: "", file: verdict, pasted: verdict.valid ? "" : pasted),
                                    status: verdict.valid ? .ok : .unprocessableEntity)
    }

    @Sendable func page(req: Request) async throws -> Response {
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

    /// The sponsor's did:web DID document: every key, each a `JsonWebKey` verification method whose `id` is the
    /// `kid` of the credentials it signed.
    @Sendable func didDocument(req: Request) async throws -> Response {
        let store = CredentialIssuance.keyStore(req.application.settings)
        _ = try store.activeKey()
        return Response(status: .ok, headers: ["Content-Type": "application/did+json", "Cache-Control": "public, max-age=300"],
                        body: .init(data: try store.didDocument()))
    }

    /// The issuer's Open Badges `Profile`, with only terms its contexts define; the keys are in the DID document.
    @Sendable func issuer(req: Request) async throws -> Response {
        let settings = req.application.settings
        let version = try await ProgramVersion.query(on: req.db).sort(\.$loadedAt, .descending).first()
        let sponsor = try version.map { try StandardsLibrary.standards(of: $0).sponsor } ?? "Program sponsor"
        let profile = CredentialIssuance.issuer(sponsor: sponsor, settings: settings)
        let document: [String: BMETCredentials.JSONValue] = [
            "@context": .array([.string(CredentialContext.verifiableCredentialsV2), .string(CredentialContext.openBadgesV3)]),
            "id": .string(profile.id), "type": .array([.string("Profile")]), "name": .string(profile.name), "url": .string(profile.url),
            "email": .string(settings.contactEmail),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(BMETCredentials.JSONValue.object(document))
        return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: data))
    }

    @Sendable func statusList(req: Request) async throws -> Response {
        let jwt = try await CredentialIssuance.statusList(settings: req.application.settings, cache: req.application.statusListCache, on: req.db)
        let maxAge = Int(CredentialIssuance.statusListTTL)
        return Response(status: .ok, headers: ["Content-Type": "application/vc+jwt", "Cache-Control": "public, max-age=\(maxAge)"], body: .init(string: jwt))
    }
}
