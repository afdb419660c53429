import Fluent

struct CreateEmployerInquiries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EmployerInquiry.schema)
            .id()
            .field("organization", .string, .required)
            .field("employer_type", .string, .required)
            .field("contact_name", .string, .required)
            .field("contact_email", .string, .required)
            .field("contact_phone", .string)
            .field("address_line1", .string, .required)
            .field("address_line2", .string)
            .field("city", .string, .required)
            .field("state", .string, .required)
            .field("zip", .string, .required)
            .field("apprentices_wanted", .int, .required)
            .field("message", .string, .required)
            .field("status", .string, .required)
            .field("employer_id", .uuid, .references(Employer.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema(InquiryEvent.schema)
            .id()
            .field("inquiry_id", .uuid, .required, .references(EmployerInquiry.schema, "id", onDelete: .cascade))
            .field("from_status", .string)
            .field("to_status", .string, .required)
            .field("note", .string, .required)
            .field("actor_id", .uuid, .references(User.schema, "id", onDelete: .restrict))
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(InquiryEvent.schema).delete()
        try await database.schema(EmployerInquiry.schema).delete()
    }
}
