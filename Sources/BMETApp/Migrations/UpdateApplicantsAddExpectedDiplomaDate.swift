import Fluent

/// Students may apply before their diploma or GED: the date they expect it (the standards need it by the start).
struct UpdateApplicantsAddExpectedDiplomaDate: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Applicant.schema).field("expected_diploma_date", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Applicant.schema).deleteField("expected_diploma_date").update()
    }
}
