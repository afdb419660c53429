import Fluent
import Vapor

/// Ending everything that lets a person in without their password.
enum Sessions {
    /// Deletes every web session and revokes every API token of the user (revoked tokens stay listed, marked).
    static func endAll(of userID: UUID, on db: any Database, now: Date = Date()) async throws {
        try await UserSession.query(on: db).filter(\.$user.$id == userID).delete()
        try await APIToken.query(on: db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
    }
}
