import BMETCredentials
import BMETDomain
import Fluent
import Vapor

/// The page models of `VerificationController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension VerificationController {
    struct View: Encodable {
        var verdict: Verdict?
        var number: String
        var file: FileVerification.Verdict?
        var pasted: String = ""
        var errors: FieldErrors = [:]
    }
}
