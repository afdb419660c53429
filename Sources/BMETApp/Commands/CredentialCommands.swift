import BMETCredentials
import Foundation
import Vapor

/// `bmet verify credential FILE --keys KEYS [--status-list FILE]` — checks a downloaded credential or learner record
/// (CLR) offline: every credential inside a CLR is checked on its own.
struct VerifyCredentialCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "The credential or the learner record (.jwt, a compact JWS)")
        var file: String
        @Option(name: "keys", help: "The issuer's keys: a copy of /.well-known/did.json or of /.well-known/jwks.json")
        var keys: String?
        @Option(name: "status-list", help: "A copy of the revocation list (/credentials/status/revocation), to check revocation")
        var statusList: String?
        @Option(name: "max-list-age", help: "Refuse a revocation list signed longer ago than this many hours (default 48)")
        var maxListAge: Double?
    }

    var help: String { "Check a credential or learner record file against the issuer's keys, offline; with --status-list, whether it is revoked." }

    struct Failed: Error, CustomStringConvertible { let description: String }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let keysPath = signature.keys else { throw Failed(description: "Give the issuer's keys with --keys FILE (a copy of /.well-known/did.json or /.well-known/jwks.json).") }
        guard let token = FileManager.default.contents(atPath: signature.file).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw Failed(description: "Cannot read \(signature.file).")
        }
        guard let jwks = FileManager.default.contents(atPath: keysPath) else { throw Failed(description: "Cannot read \(keysPath).") }
        let list = try signature.statusList.map { path in
            guard let data = FileManager.default.contents(atPath: path) else { throw Failed(description: "Cannot read \(path).") }
            return String(decoding: data, as: UTF8.self)
        }
        let maximumAge = (signature.maxListAge.map { $0 * 3_600 }) ?? CredentialVerifier.maximumStatusListAge
        context.console.print(try Self.check(token: token, jwks: jwks, statusList: list, maximumListAge: maximumAge))
    }

    /// The verdict on one credential or learner record file, or the reason it is not valid (thrown).
    static func check(token: String, jwks: Data, statusList: String?, now: Date = Date(),
                      maximumListAge: TimeInterval = CredentialVerifier.maximumStatusListAge) throws -> String {
        var lines: [String] = []
        if let statusList {
            // The list's own age first: a stale list could hide a revocation.
            switch CredentialVerifier.verifyToken(statusList, jwks: jwks, now: now) {
            case .failure(let failure): throw Failed(description: "The status list could not be checked: \(failure.description)")
            case .success(let list):
                let age = now.timeIntervalSince(list.validFrom)
                if age > maximumListAge {
                    throw Failed(description: "The status list is stale: signed \(StatusListAge.describe(age)) ago, more than \(StatusListAge.describe(maximumListAge)). Fetch a fresh copy of /credentials/status/revocation.")
                }
                lines.append("Status list signed \(StatusListAge.describe(age)) ago" + (list.validUntil.map { ", valid until \(CredentialDate.string($0))" } ?? ""))
            }
        }
        let credentials: [VerifiedCredential]
        if CredentialVerifier.kind(of: token) == .learnerRecord {
            switch CredentialVerifier.verifyRecord(token, jwks: jwks, now: now) {
            case .failure(let failure): throw Failed(description: "NOT VALID: \(failure.description)")
            case .success(let record):
                lines.insert("VALID learner record: \(record.name ?? "CLR") — issued by \(record.issuerName ?? "") (key \(record.token.kid)); \(record.credentials.count) credential\(record.credentials.count == 1 ? "" : "s") inside, each verified on its own:", at: 0)
                credentials = record.credentials
            }
        } else {
            switch CredentialVerifier.verify(token, jwks: jwks, now: now) {
            case .failure(let failure): throw Failed(description: "NOT VALID: \(failure.description)")
            case .success(let credential): credentials = [credential]
            }
        }
        var revokedNames: [String] = []
        for credential in credentials {
            var revoked = false
            if let statusList {
                switch CredentialVerifier.isRevoked(credential, statusList: statusList, jwks: jwks, now: now, maximumAge: maximumListAge) {
                case .failure(let failure): throw Failed(description: "The status list could not be checked: \(failure.description)")
                case .success(let value): revoked = value
                }
            }
            if revoked { revokedNames.append("\(credential.name) — \(credential.subjectName ?? "") (\(credential.id))") }
            lines.append((revoked ? "REVOKED: " : "VALID: ") + "\(credential.achievementName) — \(credential.subjectName ?? "") — issued by \(credential.issuerName) from \(CredentialDate.string(credential.validFrom)) (key \(credential.kid))"
                + (statusList == nil ? "; revocation not checked (give --status-list)" : revoked ? "" : "; not revoked"))
        }
        if credentials.count == 1, !revokedNames.isEmpty { throw Failed(description: "REVOKED: \(revokedNames[0])") }
        if !revokedNames.isEmpty { throw Failed(description: (lines + ["REVOKED inside the record: " + revokedNames.joined(separator: "; ")]).joined(separator: "\n")) }
        return lines.joined(separator: "\n")
    }
}

/// `bmet keys rotate` — a new issuer signing key; earlier public keys stay published so earlier credentials verify.
struct KeysCommand: AsyncCommandGroup {
    var help: String { "Manage the credential signing keys." }
    var commands: [String: any AnyAsyncCommand] { ["rotate": RotateKeysCommand()] }
}

struct RotateKeysCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Make a new active signing key; earlier public keys stay in the JWK set." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let key = try CredentialIssuance.keyStore(context.application.settings).rotate()
        context.console.print("New signing key \(key.kid). Earlier keys stay published, so credentials signed with them still verify.")
    }
}
