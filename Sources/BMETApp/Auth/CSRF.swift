import Vapor

/// Double-submit CSRF protection for every HTML form: a random token lives in an HttpOnly,
/// SameSite cookie and is echoed in each form as `_csrf`; a state-changing request whose field
/// does not match the cookie is refused. The token is rotated at login and logout.
enum CSRF {
    static let cookieName = "bmet_csrf"
    static let fieldName = "_csrf"

    struct Key: StorageKey { typealias Value = String }
    struct NewKey: StorageKey { typealias Value = Bool }

    /// The token to render into this request's forms.
    static func token(for req: Request) -> String {
        if let token = req.storage[Key.self] { return token }
        let token = SecureToken.generate()
        req.storage[Key.self] = token
        req.storage[NewKey.self] = true
        return token
    }

    static func rotate(on req: Request, response: Response) {
        let token = SecureToken.generate()
        req.storage[Key.self] = token
        req.storage[NewKey.self] = false
        response.cookies[cookieName] = CurrentSession.cookie(value: token, on: req, maxAge: 60 * 60 * 24)
    }
}

struct CSRFMiddleware: AsyncMiddleware {
    /// Largest form body accepted anywhere on the site (standards files and uploads included).
    static let maxBodyBytes = 8 * 1024 * 1024
    /// Largest plain form body.
    static let maxFormBytes = 1024 * 1024

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let cookieToken = req.cookies[CSRF.cookieName]?.string
        if let cookieToken, !cookieToken.isEmpty { req.storage[CSRF.Key.self] = cookieToken }

        if ![.GET, .HEAD, .OPTIONS].contains(req.method) {
            // Middleware runs before a route collects its body, so collect it here (uploads included).
            let isUpload = req.headers.contentType?.type == "multipart"
            _ = try await req.body.collect(max: isUpload ? CSRFMiddleware.maxBodyBytes : CSRFMiddleware.maxFormBytes).get()
            // Control and text-direction characters are refused here, where every form body is first read.
            try InputText.refuse(InputText.offendingFields(in: req.body.data, contentType: req.headers.contentType))
            let submitted = try? req.content.get(String.self, at: CSRF.fieldName)
            guard let cookieToken, !cookieToken.isEmpty, let submitted,
                  constantTimeEquals(submitted, cookieToken)
            else {
                throw Abort(.forbidden, reason: "This form has expired or did not come from this site. Go back, reload the page and try again.")
            }
        }

        let response = try await next.respond(to: req)
        if req.storage[CSRF.NewKey.self] == true, let token = req.storage[CSRF.Key.self] {
            response.cookies[CSRF.cookieName] = CurrentSession.cookie(value: token, on: req, maxAge: 60 * 60 * 24)
        }
        return response
    }

    private func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
