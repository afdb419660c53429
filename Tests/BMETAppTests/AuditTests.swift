@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// The hash-chained audit log: what is recorded, who may read it, and that tampering is found.
@Suite("Audit log")
struct AuditTests {
    static func entries(_ app: Application, _ action: AuditAction? = nil) async throws -> [AuditEntry] {
        let query = AuditEntry.query(on: app.db).sort(\.$seq)
        if let action { query.filter(\.$action == action.rawValue) }
        return try await query.all()
    }

    static func sql(_ app: Application) -> any SQLDatabase { app.db as! any SQLDatabase }

    @Test("a chain of entries verifies; an altered row, a removed row and a cut-off end are each reported")
    func tamperingIsFound() async throws {
        try await withTestApp { app in
            for number in 1...5 {
                try await AuditLog.record(.roleChanged, .user(nil), "Entry \(number)", actorLabel: "tester", on: app.db)
            }
            let whole = try await AuditLog.verify(on: app.db, pageSize: 2)
            #expect(whole.problem == nil)
            #expect(whole.rowsChecked == 5)
            #expect(whole.headSeq == 5)

            // Someone edits a summary by hand.
            try await Self.sql(app).raw("UPDATE audit_log SET summary = 'Entry three, quietly changed' WHERE seq = 3").run()
            let altered = try await AuditLog.verify(on: app.db)
            #expect(altered.problem == "Row 3 was altered: its contents no longer match its hash.")

            // Recomputing the altered row's own hash does not help: the next row no longer links to it.
            let row3 = try #require(try await AuditEntry.query(on: app.db).filter(\.$seq == 3).first())
            let rehashed = AuditLog.hash(of: row3)
            try await Self.sql(app).raw("UPDATE audit_log SET hash = \(bind: rehashed) WHERE seq = 3").run()
            let relinked = try await AuditLog.verify(on: app.db)
            #expect(relinked.problem == "Row 4 does not link to row 3: one of them was altered.")
        }
        try await withTestApp { app in
            for number in 1...4 {
                try await AuditLog.record(.roleChanged, .user(nil), "Entry \(number)", actorLabel: "tester", on: app.db)
            }
            try await Self.sql(app).raw("DELETE FROM audit_log WHERE seq = 2").run()
            let removed = try await AuditLog.verify(on: app.db)
            #expect(removed.problem == "Row 2 is missing: the chain jumps from row 1 to row 3.")
        }
        try await withTestApp { app in
            for number in 1...4 {
                try await AuditLog.record(.roleChanged, .user(nil), "Entry \(number)", actorLabel: "tester", on: app.db)
            }
            try await Self.sql(app).raw("DELETE FROM audit_log WHERE seq = 4").run()
            let cut = try await AuditLog.verify(on: app.db)
            #expect(cut.problem == "The chain ends at row 3 but 4 rows were written: the last rows were removed.")
        }
    }

    @Test("appends from many tasks at once get consecutive numbers and one unbroken chain (PostgreSQL, or a SQLite file as served)")
    func concurrentAppends() async throws {
        // An in-memory SQLite database is one connection's; the file is what `bmet serve` uses.
        let onPostgres = ProcessInfo.processInfo.environment["DATABASE_URL"]?.hasPrefix("postgres") == true
        let run: ((Application) async throws -> Void) async throws -> Void = onPostgres
            ? { body in try await withTestApp(body) }
            : { body in try await BackupTests.withFileApp { app, _ in try await body(app) } }
        try await run { app in
            try await withThrowingTaskGroup(of: Void.self) { group in
                // SQLite has one writer at a time and two connections here; PostgreSQL takes many more at once.
                for number in 0..<(onPostgres ? 24 : 8) {
                    group.addTask {
                        try await AuditLog.record(.roleChanged, .user(nil), "Concurrent \(number)", actorLabel: "tester", on: app.db)
                    }
                }
                try await group.waitForAll()
            }
            let rows = try await Self.entries(app)
            #expect(rows.map(\.seq) == Array(1...(onPostgres ? 24 : 8)))
            let result = try await AuditLog.verify(on: app.db)
            #expect(result.problem == nil)
            #expect(Set(rows.map(\.summary)).count == rows.count)
        }
    }

