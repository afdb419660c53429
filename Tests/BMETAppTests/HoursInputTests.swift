@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Client keys that conflict and signed hours are refused, not quietly turned into something else.
@Suite("Hours input")
struct HoursInputTests {
    @Test("the same client key with a different body is a 409 naming the key; the identical body is a retry")
    func clientKeyConflict() async throws {
        try await withTestApp { app in
            let f = try await TrainingAPITests.fixture(app)
            let first = try await f.send(f.w.apprenticeA, .POST, f.hoursPath, ["entries": [TrainingAPITests.entry(-1, key: "k-1")]])
            #expect(first.status == .created)
            let retry = try await f.send(f.w.apprenticeA, .POST, f.hoursPath, ["entries": [TrainingAPITests.entry(-1, key: "k-1")]])
            #expect(retry.status == .created)
            #expect(TrainingAPITests.ids(try TrainingAPITests.items(retry)) == TrainingAPITests.ids(try TrainingAPITests.items(first)))

            let changed = try await f.send(f.w.apprenticeA, .POST, f.hoursPath, ["entries": [TrainingAPITests.entry(-1, hours: 3, key: "k-1")]])
            #expect(changed.status == .conflict)
            #expect(changed.isProblem)
            #expect(changed.text.contains("k-1"))
            #expect(try TrainingAPITests.fields(changed).contains("entries.0.clientKey"))
            #expect(try await HourEntry.query(on: app.db).count() == 1)
            #expect(try await HourEntry.query(on: app.db).first()?.minutes == 450)
        }
    }

    @Test("the week form sent again with other hours under the same key says so and changes nothing")
    func weekFormConflict() async throws {
        try await withTestApp { app in
            let s = try await TrainingRecordTests.setup(app)
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            let path = "/apprentices/\(s.apprentice.id!)/hours/week"
            #expect(try await apprentice.post(path, TrainingRecordTests.week(s)).status == .seeOther)
            let changed = try await apprentice.post(path, TrainingRecordTests.week(s, hours: ["4", "8", "7.5", "8", "6"]))
            #expect(changed.status == .conflict)
            #expect(changed.text.contains("already saved with other hours"))
            #expect(try await HourEntry.query(on: app.db).count() == 5)
            #expect(try await HourEntry.query(on: app.db).sort(\.$entryDate).first()?.minutes == 480)
        }
    }

    @Test("hours with a sign are refused", arguments: ["-0:15", "-1", "+2", "-0.25", "+0:30"])
    func signedHours(_ text: String) async throws {
        #expect(HourRules.minutes(text) == nil)
        #expect(HourRules.minutes(text.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "+", with: "")) != nil)
    }

    @Test("the API refuses -0:15 with a field message and stores nothing")
    func signedHoursAPI() async throws {
        try await withTestApp { app in
            let f = try await TrainingAPITests.fixture(app)
            let refused = try await f.send(f.w.apprenticeA, .POST, f.hoursPath, ["entries": [TrainingAPITests.entry(-1, hours: "-0:15")]])
            #expect(refused.status == .unprocessableEntity)
            #expect(try TrainingAPITests.fields(refused).contains("entries.0.hours"))
            #expect(try await HourEntry.query(on: app.db).count() == 0)
        }
    }
}
