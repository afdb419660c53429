import Fluent
import Vapor

/// Who the sponsor names as EEO officers. Only program administrators can be one; an EEO officer names the others
/// (the first is named with `bmet admin eeo-officer`), and the last one cannot be removed from the web, so the
/// duties never go without someone to carry them.
enum EEOOfficers {
    static func set(_ user: User, officer: Bool, by actor: User?, on db: any Database) async throws {
        guard user.role == .programAdmin else {
            throw ValidationFailure(errors: ["officer": "Only program administrators can be EEO officers; \(user.fullName) is \(user.role.label.lowercased())."])
        }
        guard user.isActive || !officer else { throw ValidationFailure(errors: ["officer": "Reactivate the account before naming \(user.fullName) an EEO officer."]) }
        guard user.isEEOOfficer != officer else { return }
        if !officer, actor != nil {
            let others = try await User.query(on: db).filter(\.$isEEOOfficer == true).filter(\.$isActive == true).filter(\.$id != user.requireID()).count()
            if others == 0 { throw ValidationFailure(errors: ["officer": "\(user.fullName) is the only EEO officer: name another one first."]) }
        }
        user.isEEOOfficer = officer
        try await db.writeTransaction { db in
            try await user.update(on: db)
            try await AuditLog.record(.eeoOfficerChanged, .user(user.id), 
                                      officer ? "\(user.email) named EEO officer" : "\(user.email) is no longer an EEO officer", by: actor,
                                      actorLabel: actor == nil ? "command line" : nil, on: db)
        }
    }
}
