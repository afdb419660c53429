import Vapor

/// Field name → message for the person who typed it. Forms show each message beside its field;
/// the API returns them in a problem document.
typealias FieldErrors = [String: String]

/// Input that cannot be accepted. Nothing has been saved when this is thrown.
struct ValidationFailure: Error, AbortError {
    let errors: FieldErrors
    var message: String = "Some fields need attention."
    /// 422 for bad input; 409 when the input conflicts with what is already stored (a reused client key).
    var status: HTTPResponseStatus = .unprocessableEntity
    var reason: String { message }
}

/// Small checks shared by every input type.
enum Check {
    /// At most the field's limit in `FieldLimits`, the one the edge and the OpenAPI document state.
    static func required(_ value: String?, _ field: String, _ label: String, into errors: inout FieldErrors) {
        let text = value?.trimmed ?? ""
        let max = FieldLimits.limit(for: field)
        if text.isEmpty { errors[field] = "\(label) is required." }
        else if text.count > max { errors[field] = "\(label) must be at most \(max) characters." }
    }

    static func email(_ value: String?, _ field: String = "email", into errors: inout FieldErrors) {
        let text = value?.trimmed ?? ""
        if text.isEmpty { errors[field] = "E-mail is required."; return }
        let pattern = #"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"#
        if text.count > FieldLimits.limit(for: field) || text.range(of: pattern, options: .regularExpression) == nil {
            errors[field] = "Enter an e-mail address like name@example.org."
        }
    }

    /// bcrypt reads at most 72 bytes, so longer passwords would be silently cut: refuse them instead.
    static func newPassword(_ password: String?, confirm: String?, into errors: inout FieldErrors) {
        let text = password ?? ""
        if text.count < 10 { errors["password"] = "Choose a password of at least 10 characters." }
        else if text.utf8.count > 72 { errors["password"] = "A password can be at most 72 bytes long." }
        else if text != (confirm ?? "") { errors["passwordConfirm"] = "The two passwords do not match." }
    }

    static func normalizedEmail(_ value: String?) -> String {
        (value ?? "").trimmed.lowercased()
    }
}
