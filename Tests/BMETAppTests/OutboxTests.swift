@testable import BMETApp
import Fluent
import Testing
import Vapor
import VaporTesting

@Suite("Outbox")
struct OutboxTests {
    @Test("due messages are sent once and marked sent")
    func sendsOnce() async throws {
        try await withTestApp { app in
            try await Outbox.enqueue(to: "a@example.org", subject: "Hello", body: "Body", on: app.db)
            try await Outbox.enqueue(to: "b@example.org", subject: "Hello", body: "Body", on: app.db)
            // Two dispatchers at once (as with two app instances) still send each message once.
            async let first = Outbox.dispatchDue(app: app)
            async let second = Outbox.dispatchDue(app: app)
            let total = try await first + second
            let sender = try #require(app.mailSender as? RecordingMailSender)
            #expect(total == 2)
            #expect(sender.messages.map(\.to).sorted() == ["a@example.org", "b@example.org"])
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$status == .sent).count() == 2)
            #expect(try await Outbox.dispatchDue(app: app) == 0)
        }
    }

    @Test("a failed send is retried later and counted; after five tries it is marked failed")
    func retries() async throws {
        try await withTestApp { app in
            let sender = try #require(app.mailSender as? RecordingMailSender)
            sender.fail(times: 5)
            let message = try await Outbox.enqueue(to: "a@example.org", subject: "S", body: "B", on: app.db)
            var now = Date()
            for attempt in 1...5 {
                _ = try await Outbox.dispatchDue(app: app, now: now)
                let stored = try #require(try await OutboxMessage.find(message.id, on: app.db))
                #expect(stored.attempts == attempt)
                #expect(stored.lastError?.contains("550") == true)
                now = stored.nextAttemptAt.addingTimeInterval(1)
            }
            let final = try #require(try await OutboxMessage.find(message.id, on: app.db))
            #expect(final.status == .failed)
            #expect(sender.messages.isEmpty)
        }
    }

    @Test("housekeeping removes expired sessions and keeps live ones")
    func housekeeping() async throws {
        try await withTestApp { app in
            let user = try await Make.user(app, role: .programAdmin)
            let now = Date()
            try await UserSession(tokenHash: "old", userID: user.id!, now: now.addingTimeInterval(-86_400), lifetime: 3600, ipAddress: nil, userAgent: nil).create(on: app.db)
            try await UserSession(tokenHash: "live", userID: user.id!, now: now, lifetime: 3600, ipAddress: nil, userAgent: nil).create(on: app.db)
            try await Housekeeping.run(on: app.db, now: now)
            #expect(try await UserSession.query(on: app.db).all().map(\.tokenHash) == ["live"])
        }
    }

    @Test("a message claimed by an instance that died is taken over after the claim times out")
    func staleClaim() async throws {
        try await withTestApp { app in
            let message = try await Outbox.enqueue(to: "a@example.org", subject: "S", body: "B", on: app.db)
            message.claim = "dead-instance"
            message.claimedAt = Date().addingTimeInterval(-60)
            try await message.update(on: app.db)
            #expect(try await Outbox.dispatchDue(app: app) == 0) // still fresh: left alone
            message.claimedAt = Date().addingTimeInterval(-Outbox.claimTimeout - 60)
            try await message.update(on: app.db)
            #expect(try await Outbox.dispatchDue(app: app) == 1)
            #expect(try await OutboxMessage.find(message.id, on: app.db)?.status == .sent)
        }
    }
}
