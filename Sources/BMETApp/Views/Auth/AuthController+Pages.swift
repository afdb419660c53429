import Fluent
import Vapor

/// The page models of `AuthController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension AuthController {
    struct LoginView: Encodable {
        var email: String
        var next: String
        var error: String?
        var notice: String?
        var errors: FieldErrors = [:]
    }

    struct EmailView: Encodable { var email: String; var sent: Bool; var errors: FieldErrors = [:] }

    struct PasswordView: Encodable {
        var token: String
        var valid: Bool
        var errors: FieldErrors
    }

    struct InvitationView: Encodable {
        var token: String
        var valid: Bool
        var email: String
        var roleLabel: String
        var employerName: String?
        var fullName: String
        var errors: FieldErrors
    }
}
