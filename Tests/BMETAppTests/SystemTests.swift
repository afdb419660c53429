@testable import BMETApp
import Testing
import Vapor
import VaporTesting

@Suite("Health, errors and pages")
struct SystemTests {
    @Test("GET /health reports the database")
    func health() async throws {
        try await withTestApp { app in
            let response = try await app.testing().sendRequest(.GET, "/health")
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(body["status"] as? String == "ok")
            #expect(body["database"] as? String == "ok")
        }
    }

    @Test("an unknown page is a 404 page in the site's layout")
    func unknownPage() async throws {
        try await withTestApp { app in
            let response = try await Browser(app).get("/no/such/page")
            #expect(response.status == .notFound)
            #expect(response.headers.contentType?.subType == "html")
            #expect(response.text.contains("Page not found"))
            #expect(response.text.contains("<main"))
        }
    }

    @Test("an unknown API path is a 404 problem document")
    func unknownAPI() async throws {
        try await withTestApp { app in
            let response = try await APIClient(app: app, token: nil).send(.GET, "/api/v1/nothing-here")
            #expect(response.status == .notFound)
            #expect(response.isProblem)
            #expect(try response.json()["status"] as? Int == 404)
        }
    }

    @Test("the public home page and login page render without an account")
    func publicPages() async throws {
        try await withTestApp { app in
            let browser = Browser(app)
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.text.contains("6,000 hours"))
            let login = try await browser.get("/login")
            #expect(login.status == .ok)
            #expect(login.text.contains("name=\"_csrf\""))
        }
    }

    @Test("request logs never contain invitation or reset tokens")
    func redaction() {
        #expect(RequestLogMiddleware.redacted("/invitations/abcDEF123") == "/invitations/[redacted]")
        #expect(RequestLogMiddleware.redacted("/reset-password/secret") == "/reset-password/[redacted]")
        #expect(RequestLogMiddleware.redacted("/self-identify/token123") == "/self-identify/[redacted]")
        #expect(RequestLogMiddleware.redacted("/employers/new") == "/employers/new")
    }
}
