@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Changing a staff member's role and deactivating accounts: who may, what is refused, and what the audit log keeps.
@Suite("Account management")
struct AccountManagementTests {
    @Test("an employer admin makes their mentor an administrator and back; the audit log keeps both changes")
    func roleChange() async throws {
        try await withTestApp { app in
            let world = try await Make.world(app)
            let admin = Browser(app)
            _ = try await admin.signIn(world.adminA.email)
            let page = try await admin.get("/people/\(world.mentorA.id!)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Change the role"))
            let changed = try await admin.post("/people/\(world.mentorA.id!)/role", ["role": "employer_admin"])
            #expect(changed.headers.first(name: .location) == "/people/\(world.mentorA.id!)?changed=role")
            #expect(try await User.find(world.mentorA.id, on: app.db)?.role == .employerAdmin)
            let same = try await admin.post("/people/\(world.mentorA.id!)/role", ["role": "employer_admin"])
            #expect(same.status == .unprocessableEntity)
            #expect(same.text.contains("already has this role."))
            let bad = try await admin.post("/people/\(world.mentorA.id!)/role", ["role": "program_admin"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("Choose mentor or employer administrator."))
            _ = try await admin.post("/people/\(world.mentorA.id!)/role", ["role": "mentor"])
            let changes = try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.roleChanged.rawValue).sort(\.$seq).all()
            #expect(changes.map(\.summary) == ["\(world.mentorA.email): Mentor → Employer administrator", "\(world.mentorA.email): Employer administrator → Mentor"])
            #expect(changes.allSatisfy { $0.actor == world.adminA.email })
        }
    }

    @Test("nobody reaches another employer's people, their own account, or an apprentice's role; mentors and apprentices manage nobody")
    func refusals() async throws {
        try await withTestApp { app in
            // Apprentice A is registered under mentor A.
            let s = try await TrainingRecordTests.setup(app)
            let world = s.world
            let admin = Browser(app)
            _ = try await admin.signIn(world.adminA.email)
            #expect(try await admin.get("/people/\(world.mentorB.id!)").status == .notFound)
            #expect(try await admin.post("/people/\(world.mentorB.id!)/active", ["active": "0"]).status == .notFound)
            #expect(try await admin.get("/people/\(world.adminA.id!)").status == .notFound)
            #expect(try await admin.get("/people/\(world.apprenticeA.id!)").status == .notFound)
            #expect(try await User.find(world.mentorB.id, on: app.db)?.isActive == true)
            for user in [world.mentorA, world.apprenticeA] {
                let browser = Browser(app)
                _ = try await browser.signIn(user.email)
                #expect(try await browser.get("/people/\(world.adminA.id!)").status == .forbidden)
                #expect(try await browser.post("/people/\(world.adminA.id!)/active", ["active": "0"]).status == .forbidden)
            }
            // A mentor with an apprentice in the program keeps the role until the apprentice has another mentor.
            let sponsor = Browser(app)
            _ = try await sponsor.signIn(s.world.admin.email)
            let refused = try await sponsor.post("/people/\(s.world.mentorA.id!)/role", ["role": "employer_admin"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("mentors 1 apprentice in the program"))
            #expect(try await User.find(s.world.mentorA.id, on: app.db)?.role == .mentor)
        }
    }

    @Test("a deactivated account is signed out at once, its API token stops working, and the sponsor can reactivate it")
    func deactivation() async throws {
        try await withTestApp { app in
            let world = try await Make.world(app)
            let person = Browser(app)
            _ = try await person.signIn(world.adminB.email)
            #expect(try await person.get("/dashboard").status == .ok)
            let token = try await Make.token(app, for: world.adminB)
            let sponsor = Browser(app)
            _ = try await sponsor.signIn(world.admin.email)
            let off = try await sponsor.post("/people/\(world.adminB.id!)/active", ["active": "0"])
            #expect(off.status == .seeOther)
            #expect(try await person.get("/dashboard").status == .seeOther)
            let api = try await app.testing().sendRequest(.GET, "/api/v1/apprentices", headers: ["Authorization": "Bearer \(token)"])
            #expect(api.status == .unauthorized)
            let list = try await sponsor.get("/people")
            #expect(list.text.contains("Deactivated"))
            _ = try await sponsor.post("/people/\(world.adminB.id!)/active", ["active": "1"])
            #expect(try await Browser(app).signIn(world.adminB.email).status == .seeOther)
            let actions = try await AuditEntry.query(on: app.db).sort(\.$seq).all().map(\.action)
            #expect(actions.contains(AuditAction.accountDeactivated.rawValue))
            #expect(actions.contains(AuditAction.accountReactivated.rawValue))
        }
    }
}
