@testable import BMETApp
import Fluent
import Testing
import Vapor
import VaporTesting

/// Each role tries what it must not do, in the browser and through the API.
@Suite("Authorization")
struct AuthorizationTests {
    @Test("signed-out visitors are sent to sign in; the API answers 401 with a problem document")
    func signedOut() async throws {
        try await withTestApp { app in
            let browser = Browser(app)
            for path in ["/dashboard", "/employers", "/people", "/programs", "/outbox", "/account", "/approvals", "/hours/months"] {
                let response = try await browser.get(path)
                #expect(response.status == .seeOther, "\(path)")
                #expect(response.location?.hasPrefix("/login?next=") == true, "\(path)")
            }
            let api = APIClient(app: app, token: nil)
            for path in ["/api/v1/me", "/api/v1/people", "/api/v1/employers", "/api/v1/programs", "/api/v1/invitations"] {
                let response = try await api.send(.GET, path)
                #expect(response.status == .unauthorized, "\(path)")
                #expect(response.isProblem, "\(path)")
            }
            #expect(try await APIClient(app: app, token: "bmet_not-a-real-token").send(.GET, "/api/v1/me").status == .unauthorized)
        }
    }

    @Test("web pages refuse roles that must not reach them")
    func webRoles() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let provider = try await ProviderTests.provider(app, "Alamo Colleges", by: w.admin)
            let providerStaff = try await ProviderTests.staff(app, of: provider, name: "Ada Alamo-Staff")
            let cases: [(User, String, HTTPStatus)] = [
                (w.apprenticeA, "/employers", .forbidden),
                (w.apprenticeA, "/people", .forbidden),
                (w.apprenticeA, "/people/invite", .forbidden),
                (w.apprenticeA, "/outbox", .forbidden),
                (w.mentorA, "/employers", .forbidden),
                (w.mentorA, "/people/invite", .forbidden),
                (w.mentorA, "/outbox", .forbidden),
                (w.adminA, "/employers", .forbidden),
                (w.adminA, "/employers/new", .forbidden),
                (w.adminA, "/outbox", .forbidden),
                (w.adminA, "/employers/\(w.employerB.id!)", .notFound),
                (w.adminB, "/employers/\(w.employerA.id!)", .notFound),
                (w.adminA, "/employers/\(w.employerA.id!)", .ok),
                (w.admin, "/employers/\(w.employerB.id!)", .ok),
                // The approval queue is the mentors'; payroll months are the employer's.
                (w.apprenticeA, "/approvals", .forbidden),
                (w.adminA, "/approvals", .forbidden),
                (w.admin, "/approvals", .forbidden),
                (w.mentorA, "/approvals", .ok),
                (w.mentorA, "/hours/months", .forbidden),
                (w.apprenticeA, "/hours/months", .forbidden),
                (w.adminA, "/hours/months", .ok),
                // A provider's staff: their own pages only (ProviderTests covers their students).
                (providerStaff, "/employers", .forbidden),
                (providerStaff, "/people", .forbidden),
                (providerStaff, "/apprentices", .forbidden),
                (providerStaff, "/approvals", .forbidden),
                (providerStaff, "/hours/months", .forbidden),
                (providerStaff, "/outbox", .forbidden),
                (providerStaff, "/providers", .forbidden),
                (providerStaff, "/provider", .ok),
                (w.admin, "/providers", .ok),
                (w.admin, "/provider", .forbidden),
                (w.adminA, "/providers", .forbidden),
                (w.mentorA, "/provider", .forbidden),
                (w.apprenticeA, "/provider", .forbidden),
            ]
            for (user, path, expected) in cases {
                let browser = Browser(app)
                _ = try await browser.signIn(user.email)
                #expect(try await browser.get(path).status == expected, "\(user.role) GET \(path)")
            }
        }
    }

    @Test("employer staff never see another employer's people")
    func peopleScoping() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            for user in [w.adminA, w.mentorA] {
                let browser = Browser(app)
                _ = try await browser.signIn(user.email)
                let page = try await browser.get("/people").text
                #expect(page.contains(w.apprenticeA.fullName))
                #expect(!page.contains(w.apprenticeB.fullName))
                #expect(!page.contains(w.mentorB.fullName))
                let api = try await APIClient(app: app, token: try await Make.token(app, for: user)).send(.GET, "/api/v1/people")
                let names = (try api.json()["items"] as? [[String: Any]] ?? []).compactMap { $0["fullName"] as? String }
                #expect(names.contains(w.apprenticeA.fullName))
                #expect(!names.contains(w.apprenticeB.fullName))
                #expect(!names.contains(w.admin.fullName))
            }
            let adminView = try await APIClient(app: app, token: try await Make.token(app, for: w.admin)).send(.GET, "/api/v1/people")
            #expect((try adminView.json()["items"] as? [Any])?.count == 7)
        }
    }

    @Test("the API refuses roles and employers that must not reach a record")
    func apiRoles() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            func api(_ user: User) async throws -> APIClient { APIClient(app: app, token: try await Make.token(app, for: user)) }
            let employerJSON = ["name": "Lone Star Imaging", "addressLine1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701"]
            let inviteJSON = ["email": "x@example.org", "fullName": "X Person", "role": "mentor"]

            #expect(try await api(w.adminA).send(.POST, "/api/v1/employers", json: employerJSON).status == .forbidden)
            #expect(try await api(w.mentorA).send(.POST, "/api/v1/invitations", json: inviteJSON).status == .forbidden)
            #expect(try await api(w.apprenticeA).send(.GET, "/api/v1/people").status == .forbidden)
            #expect(try await api(w.apprenticeA).send(.GET, "/api/v1/employers").status == .forbidden)
            #expect(try await api(w.mentorA).send(.POST, "/api/v1/programs", rawBody: try Make.standardsFile).status == .forbidden)
            #expect(try await api(w.adminA).send(.GET, "/api/v1/employers/\(w.employerB.id!)").status == .notFound)
            #expect(try await api(w.adminA).send(.GET, "/api/v1/people/\(w.apprenticeB.id!)").status == .notFound)
            #expect(try await api(w.mentorB).send(.GET, "/api/v1/people/\(w.apprenticeA.id!)").status == .notFound)
            #expect(try await api(w.adminA).send(.GET, "/api/v1/people/\(w.apprenticeA.id!)").status == .ok)
            let forbidden = try await api(w.apprenticeA).send(.GET, "/api/v1/people")
            #expect(forbidden.isProblem)
            #expect(try await Employer.query(on: app.db).count() == 2)
            #expect(try await Invitation.query(on: app.db).count() == 0)
        }
    }

    @Test("an employer admin cannot invite into another employer or as program admin")
    func inviteScoping() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let api = APIClient(app: app, token: try await Make.token(app, for: w.adminA))
            // Naming employer B is ignored: the invitation lands in the admin's own employer.
            let created = try await api.send(.POST, "/api/v1/invitations", json: ["email": "m@example.org", "fullName": "M", "role": "mentor", "employerID": w.employerB.id!.uuidString])
            #expect(created.status == .created)
            #expect(try created.json()["employerID"] as? String == w.employerA.id!.uuidString)
            let asAdmin = try await api.send(.POST, "/api/v1/invitations", json: ["email": "p@example.org", "fullName": "P", "role": "program_admin"])
            #expect(asAdmin.status == .unprocessableEntity)
            #expect(try await Invitation.query(on: app.db).count() == 1)
            // Employer B's admin does not see employer A's invitations.
            let listB = try await APIClient(app: app, token: try await Make.token(app, for: w.adminB)).send(.GET, "/api/v1/invitations")
            #expect((try listB.json()["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a revoked API token stops working; tokens are stored only as hashes")
    func tokenRevocation() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let browser = Browser(app)
            _ = try await browser.signIn(w.mentorA.email)
            let page = try await browser.post("/account/tokens", ["name": "Laptop"])
            #expect(page.status == .created)
            let secret = String(try #require(page.text.firstMatch(of: /bmet_[A-Za-z0-9_-]{43}/)).0)
            let stored = try #require(try await APIToken.query(on: app.db).first())
            #expect(stored.tokenHash == SecureToken.hash(secret))
            #expect(stored.tokenHash != secret)

            let api = APIClient(app: app, token: secret)
            #expect(try await api.send(.GET, "/api/v1/me").status == .ok)
            // Another user cannot revoke it.
            let other = APIClient(app: app, token: try await Make.token(app, for: w.mentorB))
            #expect(try await other.send(.DELETE, "/api/v1/tokens/\(stored.id!)").status == .notFound)
            #expect(try await api.send(.DELETE, "/api/v1/tokens/\(stored.id!)").status == .noContent)
            #expect(try await api.send(.GET, "/api/v1/me").status == .unauthorized)
        }
    }
}
