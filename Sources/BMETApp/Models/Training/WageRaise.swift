import Fluent
import Vapor

/// A wage step the employer put into effect: the date and the rate actually paid. Appended, never edited.
final class WageRaise: Model, @unchecked Sendable {
    static let schema = "wage_raises"

    @ID(key: .id) var id: UUID?
    @Parent(key: "apprentice_id") var apprentice: Apprentice
    @Field(key: "step") var step: Int
    @Field(key: "effective_date") var effectiveDate: String
    @Field(key: "hourly_rate_cents") var hourlyRateCents: Int
    @Field(key: "note") var note: String
    @OptionalParent(key: "recorded_by_id") var recordedBy: User?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
