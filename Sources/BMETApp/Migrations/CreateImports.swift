import Fluent
import SQLKit

struct CreateImports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ImportBatch.schema)
            .id()
            .field("kind", .string, .required)
            .field("file_name", .string, .required)
            .field("mode", .string, .required)
            .field("row_count", .int, .required)
            .field("created_count", .int, .required)
            .field("unchanged_count", .int, .required)
            .field("created_by_id", .uuid, .required, .references(User.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime, .required)
            .field("undone_by_id", .uuid, .references(User.schema, "id", onDelete: .restrict))
            .field("undone_at", .datetime)
            .create()
        // No foreign key to the record: refs point into several tables (by kind).
        try await database.schema(ImportRef.schema)
            .id()
            .field("batch_id", .uuid, .required, .references(ImportBatch.schema, "id", onDelete: .restrict))
            .field("kind", .string, .required)
            .field("external_id", .string, .required)
            .field("record_id", .uuid, .required)
            .unique(on: "kind", "external_id")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "import_refs_batch").on(ImportRef.schema).column("batch_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ImportRef.schema).delete()
        try await database.schema(ImportBatch.schema).delete()
    }
}
