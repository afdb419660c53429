@testable import BMETApp
import Fluent
import Testing
import Vapor
import VaporTesting

@Suite("Sign-in, sessions, CSRF, reset, invitations")
struct AuthTests {
    @Test("signing in stores a hashed session, sets an HttpOnly SameSite cookie and rotates the session")
    func signInRotates() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let browser = Browser(app)
            // A session id planted before sign-in must not survive it.
            let first = try await browser.signIn(admin.email)
            #expect(first.status == .seeOther)
            let setCookie = first.headers[.setCookie].first { $0.hasPrefix(CurrentSession.cookieName + "=") } ?? ""
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Lax"))
            let firstToken = try #require(browser.cookies[CurrentSession.cookieName])
            #expect(try await UserSession.query(on: app.db).filter(\.$tokenHash == SecureToken.hash(firstToken)).count() == 1)
            #expect(try await UserSession.query(on: app.db).filter(\.$tokenHash == firstToken).count() == 0)

            _ = try await browser.signIn(admin.email)
            let secondToken = try #require(browser.cookies[CurrentSession.cookieName])
            #expect(secondToken != firstToken)
            #expect(try await UserSession.query(on: app.db).filter(\.$tokenHash == SecureToken.hash(firstToken)).count() == 0)
            #expect(try await browser.get("/dashboard").status == .ok)
        }
    }

    @Test("a wrong password is refused and the form keeps the e-mail")
    func wrongPassword() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let response = try await Browser(app).signIn(admin.email, password: "not the password")
            #expect(response.status == .unauthorized)
            #expect(response.text.contains("do not match"))
            #expect(response.text.contains("value=\"\(admin.email)\""))
        }
    }

    @Test("five failed sign-ins lock the account for a while, even with the right password")
    func throttle() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let browser = Browser(app)
            for _ in 0..<5 { #expect(try await browser.signIn(admin.email, password: "wrong-password").status == .unauthorized) }
            let locked = try await browser.signIn(admin.email)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.text.contains("Too many failed sign-ins"))
            #expect(browser.cookies[CurrentSession.cookieName] == nil)
        }
    }

    @Test("a form without the CSRF token is refused and changes nothing")
    func csrf() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let browser = Browser(app)
            _ = try await browser.signIn(admin.email)
            let before = try await Employer.query(on: app.db).count()
            let response = try await browser.post("/employers", ["name": "X Hospital", "addressLine1": "1 Main St", "city": "Houston", "state": "TX", "zip": "77030"], csrf: "")
            #expect(response.status == .forbidden)
            let forged = try await browser.post("/employers", ["name": "X Hospital", "addressLine1": "1 Main St", "city": "Houston", "state": "TX", "zip": "77030"], csrf: "forged-token")
            #expect(forged.status == .forbidden)
            #expect(try await Employer.query(on: app.db).count() == before)
        }
    }

    @Test("signing out ends the session in the database")
    func signOut() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let browser = Browser(app)
            _ = try await browser.signIn(admin.email)
            #expect(try await UserSession.query(on: app.db).count() == 1)
            let out = try await browser.post("/logout")
            #expect(out.status == .seeOther)
            #expect(try await UserSession.query(on: app.db).count() == 0)
            let dashboard = try await browser.get("/dashboard")
            #expect(dashboard.status == .seeOther)
            #expect(dashboard.location?.hasPrefix("/login") == true)
        }
    }

    @Test("password reset by e-mailed link: works once, signs out other sessions")
    func passwordReset() async throws {
        try await withTestApp { app in
            let mentor = try await Make.user(app, role: .mentor, employer: try await Make.employer(app))
            let other = Browser(app)
            _ = try await other.signIn(mentor.email)

            let browser = Browser(app)
            let asked = try await browser.post("/forgot-password", ["email": mentor.email])
            #expect(asked.status == .ok)
            // Unknown addresses get the same answer and no e-mail.
            _ = try await browser.post("/forgot-password", ["email": "nobody@example.org"])
            let mails = try await OutboxMessage.query(on: app.db).all()
            #expect(mails.count == 1)
            // Staff reading the outbox never see the link; the sealed copy is for sending only.
            #expect(mails.first?.body.contains("/reset-password/[hidden") == true)
            #expect(mails.first?.sealedBody != nil)
            let path = "/reset-password/\(try await Inbox.token(app, to: mentor.email, path: "reset-password"))"
            #expect(try await OutboxMessage.query(on: app.db).first()?.sealedBody == nil) // wiped once sent

            let mismatch = try await browser.post(path, ["password": "a-brand-new-pass", "passwordConfirm": "different-pass"])
            #expect(mismatch.status == .unprocessableEntity)
            #expect(mismatch.text.contains("do not match"))

            let done = try await browser.post(path, ["password": "a-brand-new-pass", "passwordConfirm": "a-brand-new-pass"])
            #expect(done.status == .seeOther)
            #expect(try await other.get("/dashboard").status == .seeOther) // signed out everywhere
            #expect(try await browser.signIn(mentor.email, password: "a-brand-new-pass").status == .seeOther)
            #expect(try await browser.get(path).status == .notFound) // used up
        }
    }

    @Test("an invitation link creates the account with its role and employer, once")
    func invitationAccept() async throws {
        try await withTestApp { app in
            let world = try await Make.world(app)
            let admin = Browser(app)
            _ = try await admin.signIn(world.adminA.email)
            let sent = try await admin.post("/people/invite", ["email": "New.Mentor@Example.org", "fullName": "Nia Mentor", "role": "mentor"])
            #expect(sent.status == .seeOther)
            let token = try await Inbox.token(app, to: "new.mentor@example.org", path: "invitations")

            let invitee = Browser(app)
            let form = try await invitee.get("/invitations/\(token)")
            #expect(form.status == .ok)
            #expect(form.text.contains("new.mentor@example.org"))
            let short = try await invitee.post("/invitations/\(token)", ["fullName": "Nia Mentor", "password": "short", "passwordConfirm": "short"])
            #expect(short.status == .unprocessableEntity)
            #expect(short.text.contains("at least 10 characters"))
            #expect(short.text.contains("value=\"Nia Mentor\""))

            let created = try await invitee.post("/invitations/\(token)", ["fullName": "Nia Mentor", "password": "mentor-password-1", "passwordConfirm": "mentor-password-1"])
            #expect(created.status == .seeOther)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "new.mentor@example.org").first())
            #expect(user.role == .mentor)
            #expect(user.employerID == world.employerA.id)
            #expect(try await invitee.get("/dashboard").status == .ok)
            #expect(try await Browser(app).get("/invitations/\(token)").status == .notFound)
        }
    }

    @Test("sign-in only returns to pages of this site", arguments: ["//evil.example", "/\t/evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)"])
    func noOpenRedirect(next: String) async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let response = try await Browser(app).post("/login", ["email": admin.email, "password": Make.password, "next": next])
            if next.contains("\t") {
                // A control character is refused before sign-in is even tried (InputText): no redirect at all.
                #expect(response.status == .unprocessableEntity, "\(next)")
                #expect(response.location == nil)
            } else {
                #expect(response.location == "/dashboard", "\(next)")
            }
        }
    }

    @Test("pages of a signed-in person are not cached; the reset form cannot flood an inbox")
    func noStoreAndResetThrottle() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let browser = Browser(app)
            #expect(try await browser.get("/").headers.first(name: .cacheControl) == nil)
            _ = try await browser.signIn(admin.email)
            #expect(try await browser.get("/dashboard").headers.first(name: .cacheControl) == "no-store")
            let other = Browser(app)
            for _ in 0..<5 { #expect(try await other.post("/forgot-password", ["email": admin.email]).status == .ok) }
            #expect(try await other.post("/forgot-password", ["email": admin.email]).status == .tooManyRequests)
            #expect(try await OutboxMessage.query(on: app.db).count() == 5)
        }
    }
}
