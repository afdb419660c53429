@testable import BMETApp
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// A method a path does not take is a 405 with `Allow`, not a 404; a body that is not JSON is a 415 before any
/// handler reads it. Both are problem documents under /api and documented for every operation they apply to.
@Suite("405 and 415")
struct MethodAndMediaTypeTests {
    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String? = nil,
                     contentType: String? = nil, body: String? = nil) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = .init(token: token) }
        if let contentType { headers.replaceOrAdd(name: .contentType, value: contentType) }
        return try await app.testing().sendRequest(method, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    @Test("an API path asked with a method it does not take answers 405 problem+json listing the methods it takes")
    func methodNotAllowedAPI() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let token = try await Make.token(app, for: w.admin)
            let cases: [(HTTPMethod, String, String)] = [
                (.DELETE, "/api/v1/me", "GET, HEAD"),
                (.PUT, "/api/v1/employers", "GET, HEAD, POST"),
                (.POST, "/api/v1/apprentices/\(UUID())/progress", "GET, HEAD"),
                (.GET, "/api/v1/hours/\(UUID())", "PATCH"),
                (.PATCH, "/health", "GET, HEAD"),
            ]
            for (method, path, allow) in cases {
                for caller in [token, nil] {
                    let response = try await Self.send(app, method, path, token: caller)
                    #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                    #expect(response.isProblem, "\(method) \(path)")
                    #expect(response.headers.first(name: "Allow") == allow, "\(method) \(path)")
                    #expect(try response.json()["status"] as? Int == 405)
                }
            }
            // A path nothing is routed at is still a 404.
            let missing = try await Self.send(app, .GET, "/api/v1/nothing-here", token: token)
            #expect(missing.status == .notFound)
            #expect(missing.headers.first(name: "Allow") == nil)
        }
    }

    @Test("a web page asked with a method it does not take answers a 405 page with Allow")
    func methodNotAllowedWeb() async throws {
        try await withTestApp { app in
            let response = try await Self.send(app, .DELETE, "/login")
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers.contentType?.subType == "html")
            #expect(response.headers.first(name: "Allow") == "GET, HEAD, POST")
            #expect(try await Self.send(app, .GET, "/no-such-page").status == .notFound)
        }
    }

    @Test("a body that is not JSON answers 415 problem+json and stores nothing")
    func unsupportedMediaType() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let token = try await Make.token(app, for: w.admin)
            let employers = try await Employer.query(on: app.db).count()
            let json = #"{"name":"Lone Star Imaging","addressLine1":"1 Main","city":"Austin","state":"TX","zip":"78701"}"#
            let bodies: [(String?, String)] = [
                ("text/plain", json),
                ("application/x-www-form-urlencoded", "name=Lone+Star&addressLine1=1+Main&city=Austin&state=TX&zip=78701"),
                ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nLone Star\r\n--x--\r\n"),
                ("*/*", json),
                (nil, json),
            ]
            for (type, body) in bodies {
                let response = try await Self.send(app, .POST, "/api/v1/employers", token: token, contentType: type, body: body)
                #expect(response.status == .unsupportedMediaType, "\(type ?? "no type")")
                #expect(response.isProblem, "\(type ?? "no type")")
            }
            #expect(try await Employer.query(on: app.db).count() == employers)
            // The standards upload (read raw) and the notice settings (decoded leniently) refuse other types the same way.
            #expect(try await Self.send(app, .POST, "/api/v1/programs", token: token, contentType: "text/plain", body: "{}").status == .unsupportedMediaType)
            #expect(try await Self.send(app, .PUT, "/api/v1/me/notifications", token: token, contentType: "application/x-www-form-urlencoded", body: "items=1").status == .unsupportedMediaType)
            // JSON with a charset is JSON.
            let created = try await Self.send(app, .POST, "/api/v1/employers", token: token, contentType: "application/json; charset=utf-8", body: json)
            #expect(created.status == .created)
        }
    }

    @Test("the OpenAPI document states 415 for every operation with a body, and the 405 answer with its Allow header")
    func documented() throws {
        let document = try OpenAPITests.document()
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        var withBody = 0
        for (path, operations) in paths {
            for (method, operation) in operations where operation["requestBody"] != nil {
                withBody += 1
                let responses = operation["responses"] as? [String: Any] ?? [:]
                #expect(responses["415"] != nil, "\(method.uppercased()) \(path)")
            }
        }
        #expect(withBody > 10)
        let responses = try #require((document["components"] as? [String: Any])?["responses"] as? [String: [String: Any]])
        let headers = try #require(responses["MethodNotAllowed"]?["headers"] as? [String: Any])
        #expect(headers["Allow"] != nil)
    }
}
