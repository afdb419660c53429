import Crypto
import Foundation
import Vapor

/// CSRF protection for every HTML form, bound to the session. Each browser gets a random, HttpOnly, SameSite
/// cookie; the token echoed in each form as `_csrf` is an HMAC, under a server key, of the browser's signed-in
/// session (or, before sign-in, of that cookie). A pair planted by another site or a sibling subdomain is
/// worthless: without the server key nobody can make a token, and a token made for one session fails in any other.
/// Over https the cookies are `__Host-` cookies, which a subdomain cannot set.
enum CSRF {
    static let cookieName = "bmet_csrf"
    static let fieldName = "_csrf"

    /// The cookie's name for this site: `__Host-bmet_csrf` when served over https.
    static func cookieName(on req: Request) -> String {
        req.application.settings.secureCookies ? "__Host-" + cookieName : cookieName
    }

    struct Key: StorageKey { typealias Value = String }
    struct NewKey: StorageKey { typealias Value = Bool }

    /// The token to render into this request's forms.
    static func token(for req: Request) -> String {
        sign(binding(for: req, browserToken: browserToken(for: req)), on: req)
    }

    /// The browser's random value, made (and set as a cookie by the middleware) when it has none yet.
    static func browserToken(for req: Request) -> String {
        if let token = req.storage[Key.self] { return token }
        let token = SecureToken.generate()
        req.storage[Key.self] = token
        req.storage[NewKey.self] = true
        return token
    }

    /// A signed-in browser's forms belong to its session; others to the browser's own cookie.
    static func binding(for req: Request, browserToken: String) -> String {
        if let session = req.storage[CurrentSession.Key.self] { return "session:" + session.tokenHash }
        return "browser:" + browserToken
    }

    static func sign(_ binding: String, on req: Request) -> String {
        let key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data("bmet-csrf-v1".utf8), using: req.application.dataCipher.key))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(binding.utf8), using: key)
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func rotate(on req: Request, response: Response) {
        let token = SecureToken.generate()
        req.storage[Key.self] = token
        req.storage[NewKey.self] = false
        response.cookies[cookieName(on: req)] = CurrentSession.cookie(value: token, on: req, maxAge: 60 * 60 * 24)
    }
}

struct CSRFMiddleware: AsyncMiddleware {
    /// Largest form body accepted anywhere on the site (standards files and uploads included).
    static let maxBodyBytes = 8 * 1024 * 1024
    /// Largest plain form body.
    static let maxFormBytes = 1024 * 1024

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let cookieToken = req.cookies[CSRF.cookieName(on: req)]?.string
        if let cookieToken, !cookieToken.isEmpty { req.storage[CSRF.Key.self] = cookieToken }

        if ![.GET, .HEAD, .OPTIONS].contains(req.method) {
            // Middleware runs before a route collects its body, so collect it here (uploads included).
            let isUpload = req.headers.contentType?.type == "multipart"
            _ = try await req.body.collect(max: isUpload ? CSRFMiddleware.maxBodyBytes : CSRFMiddleware.maxFormBytes).get()
            // Read without the control-character check: the form's own handler reports those by their field.
            let submitted = Self.submittedToken(req)
            guard let cookieToken, !cookieToken.isEmpty, let submitted,
                  constantTimeEquals(submitted, CSRF.sign(CSRF.binding(for: req, browserToken: cookieToken), on: req))
            else {
                throw Abort(.forbidden, reason: "This form has expired or did not come from this site. Go back, reload the page and try again.")
            }
        }

        let response = try await next.respond(to: req)
        if req.storage[CSRF.NewKey.self] == true, let token = req.storage[CSRF.Key.self] {
            response.cookies[CSRF.cookieName(on: req)] = CurrentSession.cookie(value: token, on: req, maxAge: 60 * 60 * 24)
        }
        return response
    }

    private struct TokenField: Decodable {
        let _csrf: String?
    }

    static func submittedToken(_ req: Request) -> String? {
        guard let body = req.body.data, let type = req.headers.contentType,
              let decoder = try? InputCheckingDecoder.unchecked(for: type) else { return nil }
        return (try? decoder.decode(TokenField.self, from: body, headers: req.headers))?._csrf
    }

    private func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
