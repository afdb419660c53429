import Fluent
import Vapor

/// Checks e-mail and password with a throttle on failed tries, stored in the database so it holds
/// across app instances.
enum SignIn {
    static let window: TimeInterval = 15 * 60
    static let maxFailuresPerEmail = 5
    static let maxFailuresPerIP = 20

    enum Outcome {
        case success(User)
        case invalid
        case throttled(retryAfterSeconds: Int)
    }

    static func attempt(email rawEmail: String?, password: String?, ip: String?, on req: Request) async throws -> Outcome {
        let email = Check.normalizedEmail(rawEmail)
        let now = Date()
        let since = now.addingTimeInterval(-window)

        // Claim a try before the expensive check: under the key's lock, count earlier failures and record this try
        // as one (it becomes a success below if the password matches), so a burst cannot run more checks than the limit.
        let claimed: LoginAttempt? = try await req.db.writeTransaction { db in
            try await ThrottleLock.lock(["signin:email:\(email)"] + (ip.map { ["signin:ip:\($0)"] } ?? []), on: db)
            if try await throttle(email: email, ip: ip, since: since, now: now, on: db) != nil { return nil }
            let attempt = LoginAttempt(email: email, ipAddress: ip, succeeded: false, at: now)
            try await attempt.create(on: db)
            return attempt
        }
        guard let claimed else {
            let wait = try await throttle(email: email, ip: ip, since: since, now: now, on: req.db) ?? Int(window)
            return .throttled(retryAfterSeconds: wait)
        }

        let user = try await User.query(on: req.db).filter(\.$email == email).first()
        var ok = false
        if let user, user.isActive, let password, !password.isEmpty {
            ok = try await req.passwordHasher.verify(password, created: user.passwordHash).get()
        } else {
            // Spend about the same time as a real check, so response time does not reveal which addresses exist.
            _ = try? await req.passwordHasher.verify(password ?? "", created: await dummyHash(req)).get()
        }
        if ok, let user {
            claimed.succeeded = true
            try await req.db.writeTransaction { try await claimed.update(on: $0) }
            return .success(user)
        }
        req.logger.notice("Failed sign-in", metadata: ["ip": .string(ip ?? "-")])
        try await AuditLog.record(.signInFailed, .user(user?.id), user == nil ? "Sign-in with an unknown address" : "Sign-in with a wrong password",
                                  actorLabel: email.isEmpty ? "(no address)" : email, ip: ip, on: req.db, now: now)
        return .invalid
    }

    /// Seconds to wait, or nil when a try is allowed. Failures before the last success don't count.
    private static func throttle(email: String, ip: String?, since: Date, now: Date, on db: any Database) async throws -> Int? {
        let lastSuccess = try await LoginAttempt.query(on: db)
            .filter(\.$email == email).filter(\.$succeeded == true).filter(\.$createdAt >= since)
            .sort(\.$createdAt, .descending).first()?.createdAt
        let failures = try await LoginAttempt.query(on: db)
            .filter(\.$email == email).filter(\.$succeeded == false).filter(\.$createdAt >= max(since, lastSuccess ?? since))
            .sort(\.$createdAt, .ascending).all()
        if failures.count >= maxFailuresPerEmail, let oldest = failures.suffix(maxFailuresPerEmail).first {
            return ThrottleLock.retryAfter(oldest: oldest.createdAt, window: window, now: now)
        }
        if let ip {
            let ipFailures = try await LoginAttempt.query(on: db)
                .filter(\.$ipAddress == ip).filter(\.$succeeded == false).filter(\.$createdAt >= since)
                .sort(\.$createdAt, .descending).limit(maxFailuresPerIP).all()
            if ipFailures.count >= maxFailuresPerIP {
                return ThrottleLock.retryAfter(oldest: ipFailures.last?.createdAt, window: window, now: now)
            }
        }
        return nil
    }

