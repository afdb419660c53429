import BMETCredentials
import Foundation
import Vapor

/// `bmet verify credential FILE --keys JWKS [--status-list FILE]` — checks a downloaded credential offline.
struct VerifyCredentialCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "The credential (.jwt, a compact JWS)")
        var file: String
        @Option(name: "keys", help: "The issuer's JWK set (a copy of /.well-known/jwks.json)")
        var keys: String?
        @Option(name: "status-list", help: "A copy of the revocation list (/credentials/status/revocation), to check revocation")
        var statusList: String?
    }

    var help: String { "Check a credential file against a key set, offline; with --status-list, whether it is revoked." }

    struct Failed: Error, CustomStringConvertible { let description: String }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let keysPath = signature.keys else { throw Failed(description: "Give the issuer's key set with --keys FILE (a copy of /.well-known/jwks.json).") }
        guard let token = FileManager.default.contents(atPath: signature.file).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw Failed(description: "Cannot read \(signature.file).")
        }
        guard let jwks = FileManager.default.contents(atPath: keysPath) else { throw Failed(description: "Cannot read \(keysPath).") }
        let list = try signature.statusList.map { path in
            guard let data = FileManager.default.contents(atPath: path) else { throw Failed(description: "Cannot read \(path).") }
            return String(decoding: data, as: UTF8.self)
        }
        context.console.print(try Self.check(token: token, jwks: jwks, statusList: list))
    }

    /// The verdict on one credential file, or the reason it is not valid (thrown).
    static func check(token: String, jwks: Data, statusList: String?) throws -> String {
        switch CredentialVerifier.verify(token, jwks: jwks) {
        case .failure(let failure):
            throw Failed(description: "NOT VALID: \(failure.description)")
        case .success(let credential):
            var revoked = false
            if let statusList {
                switch CredentialVerifier.isRevoked(credential, statusList: statusList, jwks: jwks) {
                case .failure(let failure): throw Failed(description: "The status list could not be checked: \(failure.description)")
                case .success(let value): revoked = value
                }
            }
            if revoked { throw Failed(description: "REVOKED: \(credential.name) — \(credential.subjectName ?? "") (\(credential.id))") }
            return "VALID: \(credential.achievementName) — \(credential.subjectName ?? "") — issued by \(credential.issuerName) from \(credential.validFrom) (key \(credential.kid))"
                + (statusList == nil ? "; revocation not checked (give --status-list)" : "; not revoked")
        }
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
