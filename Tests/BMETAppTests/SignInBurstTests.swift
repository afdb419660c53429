@testable import BMETApp
import Fluent
import Foundation
import NIOCore
import SQLKit
import Testing
import Vapor
import VaporTesting

/// bcrypt runs on its own threads, so a burst of sign-ins never starves the database of the shared pool.
@Suite("Sign-in bursts")
struct SignInBurstTests {
    @Test("database statements still run while every password thread is busy")
    func databaseNotBehindPasswords() async throws {
        try await withTestApp { app in
            let pool = try #require(PasswordPool.of(app)).threadPool
            #expect(pool !== app.threadPool)
            // Occupy every password thread (and more) until released.
            let release = Flag()
            let threads = max(1, System.coreCount - 1)
            let blockers = (0..<(threads + 2)).map { _ in
                pool.runIfActive(eventLoop: app.eventLoopGroup.any()) {
                    while !release.isSet { usleep(1_000) }
                }
            }
            let hashing = Task { try await app.passwordHasher.hash("a password for the queue") }

            let started = Date()
            _ = try await (app.db as! any SQLDatabase).raw("SELECT 1 AS one").all()
            _ = try await User.query(on: app.db).count()
            // Were the statements queued behind the password threads, they would wait for the release below, which comes
            // only after this check: any bound shows they did not. 30 s leaves room for a machine busy with other builds.
            #expect(Date().timeIntervalSince(started) < 30)

            release.set()
            for blocker in blockers { try await blocker.get() }
            #expect(try await hashing.value.hasPrefix("$2"))
        }
    }

    @Test("many concurrent failed sign-ins get no server error while a signed-in person keeps working")
    func burstOfFailedSignIns() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let signedIn = Browser(app)
            _ = try await signedIn.signIn(admin.email)
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for number in 0..<40 {
                    group.addTask {
                        // Different addresses, so the per-account throttle does not short-circuit the checks.
                        let browser = Browser(app)
                        browser.extraHeaders.add(name: "X-Forwarded-For", value: "10.0.\(number / 200).\(number % 200 + 1)")
                        return try await browser.signIn("nobody-\(number)@example.org", password: "wrong-password").status.code
                    }
                }
                group.addTask { try await signedIn.get("/dashboard").status.code }
                var all: [UInt] = []
                for try await status in group { all.append(status) }
                return all
            }
            #expect(statuses.count == 41)
            #expect(statuses.allSatisfy { $0 < 500 }, "\(statuses.sorted())")
            #expect(statuses.filter { $0 == 401 }.count == 40)
        }
    }
}

/// A flag set from one thread and read from others.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
