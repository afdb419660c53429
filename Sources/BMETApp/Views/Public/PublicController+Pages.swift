import BMETDomain
import Vapor

/// The page models of `PublicController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension PublicController {
    struct Plain: Encodable { let signedIn: Bool }

    struct ProgramPage: Encodable { let signedIn: Bool; let minimumHours: String?; let maximumHours: String? }

    struct ApplyView: Encodable {
        let values: [String: String]
        let errors: FieldErrors
        let states: [SelectOption]
        let educations: [SelectOption]
        let veteranStatuses: [SelectOption]
        let heardFrom: [SelectOption]
        let guardianConsent: Bool
        let consent: Bool
        let workAuthorized: String
        let minimumAge: Int
        let noDiplomaLabel: String
    }

    static func applyView(_ input: ApplicationInput?, errors: FieldErrors = [:], entry: EntryRequirements) -> ApplyView {
        let values: [String: String] = [
            "fullName": input?.fullName ?? "", "email": input?.email ?? "", "phone": input?.phone ?? "",
            "city": input?.city ?? "", "zip": input?.zip ?? "", "birthDate": input?.birthDate ?? "", "statement": input?.statement ?? "",
            "expectedDiplomaDate": input?.expectedDiplomaDate ?? "",
        ]
        return ApplyView(
            values: values, errors: errors,
            states: SelectOption.states(selected: input?.state),
            educations: SelectOption.of(EducationLevel.choices, selected: input?.education, label: \.label),
            veteranStatuses: SelectOption.all(VeteranStatus.self, selected: input?.veteranStatus, label: \.label),
            heardFrom: ApplicationInput.heardFromOptions.map { SelectOption(value: $0, label: $0, selected: $0 == input?.heardFrom) },
            guardianConsent: ApplicationInput.isYes(input?.guardianConsent), consent: ApplicationInput.isYes(input?.consent), workAuthorized: input?.workAuthorized ?? "",
            minimumAge: entry.minimumAge, noDiplomaLabel: EducationLevel.noDiploma.label)
    }

    struct PartnerView: Encodable {
        let values: [String: String]
        let errors: FieldErrors
        let states: [SelectOption]
        let types: [SelectOption]
        let countries: [SelectOption]
    }

    static func partnerView(_ input: InquiryInput?, errors: FieldErrors = [:]) -> PartnerView {
        let values: [String: String] = [
            "organization": input?.organization ?? "", "contactName": input?.contactName ?? "", "contactEmail": input?.contactEmail ?? "",
            "contactPhone": input?.contactPhone ?? "", "addressLine1": input?.addressLine1 ?? "", "addressLine2": input?.addressLine2 ?? "",
            "city": input?.city ?? "", "zip": input?.zip ?? "", "apprenticesWanted": input?.apprenticesWanted ?? "", "message": input?.message ?? "",
        ]
        let country = input?.country ?? "US"
        return PartnerView(
            values: values, errors: errors,
            states: SelectOption.states(selected: input?.state),
            types: SelectOption.all(EmployerType.self, selected: input?.employerType, label: \.label),
            countries: [("US", "United States"), ("CA", "Canada"), ("MX", "Mexico"), ("OTHER", "Another country")]
                .map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == country) })
    }
}
