import Fluent
import SQLKit

struct CreateLoginAttempts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginAttempt.schema)
            .id()
            .field("email", .string, .required)
            .field("ip_address", .string)
            .field("succeeded", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()
        // The throttle asks "failures for this address since T" on every login.
        let sql = try database.sql()
        try await sql.create(index: "login_attempts_email_time").on(LoginAttempt.schema).column("email").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LoginAttempt.schema).delete()
    }
}
