@testable import BMETApp
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Deactivation and a password reset end sessions and API tokens for good.
@Suite("Sessions and tokens that end")
struct RevocationTests {
    static func apiStatus(_ app: Application, _ token: String) async throws -> HTTPResponseStatus {
        try await app.testing().sendRequest(.GET, "/api/v1/me/notifications", headers: ["Authorization": "Bearer \(token)"]).status
    }

    @Test("reactivating an account does not bring back its old sessions or API tokens")
    func reactivationDoesNotRevive() async throws {
        try await withTestApp { app in
            let world = try await Make.world(app)
            let person = Browser(app)
            _ = try await person.signIn(world.adminB.email)
            let token = try await Make.token(app, for: world.adminB)
            #expect(try await Self.apiStatus(app, token) == .ok)
            let sponsor = Browser(app)
            _ = try await sponsor.signIn(world.admin.email)

            #expect(try await sponsor.post("/people/\(world.adminB.id!)/active", ["active": "0"]).status == .seeOther)
            #expect(try await sponsor.post("/people/\(world.adminB.id!)/active", ["active": "1"]).status == .seeOther)

            #expect(try await person.get("/dashboard").status == .seeOther) // the old session stays ended
            #expect(try await Self.apiStatus(app, token) == .unauthorized)
            #expect(try await UserSession.query(on: app.db).filter(\.$user.$id == world.adminB.id!).count() == 0)
            let tokens = try await APIToken.query(on: app.db).filter(\.$user.$id == world.adminB.id!).all()
            #expect(!tokens.isEmpty && tokens.allSatisfy { $0.revokedAt != nil })
            // A fresh sign-in works again.
            #expect(try await Browser(app).signIn(world.adminB.email).status == .seeOther)
        }
    }

    @Test("a password reset revokes the account's API tokens as well as its sessions")
    func resetRevokesTokens() async throws {
        try await withTestApp { app in
            let mentor = try await Make.user(app, role: .mentor, employer: try await Make.employer(app))
            let token = try await Make.token(app, for: mentor)
            #expect(try await Self.apiStatus(app, token) == .ok)
            let browser = Browser(app)
            _ = try await browser.post("/forgot-password", ["email": mentor.email])
            let path = "/reset-password/\(try await Inbox.token(app, to: mentor.email, path: "reset-password"))"
            #expect(try await browser.post(path, ["password": "a-brand-new-pass", "passwordConfirm": "a-brand-new-pass"]).status == .seeOther)
            #expect(try await Self.apiStatus(app, token) == .unauthorized)
            #expect(try await APIToken.query(on: app.db).filter(\.$user.$id == mentor.id!).filter(\.$revokedAt == nil).count() == 0)
        }
    }
}
