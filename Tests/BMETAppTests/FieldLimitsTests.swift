@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Every text field has one limit (FieldLimits), enforced for forms and the API and stated in the OpenAPI document.
@Suite("Field limits")
struct FieldLimitsTests {
    @Test("a 20,000-character guardian name or applicant name is refused, naming the field; nothing is stored")
    func longFormFields() async throws {
        try await withTestApp { app in
            let s = try await RegistrationTests.setup(app)
            let employer = Browser(app)
            _ = try await employer.signIn(s.world.adminA.email)
            let long = String(repeating: "x", count: 20_000)
            let registered = try await employer.post("/apprentices", RegistrationTests.form(s, ["email": s.world.apprenticeA.email, "guardianName": long]))
            #expect(registered.status == .unprocessableEntity)
            #expect(registered.text.contains("guardianName"))
            #expect(registered.text.contains("At most 200 characters"))
            #expect(try await Apprentice.query(on: app.db).count() == 0)

            let applicants = try await Applicant.query(on: app.db).count()
            let applied = try await Browser(app).post("/apply", RecruitmentTests.application(["fullName": long]))
            #expect(applied.status == .unprocessableEntity)
            #expect(try await Applicant.query(on: app.db).count() == applicants)
            // At the limit is fine.
            let atLimit = try await Browser(app).post("/apply", RecruitmentTests.application(["statement": String(repeating: "y", count: FieldLimits.limit(for: "statement"))]))
            #expect(atLimit.status == .seeOther)
        }
    }

    @Test("the API refuses a description over its limit with a 422 problem naming it")
    func longAPIField() async throws {
        try await withTestApp { app in
            let f = try await TrainingAPITests.fixture(app)
            let description = String(repeating: "d", count: FieldLimits.limit(for: "description") + 1)
            let response = try await f.send(f.w.apprenticeA, .POST, f.hoursPath, ["entries": [TrainingAPITests.entry(-1, description: description)]])
            #expect(response.status == .unprocessableEntity)
            #expect(response.isProblem)
            #expect(try TrainingAPITests.fields(response).contains("description"))
            #expect(try await HourEntry.query(on: app.db).count() == 0)
        }
    }

    @Test("services take exactly the table's limit: nothing stricter behind the edge, nothing looser")
    func servicesUseTheTable() async throws {
        try await withTestApp { app in
            let f = try await TrainingAPITests.fixture(app)
            func text(_ field: String, extra: Int = 0, _ character: String = "x") -> String {
                String(repeating: character, count: FieldLimits.limit(for: field) + extra)
            }
            // An employer's street and city (the address rules were stricter: 100 and 50).
            let admin = APIClient(app: app, token: try await Make.token(app, for: f.w.admin))
            let employer = try await admin.send(.POST, "/api/v1/employers", json: [
                "name": text("name"), "addressLine1": text("addressLine1"), "city": text("city", "a"), "state": "TX", "zip": "78701"])
            #expect(employer.status == .created, "\(employer.text)")
            // Notes: an assessment request (was 500), instruction's grade (was 20) and note of a credential (was 1,000).
            let asked = try await f.send(f.w.apprenticeA, .POST, f.path("assessment-requests"), ["skillCode": "TR-01", "note": text("note")])
            #expect(asked.status == .created)
            let graded = try await f.send(f.w.mentorA, .POST, f.path("instruction"), ["courseCode": "RTI-HTM", "status": "completed", "provider": text("provider"),
                                                                                    "date": TrainingAPITests.day(-1), "hours": 36, "grade": text("grade")])
            #expect(graded.status == .created)
            let planned = try await f.send(f.w.apprenticeA, .POST, f.path("credentials"), ["credentialCode": "cabt", "status": "planned", "note": text("note")])
            #expect(planned.status == .created)
            // One over is refused by the service too, not only at the edge.
            let overGrade = InstructionInput(courseCode: "RTI-HTM", status: "enrolled", provider: "Houston CC", date: TrainingAPITests.day(-1), grade: text("grade", extra: 1))
            await #expect(throws: ValidationFailure.self) {
                try await InstructionAndCredentials.recordInstruction(f.apprentice, overGrade, by: f.w.apprenticeA, on: app.db)
            }
            await #expect(throws: ValidationFailure.self) { try await APITokens.create(for: f.w.admin, name: text("name", extra: 1), on: app.db) }
            _ = try await APITokens.create(for: f.w.admin, name: text("name"), on: app.db)
            // A note on an applicant's status change (was 1,000).
            #expect(try await Browser(app).post("/apply", RecruitmentTests.application()).status == .seeOther)
            let applicant = try #require(try await Applicant.query(on: app.db).filter(\.$status == .new).first())
            try await Applications.move(applicant, to: .screening, note: text("note"), referTo: nil, by: f.w.admin, settings: app.settings, cipher: app.dataCipher, on: app.db)
        }
    }

    @Test("every string property of a request schema states the table's maxLength")
    func openAPIStatesLimits() throws {
        let document = try OpenAPITests.document()
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        let inputs = schemas.filter { $0.key.hasSuffix("Input") || $0.key.hasSuffix("Patch") }
        #expect(!inputs.isEmpty)
        var checked = 0
        func visit(_ schema: [String: Any], _ path: String) {
            for (name, value) in schema["properties"] as? [String: [String: Any]] ?? [:] {
                let type = value["type"]
                let isString = (type as? String) == "string" || ((type as? [String])?.contains("string") ?? false)
                if isString, value["enum"] == nil, value["format"] == nil {
                    #expect(value["maxLength"] as? Int == FieldLimits.limit(for: name), "\(path).\(name)")
                    checked += 1
                }
                visit(value, "\(path).\(name)")
                if let items = value["items"] as? [String: Any] { visit(items, "\(path).\(name)[]") }
            }
        }
        for (name, schema) in inputs { visit(schema, name) }
        #expect(checked > 20)
    }

    @Test("the OpenAPI document states the other real constraints: required text non-empty, ZIP and state patterns, hour and step ranges")
    func openAPIStatesConstraints() throws {
        let schemas = try #require((try OpenAPITests.document()["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        for (name, schema) in schemas where name.hasSuffix("Input") {
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for field in schema["required"] as? [String] ?? [] {
                guard let property = properties[field], property["type"] as? String == "string", property["enum"] == nil, property["format"] == nil else { continue }
                #expect(property["minLength"] as? Int == 1, "\(name).\(field)")
            }
        }
        let employer = try #require(schemas["EmployerInput"]?["properties"] as? [String: [String: Any]])
        let zip = try #require(employer["zip"]?["pattern"] as? String)
        #expect("77030".range(of: zip, options: .regularExpression) != nil && "77030-1234".range(of: zip, options: .regularExpression) != nil)
        #expect("7703".range(of: zip, options: .regularExpression) == nil)
        #expect(USAddressRules.isValidZIP("77030-1234") && !USAddressRules.isValidZIP("7703"))
        let hours = try #require((schemas["HourEntryInput"]?["properties"] as? [String: [String: Any]])?["hours"])
        #expect(hours["exclusiveMinimum"] as? Int == 0 && hours["maximum"] as? Int == HourRules.maxMinutesPerDay / 60)
        #expect(((schemas["WageRaiseInput"]?["properties"] as? [String: [String: Any]])?["step"]?["minimum"] as? Int) == 1)
    }
}
