import Vapor

/// The second step of an action that cannot be undone (revoking a credential, approving a completion): the page says
/// what will happen and posts the same form again with `confirmed=yes`. Works without JavaScript.
struct ConfirmationView: Encodable {
    struct Field: Encodable { let name: String; let value: String }
    let heading: String
    let lines: [String]
    let action: String
    let fields: [Field]
    let confirmLabel: String
    let cancelHref: String

    /// Whether the form came back from this page.
    static func isConfirmed(_ value: String?) -> Bool { value?.trimmed == "yes" }
}

extension Request {
    func renderConfirmation(_ view: ConfirmationView) async throws -> Response {
        try await render("confirm", title: view.heading, view)
    }
}
