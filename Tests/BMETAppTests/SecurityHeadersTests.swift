@testable import BMETApp
import Foundation
import Testing
import Vapor
import VaporTesting

/// Every response carries the browser security headers: pages, error pages and problem documents alike.
@Suite("Security headers")
struct SecurityHeadersTests {
    static func expectHeaders(_ response: TestingHTTPResponse, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true, "\(what)", sourceLocation: sourceLocation)
        #expect(response.headers.first(name: "X-Frame-Options") == "DENY", "\(what)", sourceLocation: sourceLocation)
        #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(what)", sourceLocation: sourceLocation)
        #expect(response.headers.first(name: "Referrer-Policy") != nil, "\(what)", sourceLocation: sourceLocation)
    }

    @Test("404, 403, 401, 422 and 429 answers (HTML and problem+json) carry CSP, X-Frame-Options, nosniff and no-store")
    func errorResponses() async throws {
        try await withTestApp { app in
            let notFound = try await app.testing().sendRequest(.GET, "/no-such-page")
            #expect(notFound.status == .notFound)
            Self.expectHeaders(notFound, "404 page")
            #expect(notFound.headers.first(name: .cacheControl) == "no-store")

            let apiNotFound = try await app.testing().sendRequest(.GET, "/api/v1/no-such-thing")
            #expect(apiNotFound.isProblem)
            Self.expectHeaders(apiNotFound, "404 problem")

            let unauthorized = try await app.testing().sendRequest(.GET, "/api/v1/me")
            #expect(unauthorized.status == .unauthorized)
            Self.expectHeaders(unauthorized, "401 problem")
            #expect(unauthorized.headers.first(name: .cacheControl) == "no-store")

            let forbidden = try await Browser(app).post("/login", ["email": "a@example.org"], csrf: "")
            #expect(forbidden.status == .forbidden)
            Self.expectHeaders(forbidden, "403 page")
            #expect(forbidden.headers.first(name: .cacheControl) == "no-store")

            let ok = try await app.testing().sendRequest(.GET, "/login")
            Self.expectHeaders(ok, "200 page")
        }
    }
}
