import Fluent
import Vapor

/// What an inviter fills in (form and API alike).
struct InvitationInput: Content {
    var email: String?
    var fullName: String?
    var role: String?
    @OptionalUUID var employerID: UUID?
    /// For a provider's staff: the provider they work for (only the sponsor invites them).
    @OptionalUUID var providerID: UUID?
}

enum Invitations {
    static let lifetime: TimeInterval = 60 * 60 * 24 * 7

    /// Creates the invitation and its e-mail in one transaction. Returns the invitation; the secret link
    /// exists only in the e-mail.
    static func invite(_ input: InvitationInput, by actor: User, app: Application, on db: any Database) async throws -> Invitation {
        let settings = app.settings, cipher = app.dataCipher
        var errors = FieldErrors()
        Check.email(input.email, into: &errors)
        Check.required(input.fullName, "fullName", "Full name", into: &errors)
        let role = input.role.flatMap(Role.init(rawValue:))
        if role == nil { errors["role"] = "Choose a role." }
        // Employer staff always invite into their own employer, whatever was sent.
        let employerID = actor.role == .programAdmin ? input.employerID : actor.employerID
        var employer: Employer?
        if let role, role.requiresEmployer {
            if let employerID { employer = try await Employer.find(employerID, on: db) }
            if employer == nil { errors["employerID"] = "Choose the employer this person works for." }
        }
        var provider: Provider?
        if role == .instructionProvider {
            if actor.role != .programAdmin { errors["role"] = "Only the program sponsor invites a provider's staff." }
            else if let providerID = input.providerID { provider = try await Provider.find(providerID, on: db) }
            if errors["role"] == nil, provider == nil { errors["providerID"] = "Choose the provider this person works for." }
        } else if let role, errors["role"] == nil, !AccessPolicy.canInvite(role: role, into: role.requiresEmployer ? employer?.id : nil, actor: actor) {
            errors["role"] = "You cannot invite someone as \(role.label.lowercased())."
        }
        let email = Check.normalizedEmail(input.email)
        if errors["email"] == nil, try await User.query(on: db).filter(\.$email == email).first() != nil {
            errors["email"] = "Someone with this e-mail already has an account."
        }
        guard errors.isEmpty, let role else { throw ValidationFailure(errors: errors) }

        let token = SecureToken.generate()
        let now = Date()
        let invitation = Invitation(
            tokenHash: SecureToken.hash(token), email: email, fullName: input.fullName?.trimmed ?? "", role: role,
            employerID: role.requiresEmployer ? employer?.id : nil, invitedByID: try actor.requireID(), now: now, lifetime: lifetime)
        invitation.providerID = provider?.id
        let chosenEmployer = employer, chosenProvider = provider
        try await db.writeTransaction { db in
            // A newer invitation replaces an open one to the same address for the same role and employer
            // (the old row stays as history); it keeps the apprentice link of the one it replaces.
            let replaced = try await Invitation.query(on: db)
                .filter(\.$email == email).filter(\.$acceptedAt == nil).filter(\.$revokedAt == nil)
                .filter(\.$role == role).filter(\.$employer.$id == invitation.$employer.id).all()
            for old in replaced {
                invitation.apprenticeID = invitation.apprenticeID ?? old.apprenticeID
                old.revokedAt = now
                try await old.update(on: db)
            }
            try await invitation.create(on: db)
            let place = (chosenEmployer?.name ?? chosenProvider?.name).map { " at \($0)" } ?? ""
            // An invitation grants a role: the audit log keeps who gave which role to whom.
            try await AuditLog.record(.roleChanged, .user(nil), "Invited \(email) as \(role.label)\(place)", by: actor, on: db, now: now)
            try await Outbox.enqueue(
                to: email,
                subject: "You are invited to the BMET Apprenticeship platform",
                body: """
                Hello \(invitation.fullName),

                \(actor.fullName) has invited you to join the BMET Apprenticeship platform as \(role.label.lowercased())\(place).

                Create your account here (the link works once, for 7 days):
                \(settings.baseURL)/invitations/\(token)

                If you did not expect this invitation, you can ignore this e-mail.
                """,
                sealingWith: cipher, on: db)
        }
        return invitation
    }

    static func open(token: String, on db: any Database) async throws -> Invitation? {
        guard let invitation = try await Invitation.query(on: db)
            .filter(\.$tokenHash == SecureToken.hash(token)).with(\.$employer).first(),
            invitation.isOpen(at: Date())
        else { return nil }
        return invitation
    }

    /// Creates the account the invitation names. The invitation is marked accepted in the same transaction.
    static func accept(_ invitation: Invitation, fullName: String?, password: String?, passwordConfirm: String?, hasher: AsyncPasswordHasher, on db: any Database) async throws -> User {
        var errors = FieldErrors()
        Check.required(fullName, "fullName", "Full name", into: &errors)
        Check.newPassword(password, confirm: passwordConfirm, into: &errors)
        guard errors.isEmpty, let password else { throw ValidationFailure(errors: errors) }
        let hash = try await hasher.hash(password).get()
        let user = User(email: invitation.email, fullName: fullName?.trimmed ?? invitation.fullName, passwordHash: hash,
                        role: invitation.role, employerID: invitation.$employer.id)
        user.providerID = invitation.providerID
        try await db.writeTransaction { db in
            if try await User.query(on: db).filter(\.$email == invitation.email).first() != nil {
                throw ValidationFailure(errors: ["fullName": "An account with this e-mail already exists. Sign in instead."])
            }
            try await user.create(on: db)
            // An apprentice's invitation links the new account to their registration (found by the link,
            // or by e-mail at the same employer when the link was lost).
            var registration: Apprentice?
            if let apprenticeID = invitation.apprenticeID { registration = try await Apprentice.find(apprenticeID, on: db) }
            if registration == nil, invitation.role == .apprentice {
                registration = try await Apprentice.query(on: db).filter(\.$email == invitation.email)
                    .filter(\.$employer.$id == (invitation.$employer.id ?? UUID())).filter(\.$user.$id == nil).first()
            }
            if let registration {
                registration.$user.id = try user.requireID()
                try await registration.update(on: db)
            }
            invitation.acceptedAt = Date()
            invitation.$acceptedUser.id = user.id
            try await invitation.update(on: db)
            try await AuditLog.record(.accountCreated, .user(user.id), "\(user.email) accepted the invitation: account created as \(user.role.label)",
                                      by: user, on: db)
        }
        return user
    }
}
