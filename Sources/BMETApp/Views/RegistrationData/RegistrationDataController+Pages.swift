import BMETDomain
import Fluent
import Vapor

/// The page models of `RegistrationDataController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension RegistrationDataController {
    struct View: Encodable {
        let id: String; let name: String
        let values: [String: String]
        let ssnOnFile: String?
        let states: [SelectOption]
        let educations: [SelectOption]
        let careers: [SelectOption]
        let upload: RapidsUploadFields.Choices
        let errors: FieldErrors
    }

    func view(_ apprentice: Apprentice, _ input: RegistrationCorrectionInput, errors: FieldErrors, on db: any Database) async throws -> View {
        let data = try await RegistrationData.query(on: db).filter(\.$apprentice.$id == apprentice.requireID()).first()
        return View(id: try apprentice.requireID().uuidString, name: apprentice.fullName,
                    values: RapidsUploadFields.formValues(input).merging(
                        ["fullName": input.fullName ?? "", "addressLine1": input.addressLine1 ?? "", "city": input.city ?? "",
                         "zip": input.zip ?? "", "birthDate": input.birthDate ?? "", "guardianName": input.guardianName ?? ""]) { _, typed in typed },
                    ssnOnFile: data?.maskedSSN, states: SelectOption.states(selected: input.state),
                    educations: SelectOption.of(EducationLevel.choices, selected: input.education, label: \.label),
                    careers: SelectOption.of(CareerConnection.choices, selected: input.careerConnection, label: \.label),
                    upload: .init(input), errors: errors)
    }
}
