import Fluent
import SQLKit

struct CreateFormSubmissions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(FormSubmission.schema)
            .id()
            .field("form", .string, .required)
            .field("key", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        let sql = try database.sql()
        try await sql.create(index: "form_submissions_key_time").on(FormSubmission.schema).column("key").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FormSubmission.schema).delete()
    }
}
