@testable import BMETApp
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Keeps `Resources/openapi.json` true to the implementation: the same operations on both sides,
/// and real responses that match the documented schemas.
@Suite("OpenAPI document")
struct OpenAPITests {
    static func document() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: packageRoot + "Resources/openapi.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("every API route is documented and every documented operation exists")
    func sameOperations() async throws {
        try await withTestApp { app in
            let doc = try Self.document()
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = try #require(doc["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, ops in ops.keys.map { "\($0.uppercased()) \(path)" } })
            let implemented = Set(app.routes.all.compactMap { route -> String? in
                let path = "/" + route.path.map { component in
                    switch component {
                    case .parameter(let name): "{\(name)}"
                    default: component.description
                    }
                }.joined(separator: "/")
                guard path.hasPrefix("/api/") || path == "/health" else { return nil }
                return "\(route.method.rawValue) \(path)"
            })
            #expect(implemented == documented, "only implemented: \(implemented.subtracting(documented)); only documented: \(documented.subtracting(implemented))")
        }
    }

    @Test("the document is served at /api/openapi.json")
    func served() async throws {
        try await withTestApp { app in
            let response = try await app.testing().sendRequest(.GET, "/api/openapi.json")
            #expect(response.status == .ok)
            #expect(try response.json()["openapi"] as? String == "3.1.0")
        }
    }

    @Test("real responses match the documented schema for their status")
    func responsesMatch() async throws {
        try await withTestApp { app in
            let doc = try Self.document()
            let w = try await Make.world(app)
            let admin = APIClient(app: app, token: try await Make.token(app, for: w.admin))
            let employerAdmin = APIClient(app: app, token: try await Make.token(app, for: w.adminA))
            let loaded = try await admin.send(.POST, "/api/v1/programs", rawBody: try Make.standardsFile)
            let versionID = try #require(try loaded.json()["id"] as? String)
            // One applicant referred to employer A and one registered apprentice there.
            _ = try await Browser(app).post("/apply", RecruitmentTests.application())
            let applicant = try #require(try await Applicant.query(on: app.db).first())
            try await Applications.move(applicant, to: .screening, note: nil, referTo: nil, by: w.admin, settings: app.settings, cipher: app.dataCipher, on: app.db)
            try await Applications.move(applicant, to: .referred, note: nil, referTo: w.employerA.id, by: w.admin, settings: app.settings, cipher: app.dataCipher, on: app.db)
            let web = Browser(app)
            _ = try await web.signIn(w.adminA.email)
            let registration = RegistrationTests.form(RegistrationTests.Setup(world: w, version: try #require(try await ProgramVersion.find(UUID(uuidString: versionID), on: app.db)), applicant: applicant), ["applicantID": ""])
            #expect(try await web.post("/apprentices", registration).status == .seeOther)
            let apprenticeID = try #require(try await Apprentice.query(on: app.db).first()?.id)

            let calls: [(APIClient, HTTPMethod, String, String, (any Encodable)?)] = [
                (admin, .GET, "/api/v1/me", "/api/v1/me", nil),
                (employerAdmin, .GET, "/api/v1/me/notifications", "/api/v1/me/notifications", nil),
                (employerAdmin, .PUT, "/api/v1/me/notifications", "/api/v1/me/notifications", ["items": [["kind": "probation.ending", "delivery": "digest"]]]),
                (employerAdmin, .PUT, "/api/v1/me/notifications", "/api/v1/me/notifications", ["items": [["kind": "wage.raise-due", "delivery": "off"]]]),
                (admin, .GET, "/api/v1/people", "/api/v1/people", nil),
                (admin, .GET, "/api/v1/people?role=nobody", "/api/v1/people", nil),
                (admin, .GET, "/api/v1/people/\(w.mentorA.id!)", "/api/v1/people/{userID}", nil),
                (admin, .GET, "/api/v1/employers", "/api/v1/employers", nil),
                (admin, .GET, "/api/v1/employers/\(w.employerA.id!)", "/api/v1/employers/{employerID}", nil),
                (admin, .POST, "/api/v1/employers", "/api/v1/employers", ["name": "Lone Star Imaging", "addressLine1": "1 Main", "city": "Austin", "state": "TX", "zip": "78701"]),
                (admin, .POST, "/api/v1/employers", "/api/v1/employers", ["name": ""]),
                (employerAdmin, .POST, "/api/v1/invitations", "/api/v1/invitations", ["email": "n@example.org", "fullName": "N", "role": "apprentice"]),
                (employerAdmin, .GET, "/api/v1/invitations", "/api/v1/invitations", nil),
                (employerAdmin, .GET, "/api/v1/employers/\(w.employerB.id!)", "/api/v1/employers/{employerID}", nil),
                (employerAdmin, .POST, "/api/v1/employers", "/api/v1/employers", ["name": "X"]),
                (admin, .GET, "/api/v1/programs", "/api/v1/programs", nil),
                (admin, .GET, "/api/v1/programs/\(versionID)", "/api/v1/programs/{versionID}", nil),
                (admin, .GET, "/api/v1/programs/\(UUID())", "/api/v1/programs/{versionID}", nil),
                (admin, .GET, "/api/v1/tokens", "/api/v1/tokens", nil),
                (admin, .GET, "/api/v1/applicants", "/api/v1/applicants", nil),
                (admin, .GET, "/api/v1/applicants?status=maybe", "/api/v1/applicants", nil),
                (employerAdmin, .GET, "/api/v1/applicants?status=referred", "/api/v1/applicants", nil),
                (admin, .GET, "/api/v1/apprentices", "/api/v1/apprentices", nil),
                (admin, .GET, "/api/v1/apprentices/\(apprenticeID)", "/api/v1/apprentices/{apprenticeID}", nil),
                (APIClient(app: app, token: try await Make.token(app, for: w.adminB)), .GET, "/api/v1/apprentices/\(apprenticeID)", "/api/v1/apprentices/{apprenticeID}", nil),
                (APIClient(app: app, token: try await Make.token(app, for: w.mentorA)), .GET, "/api/v1/applicants", "/api/v1/applicants", nil),
                (APIClient(app: app, token: nil), .GET, "/health", "/health", nil),
                (APIClient(app: app, token: nil), .GET, "/api/v1/me", "/api/v1/me", nil),
            ]
            for (client, method, url, template, body) in calls {
                let response = try await client.send(method, url, json: body)
                let status = String(response.status.code)
                let paths = try #require(doc["paths"] as? [String: [String: Any]])
                let operation = try #require(paths[template]?[method.rawValue.lowercased()] as? [String: Any], "\(method) \(template)")
                let responses = try #require(operation["responses"] as? [String: Any])
                let documented = try #require(responses[status] as? [String: Any], "\(method) \(url) answered undocumented \(status)")
                guard let content = documented["content"] as? [String: Any] else { continue }
                let mediaType = response.isProblem ? "application/problem+json" : "application/json"
                let schema = try #require((content[mediaType] as? [String: Any])?["schema"], "\(method) \(url) \(status) \(mediaType)")
                let value = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
                let problems = SchemaCheck(document: doc).errors(value, against: schema, at: "$")
                #expect(problems.isEmpty, "\(method) \(url) \(status): \(problems)")
            }
        }
    }
}

/// A decoded JSON value that keeps booleans and numbers apart (Foundation's `Any` does not on Linux).
enum JSONValue: Decodable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }
}

