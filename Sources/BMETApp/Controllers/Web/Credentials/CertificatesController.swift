import BMETDocuments
import BMETDomain
import Fluent
import Vapor

/// The apprentice's certificate, transcript and credentials to download, and revocation by the sponsor.
struct CertificatesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(RoleGuard())
        signedIn.get("apprentices", ":apprenticeID", "certificate.pdf", use: certificatePDF)
        signedIn.get("apprentices", ":apprenticeID", "transcript.pdf", use: transcriptPDF)
        signedIn.get("apprentices", ":apprenticeID", "clr.jwt", use: clr)
        signedIn.get("apprentices", ":apprenticeID", "credentials", ":number", use: credential)
        routes.grouped(RoleGuard(.programAdmin)).post("credentials", ":number", "revoke", use: revoke)
    }

    private func certificate(of apprentice: Apprentice, on db: any Database) async throws -> IssuedCredential {
        guard let certificate = try await IssuedCredential.query(on: db).filter(\.$apprentice.$id == apprentice.requireID())
            .filter(\.$kind == .certificate).first() else {
            throw Abort(.notFound, reason: "No certificate has been issued to \(apprentice.fullName) yet: it comes with completion.")
        }
        return certificate
    }

    private func pdf(_ data: Data, name: String) -> Response {
        Response(status: .ok, headers: ["Content-Type": "application/pdf", "Content-Disposition": "inline; filename=\"\(name)\""], body: .init(data: data))
    }

    @Sendable func certificatePDF(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let certificate = try await certificate(of: apprentice, on: req.db)
        if let revoked = certificate.revokedAt {
            // A revoked certificate is not handed out again, even to its holder: the reason says why.
            throw Abort(.gone, reason: "Certificate \(certificate.number) was revoked on \(ProgramCalendar.dayString(revoked)): \(certificate.revocationReason ?? "no reason recorded"). "
                        + "It can no longer be downloaded; its verification page says it is revoked.")
        }
        let facts = try await DocumentFacts.certificate(certificate, apprentice: apprentice, settings: req.application.settings, on: req.db)
        return pdf(try CertificatePDF.render(facts), name: "\(certificate.number).pdf")
    }

    @Sendable func transcriptPDF(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let certificate = try await IssuedCredential.query(on: req.db).filter(\.$apprentice.$id == apprentice.requireID()).filter(\.$kind == .certificate).first()
        let facts = try await DocumentFacts.transcript(apprentice, certificate: certificate, settings: req.application.settings, on: req.db)
        try await AuditLog.record(.personalDataExported, .apprentice(apprentice.id), "Transcript of \(apprentice.fullName) downloaded (PDF)", by: try req.actor, on: req.db)
        return pdf(try TranscriptPDF.render(facts), name: "transcript-\(certificate?.number ?? "in-progress").pdf")
    }

    @Sendable func clr(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        guard let jwt = try await CredentialIssuance.clr(for: apprentice, settings: req.application.settings, on: req.db) else {
            throw Abort(.notFound, reason: "No credential has been issued yet.")
        }
        try await AuditLog.record(.personalDataExported, .apprentice(apprentice.id), "Comprehensive Learner Record of \(apprentice.fullName) downloaded", by: try req.actor, on: req.db)
        return Response(status: .ok, headers: ["Content-Type": "application/vc+jwt", "Content-Disposition": "attachment; filename=\"clr.jwt\""], body: .init(string: jwt))
    }

    /// One Open Badges credential, as signed (a `.jwt` file a wallet or verifier reads).
    @Sendable func credential(req: Request) async throws -> Response {
        let apprentice = try await req.visibleApprentice()
        let number = (req.parameters.get("number") ?? "").replacingOccurrences(of: ".jwt", with: "")
        guard let issued = try await IssuedCredential.query(on: req.db).filter(\.$apprentice.$id == apprentice.requireID()).filter(\.$number == number).first() else {
            throw Abort(.notFound, reason: "No such credential.")
        }
        return Response(status: .ok, headers: ["Content-Type": "application/vc+jwt", "Content-Disposition": "attachment; filename=\"\(issued.number).jwt\""],
                        body: .init(string: issued.jwt))
    }

    @Sendable func revoke(req: Request) async throws -> Response {
        struct Input: Content { var reason: String?; var confirmed: String? }
        let number = req.parameters.get("number") ?? ""
        guard let issued = try await IssuedCredential.query(on: req.db).filter(\.$number == number).first() else { throw Abort(.notFound) }
        do {
            let form = try req.formInput(Input.self)
            try req.refuseFormProblems()
            // Revocation cannot be undone: the first post asks again, the second revokes.
            if !ConfirmationView.isConfirmed(form.confirmed) {
                let reason = CredentialIssuance.checkedRevocationReason(form.reason, for: issued)
                if let problem = reason.problem { throw ValidationFailure(errors: ["reason": problem]) }
                let apprentice = try await Apprentice.find(issued.$apprentice.id, on: req.db)
                return try await req.renderConfirmation(ConfirmationView(
                    heading: "Revoke \(issued.name) \(issued.number)?",
                    lines: ["Revoking cannot be undone. The verification page and the status list will say this credential is revoked, "
                            + "its PDF can no longer be downloaded, and \(apprentice?.fullName ?? "the apprentice") and their employer are told.",
                            "Reason: “\(reason.text)”"],
                    action: "/credentials/\(issued.number)/revoke", fields: [.init(name: "reason", value: reason.text)],
                    confirmLabel: "Yes, revoke \(issued.number)", cancelHref: "/apprentices/\(issued.$apprentice.id)/completion"))
            }
            try await CredentialIssuance.revoke(issued, reason: form.reason, by: try req.actor, on: req.db)
            return req.redirect(to: "/apprentices/\(issued.$apprentice.id)/completion")
        } catch let failure as ValidationFailure {
            return req.redirect(to: "/apprentices/\(issued.$apprentice.id)/completion?revokeError=" + (failure.errors.values.first?.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
    }
}
