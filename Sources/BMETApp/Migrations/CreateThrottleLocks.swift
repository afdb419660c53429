import Fluent

/// One row per throttled key (an address, an e-mail): the row a check-and-count locks so that concurrent
/// requests for the same key are counted one after the other.
struct CreateThrottleLocks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ThrottleLock.schema)
            .field("key", .string, .identifier(auto: false))
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ThrottleLock.schema).delete()
    }
}