    private final class DummyHashCache: @unchecked Sendable {
        private let lock = NSLock()
        private var hashes: [Int: String] = [:]
        func get(_ cost: Int) -> String? { lock.withLock { hashes[cost] } }
        func set(_ cost: Int, _ hash: String) { lock.withLock { hashes[cost] = hash } }
    }
    private static let dummyHashes = DummyHashCache()

    /// A real hash of a random secret at the configured cost, made once per process.
    private static func dummyHash(_ req: Request) async -> String {
        let cost = req.application.settings.bcryptCost
        if let hash = dummyHashes.get(cost) { return hash }
        let hash = (try? await req.passwordHasher.hash(SecureToken.generate()).get()) ?? ""
        dummyHashes.set(cost, hash)
        return hash
    }
}

/// Password reset by e-mailed link.
enum PasswordReset {
    static let lifetime: TimeInterval = 60 * 60

    /// Always looks the same to the caller, whether or not the address has an account.
    static func request(email rawEmail: String?, app: Application, on db: any Database) async throws {
        let settings = app.settings, cipher = app.dataCipher
        let email = Check.normalizedEmail(rawEmail)
        guard let user = try await User.query(on: db).filter(\.$email == email).filter(\.$isActive == true).first() else { return }
        let token = SecureToken.generate()
        try await db.writeTransaction { db in
            try await PasswordResetToken(tokenHash: SecureToken.hash(token), userID: try user.requireID(), now: Date(), lifetime: lifetime).create(on: db)
            try await Outbox.enqueue(
                to: user.email,
                subject: "Reset your BMET Apprenticeship password",
                body: """
                Hello \(user.fullName),

                Someone (we hope you) asked to reset the password of your BMET Apprenticeship account.
                Choose a new password here (the link works once, for one hour):
                \(settings.baseURL)/reset-password/\(token)

                If you did not ask for this, ignore this e-mail: your password stays as it is.
                """,
                sealingWith: cipher, on: db)
        }
    }

    static func validToken(_ token: String, on db: any Database) async throws -> PasswordResetToken? {
        try await PasswordResetToken.query(on: db)
            .filter(\.$tokenHash == SecureToken.hash(token))
            .filter(\.$usedAt == nil)
            .filter(\.$expiresAt > Date())
            .with(\.$user)
            .first()
    }

    /// Sets the new password, uses up the link, signs the user out everywhere and revokes their API tokens.
    static func complete(_ reset: PasswordResetToken, password: String?, confirm: String?, hasher: AsyncPasswordHasher, on db: any Database) async throws {
        var errors = FieldErrors()
        Check.newPassword(password, confirm: confirm, into: &errors)
        guard errors.isEmpty, let password else { throw ValidationFailure(errors: errors) }
        let hash = try await hasher.hash(password).get()
        try await db.writeTransaction { db in
            let user = reset.user
            user.passwordHash = hash
            try await user.update(on: db)
            reset.usedAt = Date()
            try await reset.update(on: db)
            // Whoever knew the old password may hold a session or have made a token: both end.
            try await Sessions.endAll(of: user.requireID(), on: db)
        }
    }
}

/// Per-user API tokens.
enum APITokens {
    static func create(for user: User, name: String?, on db: any Database) async throws -> (APIToken, String) {
        var errors = FieldErrors()
        Check.required(name, "name", "Token name", into: &errors)
        guard errors.isEmpty else { throw ValidationFailure(errors: errors) }
        let secret = "bmet_" + SecureToken.generate()
        let token = APIToken(userID: try user.requireID(), name: name?.trimmed ?? "", tokenHash: SecureToken.hash(secret), prefix: String(secret.prefix(12)))
        try await token.create(on: db)
        return (token, secret)
    }

    static func revoke(id: UUID, of user: User, on db: any Database) async throws {
        guard let token = try await APIToken.query(on: db)
            .filter(\.$id == id).filter(\.$user.$id == user.requireID()).first()
        else { throw Abort(.notFound, reason: "No such token.") }
        if token.revokedAt == nil {
            token.revokedAt = Date()
            try await token.update(on: db)
        }
    }
}
