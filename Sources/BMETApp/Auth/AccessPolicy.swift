import Fluent
import Vapor

/// Who may see or act on whose records. Employer staff see only their own employer; the sponsor's staff see all.
enum AccessPolicy {
    static func canView(employerID: UUID?, actor: User) -> Bool {
        actor.role == .programAdmin || (employerID != nil && employerID == actor.employerID)
    }

    static func canInvite(role: Role, into employerID: UUID?, actor: User) -> Bool {
        guard actor.role.invitableRoles.contains(role) else { return false }
        if actor.role == .programAdmin { return true }
        return employerID != nil && employerID == actor.employerID
    }

    /// Users whose records `actor` may list.
    static func visibleUsers(to actor: User, on db: any Database) -> QueryBuilder<User> {
        let query = User.query(on: db)
        if actor.role != .programAdmin {
            // A missing employer id can only belong to sponsor staff; match nothing rather than everything.
            query.filter(\.$employer.$id == (actor.employerID ?? UUID()))
        }
        return query
    }

    static func visibleEmployers(to actor: User, on db: any Database) -> QueryBuilder<Employer> {
        let query = Employer.query(on: db)
        if actor.role != .programAdmin {
            query.filter(\.$id == (actor.employerID ?? UUID()))
        }
        return query
    }
}
