@testable import BMETApp
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Control characters and text-direction overrides are refused at the edge, on both databases, and the audit
/// chain hashes exactly what it stores.
@Suite("Hostile input")
struct HostileInputTests {
    /// A form body written by hand, so a raw `%00` reaches the server as a browser or a script would send it.
    static func rawForm(_ browser: Browser, _ path: String, _ body: String) async throws -> TestingHTTPResponse {
        let token = try await browser.csrfToken()
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        headers.contentType = .urlEncodedForm
        let full = body + "&_csrf=" + token
        return try await browser.app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: full))
    }

    @Test("a NUL in the sign-in e-mail is refused with a field message and leaves the audit chain whole")
    func nulSignIn() async throws {
        try await withTestApp { app in
            let browser = Browser(app)
            let response = try await Self.rawForm(browser, "/login", "email=x%00y@example.org&password=whatever-it-is")
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("email"))
            #expect(try await LoginAttempt.query(on: app.db).count() == 0)
            #expect(try await AuditLog.verify(on: app.db).problems.isEmpty)

            let forgot = try await Self.rawForm(browser, "/forgot-password", "email=a%00b@example.org")
            #expect(forgot.status == .unprocessableEntity)
            let bidi = try await Self.rawForm(browser, "/login", "email=\("evil\u{202E}gro.elpmaxe@x".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&password=x")
            #expect(bidi.status == .unprocessableEntity)
        }
    }

    @Test("the hours API answers 422 problem+json naming the field for a NUL, and keeps newlines in a description")
    func nulInJSON() async throws {
        try await withTestApp { app in
            let f = try await TrainingAPITests.fixture(app)
            let client = APIClient(app: app, token: f.tokens[f.w.apprenticeA.id!])
            let bad = TrainingAPITests.entry(-1, description: "PM\u{0}on pumps")
            let refused = try await client.send(.POST, f.hoursPath, rawBody: try JSONSerialization.data(withJSONObject: ["entries": [bad]]))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.isProblem)
            #expect(try TrainingAPITests.fields(refused).contains("description"))

            let badSet = TrainingAPITests.entry(-1, "P\u{1B}M")
            let escape = try await client.send(.POST, f.hoursPath, rawBody: try JSONSerialization.data(withJSONObject: ["entries": [badSet]]))
            #expect(escape.status == .unprocessableEntity)
            #expect(try TrainingAPITests.fields(escape).contains("skillSetCode"))

            let multiLine = TrainingAPITests.entry(-1, description: "PM on pumps\nand a defibrillator\tcheck")
            let kept = try await client.send(.POST, f.hoursPath, rawBody: try JSONSerialization.data(withJSONObject: ["entries": [multiLine]]))
            #expect(kept.status == .created || kept.status == .ok, "\(kept.text)")
            #expect(try await HourEntry.query(on: app.db).all().contains { $0.description.contains("\n") })
        }
    }

    @Test("a NUL in a query string or a path is refused, not a server error")
    func nulInURL() async throws {
        try await withTestApp { app in
            let path = try await app.testing().sendRequest(.GET, "/api/v1/verify/ABC%00DEF")
            #expect(path.status == .unprocessableEntity)
            #expect(path.isProblem)
            let query = try await app.testing().sendRequest(.GET, "/login?next=%2Fdashboard%00")
            #expect(query.status == .unprocessableEntity)
        }
    }

    @Test("every operation with a path or query parameter documents the 422 a refused URL value gets")
    func urlRefusalDocumented() throws {
        let paths = try #require(try OpenAPITests.document()["paths"] as? [String: [String: Any]])
        var checked = 0
        for (path, operations) in paths {
            for (method, value) in operations {
                guard let operation = value as? [String: Any],
                      let parameters = operation["parameters"] as? [[String: Any]], !parameters.isEmpty else { continue }
                checked += 1
                #expect((operation["responses"] as? [String: Any])?["422"] != nil, "\(method.uppercased()) \(path)")
            }
        }
        #expect(checked > 10)
    }

    @Test("the audit log stores and hashes the same text even when a caller passes a NUL")
    func auditBackstop() async throws {
        try await withTestApp { app in
            try await AuditLog.record(.signInFailed, .user(nil), "Sign-in with an unknown address", actorLabel: "x\u{0}y@example.org", on: app.db)
            try await AuditLog.record(.roleChanged, .user(nil), "Line one\nline two", actorLabel: "tester", on: app.db)
            let result = try await AuditLog.verify(on: app.db)
            #expect(result.problems.isEmpty, "\(result.problems)")
            #expect(result.rowsChecked == 2)
            let first = try #require(try await AuditEntry.query(on: app.db).filter(\.$seq == 1).first())
            #expect(first.actor == "x\u{FFFD}y@example.org")
        }
    }

    @Test("audit verify names every altered row, not only the first")
    func verifyReportsAll() async throws {
        try await withTestApp { app in
            for number in 1...5 {
                try await AuditLog.record(.roleChanged, .user(nil), "Entry \(number)", actorLabel: "tester", on: app.db)
            }
            let sql = app.db as! any SQLDatabase
            try await sql.raw("UPDATE audit_log SET summary = 'changed' WHERE seq = 2 OR seq = 4").run()
            let result = try await AuditLog.verify(on: app.db)
            #expect(result.problems == [
                "Row 2 was altered: its contents no longer match its hash.",
                "Row 4 was altered: its contents no longer match its hash.",
            ])
        }
    }
}
