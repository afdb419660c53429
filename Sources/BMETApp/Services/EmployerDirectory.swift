import BMETDomain
import Fluent
import Vapor

/// The fields a program administrator fills in to add a partner employer (form and API alike).
struct EmployerInput: Content {
    var name: String?
    var addressLine1: String?
    var addressLine2: String?
    var city: String?
    var state: String?
    var zip: String?
    var phone: String?

    func validate() -> FieldErrors {
        var errors = FieldErrors()
        Check.required(name, "name", "Organization name", into: &errors)
        let address = USAddressRules.validate(line1: addressLine1?.trimmed ?? "", city: city?.trimmed ?? "",
                                              state: state?.trimmed.uppercased() ?? "", zip: zip?.trimmed ?? "",
                                              lineLimit: FieldLimits.limit(for: "addressLine1"), cityLimit: FieldLimits.limit(for: "city"))
        for (field, message) in address {
            errors[field == "line1" ? "addressLine1" : field] = message
        }
        let line2Limit = FieldLimits.limit(for: "addressLine2")
        if (addressLine2?.count ?? 0) > line2Limit { errors["addressLine2"] = "Address line 2 must be at most \(line2Limit) characters." }
        if let phone = phone?.trimmed, !phone.isEmpty {
            let digits = phone.filter(\.isNumber)
            if digits.count != 10 && !(digits.count == 11 && digits.hasPrefix("1")) {
                errors["phone"] = "Enter a U.S. phone number with area code, e.g. (713) 555-0100."
            }
        }
        return errors
    }
}

enum EmployerDirectory {
    static func create(_ input: EmployerInput, by actor: User, on db: any Database) async throws -> Employer {
        var errors = input.validate()
        let name = input.name?.trimmed ?? ""
        let state = input.state?.trimmed.uppercased() ?? ""
        if errors.isEmpty, try await Employer.query(on: db).filter(\.$name == name).filter(\.$state == state).first() != nil {
            errors["name"] = "An employer with this name already exists in \(state)."
        }
        guard errors.isEmpty else { throw ValidationFailure(errors: errors) }
        let employer = Employer(
            name: name, addressLine1: input.addressLine1?.trimmed ?? "", addressLine2: input.addressLine2?.trimmed.nilIfEmpty,
            city: input.city?.trimmed ?? "", state: state, zip: input.zip?.trimmed ?? "",
            phone: input.phone?.trimmed.nilIfEmpty, createdByID: actor.id)
        try await employer.create(on: db)
        return employer
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
