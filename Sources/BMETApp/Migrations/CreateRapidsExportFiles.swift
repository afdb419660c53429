import Fluent

/// The RAPIDS upload layout's extra files per batch (updates and the reference tabs), and which layout a batch used:
/// batches exported before keep the platform's own layout and download as they were.
struct CreateRapidsExportFiles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RapidsExportBatch.schema).field("layout", .string).update()
        try await database.schema(RapidsExportFile.schema)
            .id()
            .field("batch_id", .uuid, .required, .references(RapidsExportBatch.schema, "id", onDelete: .restrict))
            .field("name", .string, .required)
            .field("position", .int, .required)
            .field("sealed", .string, .required)
            .field("sha256", .string, .required)
            .unique(on: "batch_id", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RapidsExportFile.schema).delete()
        try await database.schema(RapidsExportBatch.schema).deleteField("layout").update()
    }
}
