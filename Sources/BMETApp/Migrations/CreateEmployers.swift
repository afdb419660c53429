import Fluent

struct CreateEmployers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Employer.schema)
            .id()
            .field("name", .string, .required)
            .field("address_line1", .string, .required)
            .field("address_line2", .string)
            .field("city", .string, .required)
            .field("state", .string, .required)
            .field("zip", .string, .required)
            .field("phone", .string)
            // No foreign key: users reference employers, and a cycle would make the schema uncreatable.
            .field("created_by_id", .uuid)
            .field("created_at", .datetime)
            .unique(on: "name", "state")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Employer.schema).delete()
    }
}
