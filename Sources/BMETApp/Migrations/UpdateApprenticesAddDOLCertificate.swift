import Fluent

/// The U.S. Department of Labor's own Certificate of Completion of Apprenticeship, issued through RAPIDS once the
/// sponsor reports the completion: its number and date, recorded by the sponsor when it arrives.
struct UpdateApprenticesAddDOLCertificate: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds only one column per ALTER TABLE.
        try await database.schema(Apprentice.schema).field("dol_certificate_number", .string).update()
        try await database.schema(Apprentice.schema).field("dol_certificate_date", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Apprentice.schema).deleteField("dol_certificate_date").update()
        try await database.schema(Apprentice.schema).deleteField("dol_certificate_number").update()
    }
}
