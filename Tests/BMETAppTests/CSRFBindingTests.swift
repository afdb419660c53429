@testable import BMETApp
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// The CSRF token is bound to the session (or, before sign-in, to the browser's cookie) with a server key:
/// a pair chosen by someone else is worthless.
@Suite("CSRF bound to the session")
struct CSRFBindingTests {
    static func form(_ app: Application, _ path: String, cookies: [String: String], fields: [String: String]) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        headers.contentType = .urlEncodedForm
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        return try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    @Test("a planted double-submit pair (the same value as cookie and field) is refused")
    func plantedPair() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let planted = SecureToken.generate()
            let response = try await Self.form(app, "/login", cookies: [CSRF.cookieName: planted],
                                               fields: ["email": admin.email, "password": Make.password, CSRF.fieldName: planted])
            #expect(response.status == .forbidden)
            #expect(try await UserSession.query(on: app.db).count() == 0)
        }
    }

    @Test("a token made for one signed-in session is refused in another, even with the same CSRF cookie")
    func otherSession() async throws {
        try await withTestApp { app in
            let world = try await Make.world(app)
            let victim = Browser(app)
            _ = try await victim.signIn(world.admin.email)
            let attacker = Browser(app)
            _ = try await attacker.signIn(world.adminA.email)
            let attackerToken = try await attacker.csrfToken()
            // The attacker's own token and cookie, replayed with the victim's session.
            var cookies = victim.cookies
            cookies[CSRF.cookieName] = attacker.cookies[CSRF.cookieName]
            let before = try await Employer.query(on: app.db).count()
            let forged = try await Self.form(app, "/employers", cookies: cookies, fields: [
                "name": "Forged Hospital", "addressLine1": "1 Main St", "city": "Houston", "state": "TX", "zip": "77030", CSRF.fieldName: attackerToken,
            ])
            #expect(forged.status == .forbidden)
            #expect(try await Employer.query(on: app.db).count() == before)
            // The victim's own form still works.
            #expect(try await victim.post("/employers", ["name": "Real Hospital", "addressLine1": "1 Main St", "city": "Houston", "state": "TX", "zip": "77030"]).status == .seeOther)
        }
    }

    @Test("over https the cookies are __Host- cookies: Secure, Path=/, no Domain")
    func hostPrefix() async throws {
        try await withTestApp { app in
            app.settings.secureCookies = true
            let admin = try await Make.user(app, role: .programAdmin)
            let page = try await app.testing().sendRequest(.GET, "/login")
            let csrfCookie = try #require(page.headers[.setCookie].first { $0.hasPrefix("__Host-\(CSRF.cookieName)=") })
            #expect(csrfCookie.contains("Secure") && csrfCookie.contains("Path=/") && !csrfCookie.contains("Domain"))
            let value = String(csrfCookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)[1])
            let html = page.body.string
            let range = try #require(html.range(of: #"name="_csrf" value="[^"]*""#, options: .regularExpression))
            let token = String(html[range].dropFirst(#"name="_csrf" value=""#.count).dropLast())
            let signedIn = try await Self.form(app, "/login", cookies: ["__Host-\(CSRF.cookieName)": value],
                                               fields: ["email": admin.email, "password": Make.password, CSRF.fieldName: token])
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.setCookie].contains { $0.hasPrefix("__Host-\(CurrentSession.cookieName)=") && $0.contains("Secure") })
            // The plain name no longer counts over https.
            let plain = try await Self.form(app, "/login", cookies: [CSRF.cookieName: value],
                                            fields: ["email": admin.email, "password": Make.password, CSRF.fieldName: token])
            #expect(plain.status == .forbidden)
        }
    }
}