/// A small JSON Schema check (type, required, properties, items, enum, $ref) — enough to catch a
/// response that drifted from its documented shape.
struct SchemaCheck {
    let document: [String: Any]

    func resolve(_ schema: Any) -> [String: Any] {
        guard let object = schema as? [String: Any] else { return [:] }
        if let ref = object["$ref"] as? String {
            let name = ref.split(separator: "/").last.map(String.init) ?? ""
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
            return resolve(schemas?[name] ?? [:])
        }
        return object
    }

    func errors(_ value: JSONValue, against rawSchema: Any, at path: String) -> [String] {
        let schema = resolve(rawSchema)
        var found: [String] = []
        let types: [String] = (schema["type"] as? [String]) ?? ((schema["type"] as? String).map { [$0] } ?? [])
        if !types.isEmpty && !types.contains(where: { matches(value, type: $0) }) {
            return ["\(path): expected \(types.joined(separator: "|")), got \(value)"]
        }
        switch value {
        case .string(let string):
            if let allowed = schema["enum"] as? [String], !allowed.contains(string) { found.append("\(path): \(string) not in \(allowed)") }
        case .object(let object):
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                found.append("\(path).\(key): required")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, child) in object {
                if let propertySchema = properties[key] { found += errors(child, against: propertySchema, at: "\(path).\(key)") }
                else if !properties.isEmpty { found.append("\(path).\(key): not documented") }
            }
        case .array(let array):
            if let items = schema["items"] {
                for (index, item) in array.enumerated() { found += errors(item, against: items, at: "\(path)[\(index)]") }
            }
        default: break
        }
        return found
    }

    private func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("number", .number): true
        case ("integer", .number(let number)): number == number.rounded()
        default: false
        }
    }
}
