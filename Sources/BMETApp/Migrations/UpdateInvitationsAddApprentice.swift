import Fluent

/// An invitation can carry the apprentice record its account belongs to, so accepting links the two.
struct UpdateInvitationsAddApprentice: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Invitation.schema).field("apprentice_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Invitation.schema).deleteField("apprentice_id").update()
    }
}
