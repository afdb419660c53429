@testable import BMETApp
import BMETDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@Suite("Loading program standards")
struct StandardsLoadingTests {
    @Test("the shipped BMET standards load as version 1 with 10 skill sets and 196 skills")
    func loadShipped() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let api = APIClient(app: app, token: try await Make.token(app, for: admin))
            let response = try await api.send(.POST, "/api/v1/programs", rawBody: try Make.standardsFile)
            #expect(response.status == .created)
            let body = try response.json()
            #expect(body["rapidsCode"] as? String == "0888HY")
            #expect(body["onetSocCode"] as? String == "49-9062.00")
            #expect(body["versionNumber"] as? Int == 1)
            #expect(try await SkillSetRecord.query(on: app.db).count() == 10)
            #expect(try await SkillRecord.query(on: app.db).count() == 196)
            let first = try #require(try await SkillSetRecord.query(on: app.db).filter(\.$position == 1).first())
            #expect(first.title == "Orientation and Safety")
            #expect(first.requiredHours == 200)

            // The same file again is not a new version.
            #expect(try await api.send(.POST, "/api/v1/programs", rawBody: try Make.standardsFile).status == .conflict)
        }
    }

    @Test("a changed file becomes version 2 and version 1 stays as it was")
    func newVersion() async throws {
        try await withTestApp { app in
            let v1 = try await StandardsLibrary.load(try Make.standardsFile, loadedBy: nil, on: app.db)
            var json = try #require(try JSONSerialization.jsonObject(with: try Make.standardsFile) as? [String: Any])
            json["version"] = "2027.1"
            let v2 = try await StandardsLibrary.load(try JSONSerialization.data(withJSONObject: json), loadedBy: nil, on: app.db)
            #expect(v2.versionNumber == 2)
            let reloaded = try #require(try await ProgramVersion.find(v1.id, on: app.db))
            #expect(reloaded.versionNumber == 1)
            #expect(reloaded.document == v1.document)
            #expect(try await SkillSetRecord.query(on: app.db).count() == 20)
        }
    }

    @Test("a bad file is refused whole, with every error's path, and nothing is stored")
    func badFile() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            var json = try #require(try JSONSerialization.jsonObject(with: try Make.standardsFile) as? [String: Any])
            var sets = try #require(json["skillSets"] as? [[String: Any]])
            sets[3]["hours"] = 0
            json["skillSets"] = sets
            json["termMonths"] = -1
            let bad = try JSONSerialization.data(withJSONObject: json)

            let api = APIClient(app: app, token: try await Make.token(app, for: admin))
            let response = try await api.send(.POST, "/api/v1/programs", rawBody: bad)
            #expect(response.status == .unprocessableEntity)
            #expect(response.isProblem)
            let fields = (try response.json()["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields.contains("skillSets[3].hours"))
            #expect(fields.contains("termMonths"))

            let browser = Browser(app)
            _ = try await browser.signIn(admin.email)
            let page = try await browser.upload("/programs", field: "file", filename: "bad.json", data: bad)
            #expect(page.status == .unprocessableEntity)
            #expect(page.text.contains("skillSets[3].hours: must be greater than 0"))
            #expect(page.text.contains("Nothing was changed"))

            #expect(try await ProgramVersion.query(on: app.db).count() == 0)
            #expect(try await SkillSetRecord.query(on: app.db).count() == 0)
        }
    }

    @Test("a program admin loads the standards through the web form and sees the schedule")
    func webUpload() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let browser = Browser(app)
            _ = try await browser.signIn(admin.email)
            let response = try await browser.upload("/programs", field: "file", filename: "aami-bmet.json", data: try Make.standardsFile)
            #expect(response.status == .seeOther)
            let page = try await browser.get(try #require(response.location))
            #expect(page.status == .ok)
            #expect(page.text.contains("Orientation and Safety"))
            #expect(page.text.contains("0888HY"))
            #expect(page.text.contains("196 skills"))
            // Everyone signed in can read the schedule; only program admins can load one.
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(try await Make.user(app, role: .apprentice, employer: try await Make.employer(app)).email)
            #expect(try await apprentice.get(try #require(response.location)).status == .ok)
            #expect(try await apprentice.upload("/programs", field: "file", filename: "x.json", data: try Make.standardsFile).status == .forbidden)
        }
    }
}
