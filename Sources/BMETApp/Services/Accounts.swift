import BMETDomain
import Fluent
import Vapor

/// Changing what an account may do: its role between the employer's two staff roles, and whether it can sign in.
/// Nobody manages their own account this way; employer administrators manage only their own employer's staff.
enum Accounts {
    /// Roles that can be swapped for one another: both belong to one employer and hold no training record.
    static let staffRoles: [Role] = [.mentor, .employerAdmin]

    static func canManage(_ user: User, by actor: User) -> Bool {
        guard actor.id != user.id else { return false }
        switch actor.role {
        case .programAdmin: return true
        case .employerAdmin: return user.employerID != nil && user.employerID == actor.employerID && staffRoles.contains(user.role)
        case .mentor, .apprentice, .instructionProvider: return false
        }
    }

    static func changeRole(_ user: User, to raw: String?, by actor: User, on db: any Database) async throws {
        guard canManage(user, by: actor) else { throw Abort(.notFound) }
        guard let role = raw.flatMap(Role.init(rawValue:)), staffRoles.contains(role) else {
            throw ValidationFailure(errors: ["role": "Choose mentor or employer administrator."])
        }
        guard staffRoles.contains(user.role) else {
            throw ValidationFailure(errors: ["role": "Only a mentor's or an employer administrator's role can be changed here."])
        }
        guard role != user.role else { throw ValidationFailure(errors: ["role": "\(user.fullName) already has this role."]) }
        if user.role == .mentor { try await requireNoMentees(user, field: "role", on: db) }
        let previous = user.role
        try await db.writeTransaction { db in
            // Only from the role it was checked against, so two admins changing it at once leave one change.
            try await User.query(on: db).filter(\.$id == user.requireID()).filter(\.$role == previous).set(\.$role, to: role).update()
            guard let fresh = try await User.find(user.requireID(), on: db), fresh.role == role else {
                throw ValidationFailure(errors: ["role": "The account changed meanwhile. Reload and try again."])
            }
            try await AuditLog.record(.roleChanged, .user(user.id), "\(user.email): \(previous.label) → \(role.label)", by: actor, on: db)
        }
        user.role = role
    }

    static func setActive(_ user: User, _ active: Bool, by actor: User, on db: any Database) async throws {
        guard canManage(user, by: actor) else { throw Abort(.notFound) }
        guard user.isActive != active else {
            throw ValidationFailure(errors: ["active": active ? "The account is already active." : "The account is already deactivated."])
        }
        if !active, user.role == .mentor { try await requireNoMentees(user, field: "active", on: db) }
        let userID = try user.requireID()
        try await db.writeTransaction { db in
            // Sessions and API tokens are checked against this flag on every request, so they stop at once; they are
            // also ended for good, so reactivating the account later does not bring them back.
            try await User.query(on: db).filter(\.$id == userID).set(\.$isActive, to: active).update()
            if !active { try await Sessions.endAll(of: userID, on: db) }
            try await AuditLog.record(active ? .accountReactivated : .accountDeactivated, .user(userID),
                                      "\(user.email) (\(user.role.label)) \(active ? "can sign in again" : "can no longer sign in")", by: actor, on: db)
        }
        user.isActive = active
    }

    /// A mentor's apprentices need a mentor: they are moved first.
    private static func requireNoMentees(_ user: User, field: String, on db: any Database) async throws {
        let mentees = try await Apprentice.query(on: db).filter(\.$mentor.$id == user.requireID())
            .filter(\.$status ~~ ApprenticeStatus.allCases.filter(\.isInProgram)).count()
        if mentees > 0 {
            throw ValidationFailure(errors: [field: "\(user.fullName) mentors \(mentees) apprentice\(mentees == 1 ? "" : "s") in the program; they need another mentor first."])
        }
    }
}
