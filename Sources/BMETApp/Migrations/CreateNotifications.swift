import Fluent

struct CreateNotifications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(NotificationPreference.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("delivery", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "user_id", "kind")
            .create()
        try await database.schema(SentNotice.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("dedupe_key", .string, .required)
            .field("delivery", .string, .required)
            .field("text", .string, .required)
            .field("outbox_message_id", .uuid, .references(OutboxMessage.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .unique(on: "user_id", "dedupe_key")
            .create()
        try await database.schema(JobRun.schema)
            .id()
            .field("job", .string, .required)
            .field("period", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("count", .int)
            .field("error", .string)
            .field("runner", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .unique(on: "job", "period")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(JobRun.schema).delete()
        try await database.schema(SentNotice.schema).delete()
        try await database.schema(NotificationPreference.schema).delete()
    }
}
