import Fluent

/// Issued certificates and interim credentials.
struct CreateIssuedCredentials: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(IssuedCredential.schema)
            .id()
            .field("apprentice_id", .uuid, .required, .references(Apprentice.schema, "id", onDelete: .restrict))
            .field("kind", .string, .required)
            .field("number", .string, .required)
            .field("name", .string, .required)
            .field("achievement_type", .string, .required)
            .field("awarded_on", .string, .required)
            .field("status_index", .int, .required)
            .field("jwt", .string, .required)
            .field("key_id", .string, .required)
            .field("revoked_at", .datetime)
            .field("revoked_by_id", .uuid, .references(User.schema, "id", onDelete: .restrict))
            .field("revocation_reason", .string)
            .field("created_at", .datetime, .required)
            .unique(on: "number")
            .unique(on: "status_index")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IssuedCredential.schema).delete()
    }
}
