@testable import BMETApp
import Fluent
import Testing
import Vapor
import VaporTesting

@Suite("Employers")
struct EmployerTests {
    @Test("a program admin adds an employer and invites its administrator; the e-mail is in the outbox")
    func addAndInvite() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let browser = Browser(app)
            _ = try await browser.signIn(admin.email)
            let created = try await browser.post("/employers", ["name": "Lone Star Imaging", "addressLine1": "100 Congress Ave", "city": "Austin", "state": "TX", "zip": "78701", "phone": "(512) 555-0100"])
            #expect(created.status == .seeOther)
            let employer = try #require(try await Employer.query(on: app.db).first())
            #expect(employer.state == "TX")
            let invited = try await browser.post("/people/invite", ["email": "hr@lonestar.example", "fullName": "Rita HR", "role": "employer_admin", "employerID": employer.id!.uuidString])
            #expect(invited.status == .seeOther)
            let page = try await browser.get(invited.location ?? "")
            #expect(page.text.contains("hr@lonestar.example"))
            #expect(page.text.contains("pending"))
            let outbox = try await browser.get("/outbox")
            #expect(outbox.text.contains("hr@lonestar.example"))
            #expect(outbox.text.contains("You are invited"))
        }
    }

    @Test("a bad address re-renders the form with the input and a message by each field; nothing is saved")
    func badAddressForm() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let browser = Browser(app)
            _ = try await browser.signIn(admin.email)
            let response = try await browser.post("/employers", ["name": "Gulf Coast <b>Medical</b>", "addressLine1": "", "city": "Houston", "state": "TX", "zip": "43210"])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("id=\"addressLine1-error\""))
            #expect(response.text.contains("id=\"zip-error\""))
            #expect(response.text.contains("value=\"Gulf Coast &lt;b&gt;Medical&lt;/b&gt;\"")) // kept, and escaped
            #expect(response.text.contains("<option value=\"TX\" selected>"))
            #expect(try await Employer.query(on: app.db).count() == 0)
        }
    }

    @Test("the API refuses a non-U.S. state and a malformed ZIP with 422 problem details naming each field")
    func badAddressAPI() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let api = APIClient(app: app, token: try await Make.token(app, for: admin))
            let response = try await api.send(.POST, "/api/v1/employers", json: ["name": "Toronto General", "addressLine1": "200 Elizabeth St", "city": "Toronto", "state": "ON", "zip": "M5G 2C4"])
            #expect(response.status == .unprocessableEntity)
            #expect(response.isProblem)
            let fields = (try response.json()["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields.contains("state"))
            #expect(fields.contains("zip"))
            let malformed = try await api.send(.POST, "/api/v1/employers", rawBody: Data("{not json".utf8))
            #expect(malformed.status == .badRequest)
            #expect(malformed.isProblem)
            #expect(try await Employer.query(on: app.db).count() == 0)

            let ok = try await api.send(.POST, "/api/v1/employers", json: ["name": "Lone Star Imaging", "addressLine1": "100 Congress Ave", "city": "Austin", "state": "tx", "zip": "78701-1234"])
            #expect(ok.status == .created)
            #expect(try ok.json()["state"] as? String == "TX")
            let duplicate = try await api.send(.POST, "/api/v1/employers", json: ["name": "Lone Star Imaging", "addressLine1": "1 Other St", "city": "Austin", "state": "TX", "zip": "78701"])
            #expect(duplicate.status == .unprocessableEntity)
        }
    }

    @Test("the employers list counts each employer's people")
    func listCounts() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            _ = try await Make.user(app, role: .apprentice, employer: w.employerB)
            let counts = try await EmployersController.peopleCounts(on: app.db)
            #expect(counts[w.employerA.id!] == 3)
            #expect(counts[w.employerB.id!] == 4)
            let browser = Browser(app)
            _ = try await browser.signIn(w.admin.email)
            let page = try await browser.get("/employers").text
            #expect(page.contains("Buckeye Clinical Engineering</a></td><td>Columbus</td><td>OH</td><td class=\"num\">4</td>"))
        }
    }

    @Test("an invitation whose employer was left on \"Choose…\" comes back with a message, not an error page")
    func inviteWithoutEmployer() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let browser = Browser(app)
            _ = try await browser.signIn(w.admin.email)
            let response = try await browser.post("/people/invite", ["email": "m@example.org", "fullName": "M", "role": "mentor", "employerID": ""])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("Choose the employer this person works for"))
            #expect(try await Invitation.query(on: app.db).count() == 0)
        }
    }
}
