import BMETCredentials
import BMETDomain
import Fluent
import Foundation

/// Checks a credential file someone shows on /verify, as any verifier would, with this issuer's published keys:
/// the signature (so a forged file that copies a real number fails), the issuer, the dates and revocation; a CLR
/// has each credential inside checked on its own.
enum FileVerification {
    /// Larger than any credential or record this site issues.
    static let maximumBytes = 512 * 1024

    struct Verdict: Encodable, Sendable {
        /// The file checks out as a whole (a record may still hold a revoked credential; its line says so).
        let valid: Bool
        let headline: String
        /// Why it is not valid, in words, when it is not.
        let reason: String?
        let kind: String
        let credentials: [Line]
        var hasCredentials: Bool { !credentials.isEmpty }

        enum CodingKeys: String, CodingKey { case valid, headline, reason, kind, credentials, hasCredentials }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(valid, forKey: .valid)
            try container.encode(headline, forKey: .headline)
            try container.encodeIfPresent(reason, forKey: .reason)
            try container.encode(kind, forKey: .kind)
            try container.encode(credentials, forKey: .credentials)
            try container.encode(hasCredentials, forKey: .hasCredentials)
        }
    }

    /// One credential of the file: an Open Badge, or one credential inside a CLR.
    struct Line: Encodable, Sendable {
        let name: String
        let subject: String?
        let number: String?
        let validFrom: String
        let issuer: String
        let status: String
        let revoked: Bool
    }

    static func check(_ text: String, settings: AppSettings, on db: any Database, now: Date = Date()) async throws -> Verdict {
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let keys = try CredentialIssuance.keyStore(settings).jwks()
        let ourIssuers: Set<String> = [CredentialIssuance.did(settings), settings.baseURL + CredentialIssuance.issuerPath]
        func refuse(_ reason: String, kind: String = "credential") -> Verdict {
            Verdict(valid: false, headline: "Not valid", reason: reason, kind: kind, credentials: [])
        }
        if token.hasPrefix("{") {
            return refuse("This is JSON, not a signed credential. A credential from this program is a VC-JWT: a .jwt file of three parts separated by dots.")
        }
        switch CredentialVerifier.kind(of: token) {
        case .learnerRecord:
            switch CredentialVerifier.verifyRecord(token, jwks: keys, now: now) {
            case .failure(let failure): return refuse(failure.description, kind: "learner record")
            case .success(let record):
                guard let issuer = CredentialVerifier.issuerID(of: record.token.payload), ourIssuers.contains(issuer) else {
                    return refuse("The record names another issuer than this program.", kind: "learner record")
                }
                var lines: [Line] = []
                for credential in record.credentials { lines.append(try await line(credential, ourIssuers: ourIssuers, on: db)) }
                let name = record.name ?? "Comprehensive learner record"
                return Verdict(valid: true, headline: "Valid: \(name)", reason: nil, kind: "learner record", credentials: lines)
            }
        case .statusList:
            return refuse("This is the program's revocation list, not a credential.", kind: "revocation list")
        case .openBadge, nil:
            switch CredentialVerifier.verify(token, jwks: keys, now: now) {
            case .failure(let failure): return refuse(failure.description)
            case .success(let credential):
                guard ourIssuers.contains(credential.issuerID) else { return refuse("The credential names another issuer than this program.") }
                let line = try await line(credential, ourIssuers: ourIssuers, on: db)
                if line.revoked {
                    return Verdict(valid: false, headline: "Revoked", reason: line.status, kind: "credential", credentials: [line])
                }
                return Verdict(valid: true, headline: "Valid: \(credential.achievementName)", reason: nil, kind: "credential", credentials: [line])
            }
        }
    }

    /// A verified credential's line: its record here (found by its revocation index) says whether it is revoked.
    private static func line(_ credential: VerifiedCredential, ourIssuers: Set<String>, on db: any Database) async throws -> Line {
        var record: IssuedCredential?
        if let status = credential.status {
            record = try await IssuedCredential.query(on: db).filter(\.$statusIndex == status.index).first()
        }
        let revoked = record?.revokedAt != nil
        let status: String
        if let record, let revokedAt = record.revokedAt {
            status = "Revoked on \(ProgramCalendar.dayString(revokedAt))" + (record.revocationReason.map { ": \($0)" } ?? ".")
        } else if record == nil {
            status = "Signed by this program, but not in its records."
        } else {
            status = "Not revoked."
        }
        return Line(name: credential.achievementName, subject: credential.subjectName, number: record?.number,
                    validFrom: ProgramCalendar.dayString(credential.validFrom), issuer: credential.issuerName, status: status,
                    revoked: revoked)
    }
}
