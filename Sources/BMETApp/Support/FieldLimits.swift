/// The longest text each field takes, in characters: one table for every form and the API (the OpenAPI document's
/// `maxLength` values are checked against it). A field is named by its own name, the last part of
/// `rows[0][description]`. Fields not listed take the default for their kind.
enum FieldLimits {
    static let table: [String: Int] = [
        // People and addresses
        "fullName": 200, "name": 200, "contactName": 200, "guardianName": 200, "typedName": 200, "organization": 200,
        "email": 254, "contactEmail": 254, "phone": 30, "contactPhone": 30,
        "addressLine1": 200, "addressLine2": 200, "city": 100, "state": 50, "zip": 10,
        "password": 200, "passwordConfirm": 200,
        // The RAPIDS upload layout's own limits (RapidsUploadLayout)
        "firstName": 55, "middleName": 55, "lastName": 55, "ojtFundingSources": 255, "rtiProvider": 200,
        // Training record
        "description": 1000, "workOrder": 60, "clientKey": 100, "skills": 1000,
        "observed": 2000, "comment": 1000, "note": 2000, "reason": 500,
        "mentorComments": 4000, "goals": 4000, "apprenticeComments": 4000,
        "provider": 200, "grade": 50, "courseCode": 50, "credentialCode": 50, "skillCode": 50, "skillSetCode": 50,
        // Public forms
        "statement": 2000, "message": 2000, "q": 200,
        // A credential or learner record pasted on /verify (a VC-JWT; a CLR of every credential runs to ~100 KB)
        "credential": FileVerification.maximumBytes,
    ]
    static let singleLineDefault = 200
    static let multiLineDefault = 4000

    static func limit(for field: String) -> Int {
        table[field] ?? (InputText.multiLineFields.contains(field) ? multiLineDefault : singleLineDefault)
    }
}
