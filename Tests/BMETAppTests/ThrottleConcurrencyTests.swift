@testable import BMETApp
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// The sign-in and public-form limits count atomically: a burst gets exactly the limit through, and every refusal
/// says when to come back.
@Suite("Throttles under concurrency")
struct ThrottleConcurrencyTests {
    @Test("thirty concurrent wrong passwords for one account get five password checks, the rest 429 with Retry-After")
    func concurrentSignIns() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let responses = try await withThrowingTaskGroup(of: TestingHTTPResponse.self) { group in
                for _ in 0..<30 {
                    group.addTask { try await Browser(app).signIn(admin.email, password: "wrong-password") }
                }
                var all: [TestingHTTPResponse] = []
                for try await response in group { all.append(response) }
                return all
            }
            #expect(responses.filter { $0.status == .unauthorized }.count == SignIn.maxFailuresPerEmail)
            let refused = responses.filter { $0.status == .tooManyRequests }
            #expect(refused.count == 30 - SignIn.maxFailuresPerEmail)
            #expect(refused.allSatisfy { Int($0.headers.first(name: "Retry-After") ?? "") ?? 0 > 0 })
            // Each claimed try is one password check; refused tries never reached bcrypt.
            #expect(try await LoginAttempt.query(on: app.db).count() == SignIn.maxFailuresPerEmail)
        }
    }

    @Test("twenty concurrent applications from one address: five accepted, the rest 429 with Retry-After")
    func concurrentApplications() async throws {
        try await withTestApp { app in
            let responses = try await withThrowingTaskGroup(of: TestingHTTPResponse.self) { group in
                for number in 0..<20 {
                    group.addTask {
                        try await Browser(app).post("/apply", RecruitmentTests.application(["statement": "Try \(number) of a burst"]))
                    }
                }
                var all: [TestingHTTPResponse] = []
                for try await response in group { all.append(response) }
                return all
            }
            #expect(responses.filter { $0.status == .seeOther }.count == FormThrottle.maxPerHour, "\(responses.map(\.status.code))")
            let refused = responses.filter { $0.status == .tooManyRequests }
            #expect(refused.count == 20 - FormThrottle.maxPerHour)
            #expect(refused.allSatisfy { Int($0.headers.first(name: "Retry-After") ?? "") ?? 0 > 0 })
            #expect(try await FormSubmission.query(on: app.db).filter(\.$form == "application").count() == FormThrottle.maxPerHour)
        }
    }

    @Test("a throttled API-style refusal carries Retry-After on the fifth reset request")
    func resetRequestsRetryAfter() async throws {
        try await withTestApp { app in
            let browser = Browser(app)
            for _ in 0..<FormThrottle.maxPerHour {
                #expect(try await browser.post("/forgot-password", ["email": "someone@example.org"]).status == .ok)
            }
            let refused = try await browser.post("/forgot-password", ["email": "someone@example.org"])
            #expect(refused.status == .tooManyRequests)
            let seconds = try #require(Int(refused.headers.first(name: "Retry-After") ?? ""))
            #expect(seconds > 3500 && seconds <= 3600)
        }
    }

    @Test("housekeeping drops the throttle lock rows; the limit still holds afterwards")
    func housekeepingKeepsLimits() async throws {
        try await withTestApp { app in
            let admin = try await Make.user(app, role: .programAdmin)
            let browser = Browser(app)
            for _ in 0..<SignIn.maxFailuresPerEmail { _ = try await browser.signIn(admin.email, password: "wrong-password") }
            let sql = app.db as! any SQLDatabase
            struct Count: Decodable { let n: Int }
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM throttle_locks").first(decoding: Count.self)?.n ?? 0 > 0)
            try await Housekeeping.run(on: app.db)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM throttle_locks").first(decoding: Count.self)?.n == 0)
            #expect(try await browser.signIn(admin.email).status == .tooManyRequests)
        }
    }
}
