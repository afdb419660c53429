import Fluent

/// What the RAPIDS apprentice upload layout needs beyond ETA-671: the name's parts, prior wage, WIOA and TAA
/// participation, student status, on-the-job training funding, credit for previous related training and the related
/// instruction provider. All optional (earlier records have none), one column per statement (SQLite adds one at a time).
struct UpdateRegistrationDataAddRapidsUploadFields: AsyncMigration {
    static let columns: [(FieldKey, DatabaseSchema.DataType)] = [
        ("first_name", .string), ("middle_name", .string), ("last_name", .string), ("suffix", .string),
        ("prior_wage_cents", .int), ("prior_wage_unit", .string), ("wioa_participant", .bool), ("wioa_type", .string),
        ("taa_participant", .bool), ("student_status", .string), ("ojt_funding_sources", .string),
        ("related_training_credit_hours", .int), ("rti_provider", .string),
    ]

    func prepare(on database: any Database) async throws {
        for (name, type) in Self.columns {
            try await database.schema(RegistrationData.schema).field(name, type).update()
        }
    }

    func revert(on database: any Database) async throws {
        for (name, _) in Self.columns.reversed() {
            try await database.schema(RegistrationData.schema).deleteField(name).update()
        }
    }
}
