import Fluent

struct CreateInvitations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Invitation.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("email", .string, .required)
            .field("full_name", .string, .required)
            .field("role", .string, .required)
            .field("employer_id", .uuid, .references(Employer.schema, "id", onDelete: .restrict))
            .field("invited_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("accepted_at", .datetime)
            .field("accepted_user_id", .uuid, .references(User.schema, "id", onDelete: .restrict))
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Invitation.schema).delete()
    }
}
