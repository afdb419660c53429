@testable import BMETApp
import Fluent
import Testing
import Vapor
import VaporTesting

/// Every page each role can reach renders in the layout, with the role's menu and a next step.
@Suite("Pages per role")
struct PagesTests {
    @Test("every page a role can open renders", arguments: [Role.programAdmin, .employerAdmin, .mentor, .apprentice, .instructionProvider])
    func pagesRender(role: Role) async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let version = try await StandardsLibrary.load(try Make.standardsFile, loadedBy: nil, on: app.db)
            let message = try await Outbox.enqueue(to: "x@example.org", subject: "Subject line", body: "Hello <there>", on: app.db)
            let provider = try await ProviderTests.provider(app, "Alamo Colleges", by: w.admin)
            let providerStaff = try await ProviderTests.staff(app, of: provider, name: "Ada Alamo-Staff")
            let user = switch role {
            case .programAdmin: w.admin
            case .employerAdmin: w.adminA
            case .mentor: w.mentorA
            case .apprentice: w.apprenticeA
            case .instructionProvider: providerStaff
            }
            // A provider's staff have their own dashboard; /dashboard sends them there.
            let dashboardPath = role == .instructionProvider ? "/provider" : "/dashboard"
            var paths = [dashboardPath, "/programs", "/programs/\(version.id!)", "/account", "/"]
            switch role {
            case .programAdmin:
                paths += ["/employers", "/employers/new", "/employers/\(w.employerA.id!)", "/people", "/people?role=mentor", "/people/invite", "/outbox", "/outbox/\(message.id!)",
                          "/providers", "/providers/new", "/providers/\(provider.id!)"]
            case .employerAdmin:
                paths += ["/employers/\(w.employerA.id!)", "/people", "/people/invite"]
            case .mentor:
                paths += ["/people"]
            case .apprentice, .instructionProvider:
                break
            }
            let browser = Browser(app)
            #expect(try await browser.signIn(user.email).status == .seeOther)
            for path in paths {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(role) \(path)")
                #expect(page.text.contains("</main>"), "\(role) \(path)")
                #expect(page.text.contains(user.fullName), "\(role) \(path)")
            }
            let dashboard = try await browser.get(dashboardPath).text
            #expect(dashboard.contains("Your next step"))
            if role != .instructionProvider { #expect(dashboard.contains("Orientation and Safety")) }
            if role == .programAdmin {
                #expect(try await browser.get("/outbox/\(message.id!)").text.contains("Hello &lt;there&gt;"))
            }
        }
    }

    @Test("the employer admin's menu leads to their own organization")
    func mineRedirect() async throws {
        try await withTestApp { app in
            let w = try await Make.world(app)
            let browser = Browser(app)
            _ = try await browser.signIn(w.adminB.email)
            let response = try await browser.get("/employers/mine")
            #expect(response.location == "/employers/\(w.employerB.id!)")
        }
    }
}