    @Test("approvals, status changes, registrations and failed sign-ins are recorded with who and from where")
    func actionsAreRecorded() async throws {
        try await withTestApp { app in
            let s = try await TrainingRecordTests.setup(app)
            let registered = try await Self.entries(app, .apprenticeRegistered)
            #expect(registered.count == 1)
            #expect(registered.first?.actor == s.world.adminA.email)
            #expect(registered.first?.subjectID == s.apprentice.id?.uuidString)

            let entries = try await TrainingRecordTests.logWeek(app, s)
            // Behind the proxy the README describes, the client's address comes from X-Forwarded-For.
            app.settings.trustProxy = true
            let mentor = Browser(app)
            mentor.extraHeaders.add(name: "X-Forwarded-For", value: "203.0.113.7")
            _ = try await mentor.signIn(s.world.mentorA.email)
            let approved = try await mentor.post("/approvals/decide", pairs: [("entries[]", entries[0].id!.uuidString), ("entries[]", entries[1].id!.uuidString),
                                                                             ("decision", "approve"), ("confirmed", "1")])
            #expect(approved.status == .seeOther)
            let approvals = try await Self.entries(app, .hoursApproved)
            #expect(approvals.count == 1)
            let approval = try #require(approvals.first)
            #expect(approval.actor == s.world.mentorA.email)
            #expect(approval.actorID == s.world.mentorA.id)
            #expect(approval.summary.hasPrefix("Approved 2 hour entries (16 h) of"))
            #expect(approval.ipAddress == "203.0.113.7")

            let admin = Browser(app)
            _ = try await admin.signIn(s.world.admin.email)
            let suspended = try await admin.post("/apprentices/\(s.apprentice.id!)/status", ["action": "suspend", "note": "Medical leave"])
            #expect(suspended.status == .seeOther, "\(suspended.text)")
            let changes = try await Self.entries(app, .statusChanged)
            #expect(changes.last?.summary.contains("Active → Suspended") == true)
            #expect(changes.last?.actor == s.world.admin.email)

            let stranger = Browser(app)
            let failed = try await stranger.post("/login", ["email": s.world.mentorA.email, "password": "not the password"])
            #expect(failed.status != .seeOther)
            let failures = try await Self.entries(app, .signInFailed)
            #expect(failures.count == 1)
            #expect(failures.first?.actor == s.world.mentorA.email)
            #expect(failures.first?.summary == "Sign-in with a wrong password")
            // Exports of personal data: the apprentice's own record, the sponsor's list.
            let own = Browser(app)
            _ = try await own.signIn(s.world.apprenticeA.email)
            #expect(try await own.get("/apprentices/\(s.apprentice.id!)/record.csv").status == .ok)
            #expect(try await admin.get("/apprentices/export.csv").status == .ok)
            let exports = try await Self.entries(app, .personalDataExported)
            #expect(exports.map(\.actor) == [s.world.apprenticeA.email, s.world.admin.email])
            #expect(exports.first?.subjectID == s.apprentice.id?.uuidString)
            #expect(exports.last?.summary.hasPrefix("Apprentice list exported (1 rows") == true)
            // Nothing personal from the registration (birth date, SSN) is written into the log.
            let all = try await Self.entries(app)
            #expect(!all.contains { $0.summary.contains("1990") || $0.summary.contains("SSN") })
            #expect(try await AuditLog.verify(on: app.db).problem == nil)
        }
    }

    @Test("only the sponsor reads the audit log; filters work and a reversed range is refused")
    func viewer() async throws {
        try await withTestApp { app in
            let world = try await Make.world(app)
            try await AuditLog.record(.roleChanged, .user(nil), "Invited someone as Mentor", by: world.admin, on: app.db)
            try await AuditLog.record(.signInFailed, .user(nil), "Sign-in with an unknown address", actorLabel: "nobody@example.org", on: app.db)

            for user in [world.adminA, world.mentorA, world.apprenticeA] {
                let browser = Browser(app)
                _ = try await browser.signIn(user.email)
                let refused = try await browser.get("/audit")
                #expect(refused.status == .forbidden, "\(user.role)")
            }
            let anonymous = try await Browser(app).get("/audit")
            #expect(anonymous.status == .seeOther)

            let admin = Browser(app)
            _ = try await admin.signIn(world.admin.email)
            let page = try await admin.get("/audit")
            #expect(page.status == .ok)
            #expect(page.text.contains("Invited someone as Mentor"))
            #expect(page.text.contains("nobody@example.org"))
            let filtered = try await admin.get("/audit?action=sign-in.failed")
            #expect(filtered.text.contains("nobody@example.org"))
            #expect(!filtered.text.contains("Invited someone as Mentor"))
            let byWho = try await admin.get("/audit?who=NOBODY")
            #expect(byWho.text.contains("Sign-in with an unknown address"))
            let reversed = try await admin.get("/audit?from=2026-05-02&to=2026-05-01")
            #expect(reversed.text.contains("The date range ends before it starts."))
            #expect(reversed.text.contains("value=\"2026-05-02\""))
        }
    }
}
