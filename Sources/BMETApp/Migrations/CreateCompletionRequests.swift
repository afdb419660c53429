import Fluent
import SQLKit

/// Completion requests and the sponsor's decisions.
struct CreateCompletionRequests: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(CompletionRequest.schema)
            .id()
            .field("apprentice_id", .uuid, .required, .references(Apprentice.schema, "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("note", .string, .required)
            .field("checklist", .string, .required)
            .field("requested_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("requested_at", .datetime, .required)
            .field("decided_by_id", .uuid, .references(User.schema, "id", onDelete: .restrict))
            .field("decided_at", .datetime)
            .field("decision_note", .string)
            .create()
        let sql = try database.sql()
        try await sql.create(index: "completion_requests_apprentice").on(CompletionRequest.schema).column("apprentice_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CompletionRequest.schema).delete()
    }
}
