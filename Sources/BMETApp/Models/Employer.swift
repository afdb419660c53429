import Fluent
import Vapor

/// A U.S. partner employer (hospital, health system, HTM service company, …).
final class Employer: Model, @unchecked Sendable {
    static let schema = "employers"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "address_line1") var addressLine1: String
    @OptionalField(key: "address_line2") var addressLine2: String?
    @Field(key: "city") var city: String
    @Field(key: "state") var state: String
    @Field(key: "zip") var zip: String
    @OptionalField(key: "phone") var phone: String?
    @OptionalParent(key: "created_by_id") var createdBy: User?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID? = nil, name: String, addressLine1: String, addressLine2: String?, city: String, state: String, zip: String, phone: String?, createdByID: UUID?) {
        self.id = id
        self.name = name
        self.addressLine1 = addressLine1
        self.addressLine2 = addressLine2
        self.city = city
        self.state = state
        self.zip = zip
        self.phone = phone
        self.$createdBy.id = createdByID
    }
}
