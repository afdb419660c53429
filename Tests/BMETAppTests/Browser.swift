@testable import BMETApp
import Foundation
import Testing
import Vapor
import VaporTesting

/// A person at a browser: keeps cookies between requests and fills forms with the CSRF token
/// the site gave it, as a real browser would.
final class Browser: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    /// The `_csrf` value of the last page that had forms, and the session it was made for (tokens are bound to it).
    private var formToken: String?
    private var formTokenSession: String?
    /// Sent with every request (e.g. `X-Forwarded-For`, as a proxy in front of the app would add it).
    var extraHeaders = HTTPHeaders()

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await send(.GET, path, body: nil, contentType: nil)
    }

    /// The CSRF token the site put into this browser's forms, fetched from a page when the session changed since.
    func csrfToken() async throws -> String {
        if formToken == nil || cookies[CSRF.cookieName] == nil || formTokenSession != cookies[CurrentSession.cookieName] {
            try await get(cookies[CurrentSession.cookieName] == nil ? "/login" : "/account")
            // A session the site no longer accepts redirects away from /account; the sign-in page has a form.
            if formTokenSession != cookies[CurrentSession.cookieName] || formToken == nil { try await get("/login") }
        }
        return formToken ?? ""
    }

    /// Submits a form. The CSRF token is added unless `csrf` is given (use "" to leave it out).
    @discardableResult
    func post(_ path: String, _ fields: [String: String] = [:], csrf: String? = nil) async throws -> TestingHTTPResponse {
        var fields = fields
        let token: String
        if let csrf { token = csrf } else { token = try await csrfToken() }
        if !token.isEmpty { fields[CSRF.fieldName] = token }
        let body = fields.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await send(.POST, path, body: ByteBuffer(string: body), contentType: "application/x-www-form-urlencoded")
    }

    /// Submits a form whose fields may repeat (checkbox groups such as `entries[]`), with the CSRF field.
    @discardableResult
    func post(_ path: String, pairs: [(String, String)]) async throws -> TestingHTTPResponse {
        let token = try await csrfToken()
        let all = pairs + [(CSRF.fieldName, token)]
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.POST, path, body: ByteBuffer(string: body), contentType: "application/x-www-form-urlencoded")
    }

    /// Uploads one file as multipart/form-data, with the CSRF field.
    func upload(_ path: String, field: String, filename: String, data: Data) async throws -> TestingHTTPResponse {
        let token = try await csrfToken()
        let boundary = "----bmet-test-boundary"
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(token)\r\n")
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: application/json\r\n\r\n")
        body.writeBytes(data)
        body.writeString("\r\n--\(boundary)--\r\n")
        return try await send(.POST, path, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// Submits a multipart form with text fields and one file, as a browser does for an upload form.
    func uploadForm(_ path: String, fields: [String: String], file: (field: String, filename: String, data: Data)) async throws -> TestingHTTPResponse {
        let token = try await csrfToken()
        let boundary = "----bmet-test-boundary"
        var body = ByteBuffer()
        var all = fields
        all[CSRF.fieldName] = token
        for (name, value) in all {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\nContent-Type: application/pdf\r\n\r\n")
        body.writeBytes(file.data)
        body.writeString("\r\n--\(boundary)--\r\n")
        return try await send(.POST, path, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    func signIn(_ email: String, password: String = Make.password) async throws -> TestingHTTPResponse {
        try await post("/login", ["email": email, "password": password])
    }

    private func send(_ method: HTTPMethod, _ path: String, body: ByteBuffer?, contentType: String?) async throws -> TestingHTTPResponse {
        var headers = extraHeaders
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if let contentType { headers.add(name: .contentType, value: contentType) }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = String(pair[0]), value = String(pair[1])
            if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        if let range = response.body.string.range(of: #"name="_csrf" value="[^"]*""#, options: .regularExpression) {
            formToken = String(response.body.string[range].dropFirst(#"name="_csrf" value=""#.count).dropLast())
            formTokenSession = cookies[CurrentSession.cookieName]
        }
        return response
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// A client of the JSON API.
struct APIClient {
    let app: Application
    let token: String?

    func send(_ method: HTTPMethod, _ path: String, json: (any Encodable)? = nil, rawBody: Data? = nil) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let token { headers.bearerAuthorization = .init(token: token) }
        var body: ByteBuffer?
        if let json {
            headers.contentType = .json
            body = ByteBuffer(data: try JSONEncoder().encode(json))
        } else if let rawBody {
            headers.contentType = .json
            body = ByteBuffer(data: rawBody)
        }
        return try await app.testing().sendRequest(method, path, headers: headers, body: body)
    }
}

extension TestingHTTPResponse {
    var text: String { body.string }
    var isProblem: Bool { headers.contentType?.subType == "problem+json" }
    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] ?? [:]
    }
    var location: String? { headers.first(name: .location) }
}
