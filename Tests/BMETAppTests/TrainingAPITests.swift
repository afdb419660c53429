@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// The training record over the JSON API: what each role may do, what the services refuse, and that every
/// response on the way matches its documented schema in `Resources/openapi.json`.
@Suite("Training API")
struct TrainingAPITests {
    /// Apprentice A (registered at employer A through the web form, linked to `world.apprenticeA`, started eight
    /// months ago, in probation) and apprentice B (employer B, linked to `world.apprenticeB`).
    struct Fixture {
        let app: Application
        let w: Make.World
        let apprentice: Apprentice
        let other: Apprentice
        let tokens: [UUID: String]
        let document: [String: Any]

        var hoursPath: String { "/api/v1/apprentices/\(apprentice.id!)/hours" }
        func path(_ suffix: String) -> String { "/api/v1/apprentices/\(apprentice.id!)/\(suffix)" }

        /// Sends a request as `user` (nil: no token) and checks the response against the document: the status must
        /// be documented for the operation and the body must match that status's schema.
        @discardableResult
        func send(_ user: User?, _ method: HTTPMethod, _ url: String, _ body: Any? = nil,
                  sourceLocation: SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
            let client = APIClient(app: app, token: user.flatMap { tokens[$0.id!] })
            let response = if let body {
                try await client.send(method, url, rawBody: try JSONSerialization.data(withJSONObject: body))
            } else {
                try await client.send(method, url)
            }
            try check(response, method, url, sourceLocation: sourceLocation)
            return response
        }

        private func check(_ response: TestingHTTPResponse, _ method: HTTPMethod, _ url: String, sourceLocation: SourceLocation) throws {
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let components = url.split(separator: "?")[0].split(separator: "/")
            // The documented path whose fixed segments match and whose {parameters} take the rest.
            let template = paths.keys.first { key in
                let parts = key.split(separator: "/")
                return parts.count == components.count && zip(parts, components).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
            }
            guard let template, let operation = paths[template]?[method.rawValue.lowercased()] as? [String: Any],
                  let responses = operation["responses"] as? [String: Any] else {
                Issue.record("\(method) \(url) is not documented", sourceLocation: sourceLocation)
                return
            }
            guard let documented = responses[String(response.status.code)] as? [String: Any] else {
                Issue.record("\(method) \(url) answered undocumented \(response.status.code): \(response.text)", sourceLocation: sourceLocation)
                return
            }
            guard let content = documented["content"] as? [String: Any] else { return }
            let mediaType = response.isProblem ? "application/problem+json" : "application/json"
            guard let schema = (content[mediaType] as? [String: Any])?["schema"] else {
                Issue.record("\(method) \(url) \(response.status.code): \(mediaType) is not documented", sourceLocation: sourceLocation)
                return
            }
            let value = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
            let problems = SchemaCheck(document: document).errors(value, against: schema, at: "$")
            #expect(problems.isEmpty, "\(method) \(url) \(response.status.code): \(problems)", sourceLocation: sourceLocation)
        }
    }

    static func fixture(_ app: Application) async throws -> Fixture {
        let s = try await RegistrationTests.setup(app)
        let w = s.world
        let start = try #require(ProgramCalendar.calendar.date(byAdding: .month, value: -8, to: ProgramCalendar.today()))
        let employer = Browser(app)
        _ = try await employer.signIn(w.adminA.email)
        let registered = try await employer.post("/apprentices", RegistrationTests.form(s, ["email": w.apprenticeA.email, "startDate": ProgramCalendar.dayString(start)]))
        #expect(registered.status == .seeOther)
        let apprentice = try #require(try await Apprentice.query(on: app.db).filter(\.$employer.$id == w.employerA.id!).first())
        #expect(apprentice.$user.id == w.apprenticeA.id)
        try await ApprenticeRecords.transitionForTest(apprentice, to: .probation, on: app.db)

        let other = Apprentice()
        other.$user.id = w.apprenticeB.id
        other.$programVersion.id = try s.version.requireID()
        other.$employer.id = try w.employerB.requireID()
        other.$mentor.id = try w.mentorB.requireID()
        other.fullName = "Ben Other"
        other.email = w.apprenticeB.email
        other.startDate = ProgramCalendar.dayString(start)
        other.probationEnd = ProgramCalendar.dayString(ProgramCalendar.probationEnd(start: start, months: 6))
        other.termEnd = ProgramCalendar.dayString(ProgramCalendar.termEnd(start: start, months: 24))
        other.status = .active
        other.$registeredBy.id = try w.adminB.requireID()
        other.registeredAt = Date()
        try await other.create(on: app.db)

        var tokens: [UUID: String] = [:]
        for user in [w.admin, w.adminA, w.mentorA, w.apprenticeA, w.adminB, w.mentorB, w.apprenticeB] {
            tokens[try user.requireID()] = try await Make.token(app, for: user)
        }
        return Fixture(app: app, w: w, apprentice: apprentice, other: other, tokens: tokens, document: try OpenAPITests.document())
    }

    /// A day relative to today, as `YYYY-MM-DD`.
    static func day(_ offset: Int) -> String {
        ProgramCalendar.dayString(ProgramCalendar.calendar.date(byAdding: .day, value: offset, to: ProgramCalendar.today()) ?? ProgramCalendar.today())
    }

    static func entry(_ offset: Int, _ set: String = "PM", hours: Any = 7.5, key: String? = nil, description: String = "PM on 6 infusion pumps") -> [String: Any] {
        var entry: [String: Any] = ["date": day(offset), "skillSetCode": set, "hours": hours, "description": description]
        if let key { entry["clientKey"] = key }
        return entry
    }

    static func items(_ response: TestingHTTPResponse) throws -> [[String: Any]] {
        try #require(try response.json()["items"] as? [[String: Any]], "\(response.text)")
    }

    static func ids(_ items: [[String: Any]]) -> [String] {
        items.compactMap { $0["id"] as? String }
    }

    /// The fields a problem document names.
    static func fields(_ response: TestingHTTPResponse) throws -> Set<String> {
        Set((try response.json()["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
    }

    /// JSON numbers as Double whichever way Foundation bridged them.
    static func number(_ value: Any?) -> Double? {
        switch value {
        case let value as Int: Double(value)
        case let value as Double: value
        case let value as NSNumber: value.doubleValue
        default: nil
        }
    }

    static func progress(_ f: Fixture, as user: User) async throws -> [String: Any] {
        let response = try await f.send(user, .GET, f.path("progress"))
        #expect(response.status == .ok)
        return try response.json()
    }

    static func totals(_ progress: [String: Any]) -> [String: Any] { progress["totals"] as? [String: Any] ?? [:] }

    static func skillSet(_ code: String, in progress: [String: Any]) -> [String: Any] {
        (progress["skillSets"] as? [[String: Any]] ?? []).first { $0["code"] as? String == code } ?? [:]
    }

    /// Logs entries as apprentice A and returns their ids.
    static func log(_ f: Fixture, _ entries: [[String: Any]]) async throws -> [String] {
        let response = try await f.send(f.w.apprenticeA, .POST, f.hoursPath, ["entries": entries])
        #expect(response.status == .created, "\(response.text)")
        return ids(try items(response))
    }

    // MARK: Hours

    @Test("two entries in one request; the same client keys again store nothing new; the list filters by day and status")
    func logHours() async throws {
        try await withTestApp { app in
            let f = try await Self.fixture(app)
            var pm = Self.entry(-3, key: "k-1")
            pm["skills"] = ["PM-01", "pm-02"]
            pm["workOrder"] = "WO-1"
            let request: [String: Any] = ["entries": [pm, Self.entry(-2, "OS", hours: "8", key: "k-2", description: "Safety orientation")]]

            let first = try await f.send(f.w.apprenticeA, .POST, f.hoursPath, request)
            #expect(first.status == .created)
            let stored = try Self.items(first)
            #expect(stored.map { $0["clientKey"] as? String } == ["k-1", "k-2"])
            #expect(Self.number(stored[0]["hours"]) == 7.5)
            #expect(stored[0]["skills"] as? [String] == ["PM-01", "PM-02"])
            #expect(stored[0]["workOrder"] as? String == "WO-1")
            #expect(stored[1]["workOrder"] is NSNull)
            #expect(Self.number(stored[1]["minutes"]) == 480)
            #expect(stored.allSatisfy { $0["status"] as? String == "pending" && $0["apprenticeID"] as? String == f.apprentice.id!.uuidString })

            // A retried request returns the stored entries and stores nothing.
            let again = try await f.send(f.w.apprenticeA, .POST, f.hoursPath, request)
            #expect(again.status == .created)
            #expect(Self.ids(try Self.items(again)) == Self.ids(stored))
            #expect(try await HourEntry.query(on: app.db).count() == 2)

            // A stored key (with its same content) next to a new one: only the new entry is stored; the answer keeps the request's order.
            let mixed = try await f.send(f.w.apprenticeA, .POST, f.hoursPath, ["entries": [Self.entry(-2, "OS", hours: "8", key: "k-2", description: "Safety orientation"), Self.entry(-1, hours: 4, key: "k-3")]])
            let mixedItems = try Self.items(mixed)
            #expect(mixedItems.first?["id"] as? String == Self.ids(stored)[1])
            #expect(mixedItems.last?["clientKey"] as? String == "k-3")
            #expect(try await HourEntry.query(on: app.db).count() == 3)

            let all = try Self.items(try await f.send(f.w.apprenticeA, .GET, f.hoursPath))
            #expect(all.compactMap { $0["date"] as? String } == [Self.day(-1), Self.day(-2), Self.day(-3)])
            let oneDay = try await f.send(f.w.mentorA, .GET, f.hoursPath + "?from=\(Self.day(-2))&to=\(Self.day(-2))")
            #expect(try Self.items(oneDay).count == 1)
            #expect(try Self.items(try await f.send(f.w.adminA, .GET, f.hoursPath + "?status=approved")).isEmpty)
            #expect(try Self.items(try await f.send(f.w.admin, .GET, f.hoursPath + "?status=pending")).count == 3)

            let badStatus = try await f.send(f.w.apprenticeA, .GET, f.hoursPath + "?status=maybe")
            #expect(badStatus.status == .unprocessableEntity)
            #expect(try Self.fields(badStatus) == ["status"])
            let badDate = try await f.send(f.w.apprenticeA, .GET, f.hoursPath + "?from=2026-02-30")
            #expect(badDate.status == .unprocessableEntity)
            #expect(try Self.fields(badDate) == ["from"])
            let backwards = try await f.send(f.w.apprenticeA, .GET, f.hoursPath + "?from=\(Self.day(-1))&to=\(Self.day(-3))")
            #expect(try Self.fields(backwards) == ["to"])
        }
    }

    @Test("refused entries name their field (entries.N.field) and store nothing; only the apprentice logs")
    func refusedEntries() async throws {
        try await withTestApp { app in
            let f = try await Self.fixture(app)
            func refused(_ entries: [[String: Any]]) async throws -> Set<String> {
                let response = try await f.send(f.w.apprenticeA, .POST, f.hoursPath, ["entries": entries])
                #expect(response.status == .unprocessableEntity, "\(response.text)")
                #expect(response.isProblem)
                return try Self.fields(response)
            }
            #expect(try await refused([Self.entry(1)]) == ["entries.0.date"])
            #expect(try await refused([Self.entry(-1, hours: 25)]) == ["entries.0.hours"])
            #expect(try await refused([Self.entry(-1, hours: 16), Self.entry(-1, "OS", hours: "10")]) == ["entries.0.hours", "entries.1.hours"])
            #expect(try await refused([Self.entry(-2), Self.entry(-1, "XX")]) == ["entries.1.skillSetCode"])
            #expect(try await refused([Self.entry(-1, hours: 7.3)]) == ["entries.0.hours"])
            #expect(try await refused([Self.entry(-1, hours: true)]) == ["entries.0.hours"])
            #expect(try await refused([Self.entry(-2, key: "same"), Self.entry(-1, key: "same")]) == ["entries.1.clientKey"])
            #expect(try await refused([]) == ["entries"])
            var wrongSkill = Self.entry(-1)
            wrongSkill["skills"] = ["OS-01"]
            #expect(try await refused([wrongSkill]) == ["entries.0.skills"])
            #expect(try await HourEntry.query(on: app.db).count() == 0)

            let malformed = try await APIClient(app: app, token: f.tokens[f.w.apprenticeA.id!]).send(.POST, f.hoursPath, rawBody: Data("{\"entries\": 3}".utf8))
            #expect(malformed.status == .badRequest)
            #expect(malformed.isProblem)

            for user in [f.w.mentorA, f.w.adminA, f.w.admin] {
                #expect(try await f.send(user, .POST, f.hoursPath, ["entries": [Self.entry(-1)]]).status == .forbidden)
            }
            #expect(try await f.send(f.w.apprenticeB, .POST, f.hoursPath, ["entries": [Self.entry(-1)]]).status == .notFound)
            #expect(try await f.send(nil, .POST, f.hoursPath, ["entries": [Self.entry(-1)]]).status == .unauthorized)
            #expect(try await HourEntry.query(on: app.db).count() == 0)
        }
    }

    @Test("the 24-hour day counts what is already logged, when logging, editing and correcting")
    func dayLimit() async throws {
        try await withTestApp { app in
            let f = try await Self.fixture(app)
            do {
                let first = try #require(try await Self.log(f, [Self.entry(-4, hours: 20)]).first)
                let over = try await f.send(f.w.apprenticeA, .POST, f.hoursPath, ["entries": [Self.entry(-4, "OS", hours: 5)]])
                #expect(over.status == .unprocessableEntity)
                #expect(try Self.fields(over) == ["entries.0.hours"])
                let fourth = try #require(try await Self.log(f, [Self.entry(-4, "OS", hours: 4)]).first)
                let edited = try await f.send(f.w.apprenticeA, .PATCH, "/api/v1/hours/\(fourth)", ["hours": 5])
                #expect(try Self.fields(edited) == ["hours"])
                #expect(try await f.send(f.w.mentorA, .POST, "/api/v1/approvals", ["entryIDs": [first], "decision": "approve"]).status == .ok)
                // The original's own 20 hours do not count against its correction; the other 4 do.
                let tooLong = try await f.send(f.w.apprenticeA, .POST, "/api/v1/hours/\(first)/correction", Self.entry(-4, hours: 21))
                #expect(try Self.fields(tooLong) == ["hours"])
                #expect(try await f.send(f.w.apprenticeA, .POST, "/api/v1/hours/\(first)/correction", Self.entry(-4, hours: 19)).status == .created)
                #expect(try await HourEntry.query(on: app.db).count() == 3)
            }
        }
    }

    // MARK: Approvals

    @Test("a mentor approves and progress moves; a rejection needs a comment; apprentices get 403, another employer's mentor 404")
    func approvals() async throws {
        try await withTestApp { app in
            let f = try await Self.fixture(app)
            let ids = try await Self.log(f, [Self.entry(-3), Self.entry(-2, "OS", hours: 8, description: "Safety orientation")])
            let before = try await Self.progress(f, as: f.w.apprenticeA)
            #expect(Self.number(Self.totals(before)["approvedHours"]) == 0)
            #expect(Self.number(Self.totals(before)["creditedHours"]) == 40)
            #expect(Self.number(Self.totals(before)["totalHours"]) == 40)

            let queue = try Self.items(try await f.send(f.w.mentorA, .GET, "/api/v1/approvals"))
            #expect(Set(queue.compactMap { ($0["entry"] as? [String: Any])?["id"] as? String }) == Set(ids))
            #expect(queue.allSatisfy { ($0["apprentice"] as? [String: Any])?["id"] as? String == f.apprentice.id!.uuidString })
            #expect(try Self.items(try await f.send(f.w.mentorB, .GET, "/api/v1/approvals")).isEmpty)
            #expect(try await f.send(f.w.apprenticeA, .GET, "/api/v1/approvals").status == .forbidden)
            #expect(try await f.send(f.w.adminA, .GET, "/api/v1/approvals").status == .forbidden)

            #expect(try await f.send(f.w.apprenticeA, .POST, "/api/v1/approvals", ["entryIDs": ids, "decision": "approve"]).status == .forbidden)
            #expect(try await f.send(f.w.mentorB, .POST, "/api/v1/approvals", ["entryIDs": ids, "decision": "approve"]).status == .notFound)
            #expect(try await f.send(f.w.mentorB, .GET, f.path("progress")).status == .notFound)
            let noComment = try await f.send(f.w.mentorA, .POST, "/api/v1/approvals", ["entryIDs": ids, "decision": "reject", "comment": "  "])
            #expect(noComment.status == .unprocessableEntity)
            #expect(try Self.fields(noComment) == ["comment"])
            #expect(try Self.fields(try await f.send(f.w.mentorA, .POST, "/api/v1/approvals", ["entryIDs": ids, "decision": "maybe"])) == ["decision"])
            #expect(try Self.fields(try await f.send(f.w.mentorA, .POST, "/api/v1/approvals", ["entryIDs": ["nope"], "decision": "approve"])) == ["entryIDs.0"])
            #expect(try Self.fields(try await f.send(f.w.mentorA, .POST, "/api/v1/approvals", ["entryIDs": [], "decision": "approve"])) == ["entryIDs"])
            #expect(try await HourEntry.query(on: app.db).filter(\.$status == .pending).count() == 2)

            let approved = try await f.send(f.w.mentorA, .POST, "/api/v1/approvals", ["entryIDs": ids, "decision": "approve"])
            #expect(approved.status == .ok)
            #expect(Set(try approved.json()["decided"] as? [String] ?? []) == Set(ids))
            #expect((try approved.json()["skipped"] as? [Any])?.isEmpty == true)

            let after = try await Self.progress(f, as: f.w.mentorA)
            #expect(Self.number(Self.totals(after)["approvedHours"]) == 15.5)
            #expect(Self.number(Self.totals(after)["totalHours"]) == 55.5)
            #expect(Self.number(Self.skillSet("PM", in: after)["approvedHours"]) == 7.5)
            #expect(Self.number(Self.skillSet("OS", in: after)["totalHours"]) == 48)
            #expect(try Self.items(try await f.send(f.w.mentorA, .GET, "/api/v1/approvals")).isEmpty)

            // Deciding again skips, with the reason.
            let twice = try await f.send(f.w.mentorA, .POST, "/api/v1/approvals", ["entryIDs": [ids[0]], "decision": "approve"])
            #expect((try twice.json()["decided"] as? [String])?.isEmpty == true)
            let skipped = try #require((try twice.json()["skipped"] as? [[String: Any]])?.first)
            #expect(skipped["id"] as? String == ids[0])
            #expect((skipped["reason"] as? String)?.contains("already approved") == true)

            // A rejection carries its reason to the apprentice; undo puts an approval back in the queue.
            let third = try await Self.log(f, [Self.entry(-1, hours: 2)])
            #expect(try await f.send(f.w.mentorA, .POST, "/api/v1/approvals", ["entryIDs": third, "decision": "reject", "comment": "Which pumps?"]).status == .ok)
            let rejected = try #require(try Self.items(try await f.send(f.w.apprenticeA, .GET, f.hoursPath + "?status=rejected")).first)
            #expect((rejected["decisions"] as? [[String: Any]])?.last?["comment"] as? String == "Which pumps?")
            #expect(try await f.send(f.w.mentorA, .POST, "/api/v1/approvals", ["entryIDs": [ids[0]], "decision": "undo"]).status == .ok)
            #expect(Self.number(Self.totals(try await Self.progress(f, as: f.w.admin))["approvedHours"]) == 8)
        }
    }

    @Test("a pending entry is edited in place; an approved one is locked (422) and corrected by a new entry that replaces it once approved")
    func editAndCorrect() async throws {
        try await withTestApp { app in
            let f = try await Self.fixture(app)
            let id = try #require(try await Self.log(f, [Self.entry(-4, hours: 6)]).first)
            let entryPath = "/api/v1/hours/\(id)"

            let edited = try await f.send(f.w.apprenticeA, .PATCH, entryPath, ["hours": 6.5])
            #expect(edited.status == .ok)
            #expect(Self.number(try edited.json()["hours"]) == 6.5)
            #expect(try edited.json()["date"] as? String == Self.day(-4))
            #expect(try edited.json()["description"] as? String == "PM on 6 infusion pumps")
            #expect(try Self.fields(try await f.send(f.w.apprenticeA, .PATCH, entryPath, ["date": "yesterday"])) == ["date"])
            #expect(try await f.send(f.w.mentorA, .PATCH, entryPath, ["hours": 1]).status == .forbidden)
            #expect(try await f.send(f.w.apprenticeB, .PATCH, entryPath, ["hours": 1]).status == .notFound)
            #expect(try await f.send(f.w.apprenticeA, .PATCH, "/api/v1/hours/\(UUID())", ["hours": 1]).status == .notFound)

            // A correction of a pending entry is refused: it is edited instead.
            #expect(try await f.send(f.w.apprenticeA, .POST, entryPath + "/correction", Self.entry(-4, hours: 5)).status == .unprocessableEntity)

            #expect(try await f.send(f.w.mentorA, .POST, "/api/v1/approvals", ["entryIDs": [id], "decision": "approve"]).status == .ok)
            let locked = try await f.send(f.w.apprenticeA, .PATCH, entryPath, ["hours": 5])
            #expect(locked.status == .unprocessableEntity)
            #expect((try locked.json()["detail"] as? String)?.contains("locked") == true)
            #expect(Self.number(try await HourEntry.find(UUID(uuidString: id), on: app.db)?.hours) == 6.5)

            let correction = Self.entry(-4, hours: 5, key: "fix-1", description: "PM on 5 infusion pumps")
            #expect(try await f.send(f.w.mentorA, .POST, entryPath + "/correction", correction).status == .forbidden)
            let corrected = try await f.send(f.w.apprenticeA, .POST, entryPath + "/correction", correction)
            #expect(corrected.status == .created)
            let correctionID = try #require(try corrected.json()["id"] as? String)
            #expect(try corrected.json()["correctsID"] as? String == id)
            #expect(try corrected.json()["status"] as? String == "pending")
            let resent = try await f.send(f.w.apprenticeA, .POST, entryPath + "/correction", correction)
            #expect(try resent.json()["id"] as? String == correctionID)
            let second = try await f.send(f.w.apprenticeA, .POST, entryPath + "/correction", Self.entry(-4, hours: 4, key: "fix-2"))
            #expect(second.status == .unprocessableEntity)
            // The original counts until the correction is approved.
            #expect(Self.number(Self.totals(try await Self.progress(f, as: f.w.apprenticeA))["approvedHours"]) == 6.5)

            #expect(try await f.send(f.w.mentorA, .POST, "/api/v1/approvals", ["entryIDs": [correctionID], "decision": "approve"]).status == .ok)
            #expect(Self.number(Self.totals(try await Self.progress(f, as: f.w.apprenticeA))["approvedHours"]) == 5)
            let original = try #require(try Self.items(try await f.send(f.w.apprenticeA, .GET, f.hoursPath + "?status=corrected")).first)
            #expect(original["id"] as? String == id)
            #expect((original["decisions"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == ["approve", "corrected"])
        }
    }

    // MARK: Visibility

    @Test("another employer's staff and apprentices get 404 on every record of apprentice A; no token is 401")
    func visibility() async throws {
        try await withTestApp { app in
            let f = try await Self.fixture(app)
            let reads = ["progress", "hours", "assessments", "assessment-requests", "instruction", "credentials", "wages", "reviews"]
            for user in [f.w.adminB, f.w.mentorB, f.w.apprenticeB] {
                for suffix in reads {
                    #expect(try await f.send(user, .GET, f.path(suffix)).status == .notFound, "\(user.role) GET \(suffix)")
                }
            }
            #expect(try await f.send(f.w.adminB, .POST, f.path("wages"), ["step": 2, "effectiveDate": Self.day(0), "rate": "19.00"]).status == .notFound)
            #expect(try await f.send(f.w.adminB, .POST, f.path("instruction"), ["courseCode": "RTI-HTM", "status": "enrolled", "provider": "X", "date": Self.day(0)]).status == .notFound)
            #expect(try await f.send(f.w.adminB, .POST, f.path("credentials"), ["credentialCode": "cabt", "status": "planned"]).status == .notFound)
            #expect(try await f.send(f.w.mentorB, .POST, f.path("assessments"), ["skillCode": "PM-01", "rating": "proficient", "observed": "x"]).status == .notFound)

            for user in [f.w.admin, f.w.adminA, f.w.mentorA, f.w.apprenticeA] {
                for suffix in reads {
                    #expect(try await f.send(user, .GET, f.path(suffix)).status == .ok, "\(user.role) GET \(suffix)")
                }
            }
            #expect(try await f.send(f.w.admin, .GET, "/api/v1/apprentices/\(UUID())/progress").status == .notFound)
            #expect(try await f.send(f.w.admin, .GET, "/api/v1/apprentices/not-an-id/hours").status == .notFound)
            #expect(try await f.send(nil, .GET, f.path("progress")).status == .unauthorized)
        }
    }

    @Test("the cohort: the sponsor sees everyone, employer staff their employer's, apprentices none")
    func cohort() async throws {
        try await withTestApp { app in
            let f = try await Self.fixture(app)
            _ = try await Self.log(f, [Self.entry(-1)])
            func names(_ user: User, _ query: String = "") async throws -> [String] {
                let response = try await f.send(user, .GET, "/api/v1/cohort" + query)
                #expect(response.status == .ok)
                return try Self.items(response).compactMap { $0["name"] as? String }
            }
            #expect(try await names(f.w.admin) == ["Ben Other", "Jamie Rivera"])
            #expect(try await names(f.w.adminA) == ["Jamie Rivera"])
            #expect(try await names(f.w.mentorA) == ["Jamie Rivera"])
            #expect(try await names(f.w.adminB) == ["Ben Other"])
            #expect(try await names(f.w.mentorB) == ["Ben Other"])
            #expect(try await names(f.w.admin, "?status=active") == ["Ben Other"])
            #expect(try await names(f.w.admin, "?status=cancelled").isEmpty)
            #expect(try await f.send(f.w.apprenticeA, .GET, "/api/v1/cohort").status == .forbidden)
            #expect(try await f.send(f.w.admin, .GET, "/api/v1/cohort?status=gone").status == .unprocessableEntity)

            // Pages by name with a keyset: the next page starts after the last row of the one before.
            let first = try await f.send(f.w.admin, .GET, "/api/v1/cohort?limit=1")
            let firstBody = try first.json()
            #expect(try Self.items(first).compactMap { $0["name"] as? String } == ["Ben Other"])
            #expect(Self.number(firstBody["total"]) == 2)
            let next = try #require(firstBody["next"] as? String)
            let second = try await f.send(f.w.admin, .GET, "/api/v1/cohort?limit=1&after=\(next)")
            let secondBody = try second.json()
            #expect(try Self.items(second).compactMap { $0["name"] as? String } == ["Jamie Rivera"])
            #expect(secondBody["next"] is NSNull)
            for bad in ["limit=0", "limit=201", "limit=ten", "after=not-an-id", "after=\(UUID())"] {
                let refused = try await f.send(f.w.admin, .GET, "/api/v1/cohort?\(bad)")
                #expect(refused.status == .unprocessableEntity, "\(bad)")
                #expect(refused.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            }
            // Another employer's apprentice is no cursor: it does not exist for this caller.
            #expect(try await f.send(f.w.adminA, .GET, "/api/v1/cohort?after=\(next)").status == .unprocessableEntity)

            let row = try #require(try Self.items(try await f.send(f.w.mentorA, .GET, "/api/v1/cohort")).first)
            #expect(row["id"] as? String == f.apprentice.id!.uuidString)
            #expect(row["status"] as? String == "probation")
            #expect(Self.number(row["pendingEntries"]) == 1)
            #expect(Self.number(row["totalHours"]) == 40)
            #expect(Self.number(row["minimumHours"]) == 4000)
            #expect(Self.number(row["skillsSignedOff"]) == 2)
            #expect(row["raiseDue"] as? Bool == true) // eight months in: the probation step is owed
            #expect(row["reviewOverdue"] as? Bool == true) // the first quarterly review never happened
        }
    }

    // MARK: Assessments

    @Test("assessments are appended and listed newest first; only a mentor of the employer assesses; the apprentice asks")
    func assessments() async throws {
        try await withTestApp { app in
            let f = try await Self.fixture(app)
            let path = f.path("assessments")
            let developing = try await f.send(f.w.mentorA, .POST, path, ["skillCode": "PM-01", "rating": "developing", "observed": "Needed help with the analyzer."])
            #expect(developing.status == .created)
            #expect(try developing.json()["signsOff"] as? Bool == false)
            #expect(try developing.json()["assessorName"] as? String == "Mel A-Mentor")
            let proficient = try await f.send(f.w.mentorA, .POST, path, ["skillCode": "PM-01", "rating": "proficient", "observed": "PM on 3 pumps alone."])
            #expect(proficient.status == .created)
            #expect(try proficient.json()["signsOff"] as? Bool == true)

            let history = try Self.items(try await f.send(f.w.apprenticeA, .GET, path))
            #expect(history.compactMap { $0["rating"] as? String } == ["proficient", "developing"])
            #expect(try Self.items(try await f.send(f.w.adminA, .GET, path + "?skillCode=PM-01")).count == 2)
            #expect(try Self.items(try await f.send(f.w.adminA, .GET, path + "?skillCode=OS-01")).isEmpty)
            #expect(try await f.send(f.w.adminA, .GET, path + "?skillCode=ZZ-99").status == .unprocessableEntity)
            let skills = try await Self.progress(f, as: f.w.apprenticeA)["skills"] as? [String: Any]
            #expect(Self.number(skills?["signedOff"]) == 3) // two credited at registration, PM-01 now

            #expect(try await f.send(f.w.apprenticeA, .POST, path, ["skillCode": "PM-02", "rating": "proficient", "observed": "x"]).status == .forbidden)
            #expect(try await f.send(f.w.adminA, .POST, path, ["skillCode": "PM-02", "rating": "proficient", "observed": "x"]).status == .forbidden)
            #expect(try await f.send(f.w.mentorB, .POST, path, ["skillCode": "PM-02", "rating": "proficient", "observed": "x"]).status == .notFound)
            #expect(try Self.fields(try await f.send(f.w.mentorA, .POST, path, ["skillCode": "PM-02", "rating": "great", "observed": ""])) == ["rating", "observed"])
            #expect(try await SkillAssessment.query(on: app.db).count() == 2)

            let requests = f.path("assessment-requests")
            let asked = try await f.send(f.w.apprenticeA, .POST, requests, ["skillCode": "TR-01", "note": "Did two repairs last week."])
            #expect(asked.status == .created)
            #expect(try asked.json()["answeredByID"] is NSNull)
            #expect(try Self.fields(try await f.send(f.w.apprenticeA, .POST, requests, ["skillCode": "TR-01"])) == ["skillCode"])
            #expect(try await f.send(f.w.mentorA, .POST, requests, ["skillCode": "TR-02"]).status == .forbidden)
            #expect(try await f.send(f.w.apprenticeB, .POST, requests, ["skillCode": "TR-02"]).status == .notFound)
            #expect(try await f.send(f.w.mentorA, .POST, path, ["skillCode": "TR-01", "rating": "developing", "observed": "Good start."]).status == .created)
            let answered = try #require(try Self.items(try await f.send(f.w.mentorA, .GET, requests)).first)
            #expect(answered["answeredByID"] is String)
        }
    }

    // MARK: Instruction, credentials, wages, reviews

    @Test("instruction and credentials: apprentices record plans, staff record results; the due raise is recorded by the employer")
    func instructionCredentialsWages() async throws {
        try await withTestApp { app in
            let f = try await Self.fixture(app)
            let instruction = f.path("instruction")
            #expect(try await f.send(f.w.apprenticeA, .POST, instruction, ["courseCode": "RTI-HTM", "status": "enrolled", "provider": "Houston CC", "date": Self.day(-30)]).status == .created)
            #expect(try Self.fields(try await f.send(f.w.apprenticeA, .POST, instruction, ["courseCode": "RTI-HTM", "status": "completed", "provider": "Houston CC", "date": Self.day(-1), "hours": 36])) == ["status"])
            let completed = try await f.send(f.w.mentorA, .POST, instruction, ["courseCode": "RTI-HTM", "status": "completed", "provider": "Houston CC", "date": Self.day(-1), "hours": 36, "grade": "A"])
            #expect(completed.status == .created)
            #expect(Self.number(try completed.json()["hours"]) == 36)
            #expect(try Self.fields(try await f.send(f.w.mentorA, .POST, instruction, ["courseCode": "RTI-MT", "status": "completed", "provider": "X", "date": Self.day(-1), "hours": "many"])) == ["hours"])
            let summary = try (try await f.send(f.w.adminA, .GET, instruction)).json()
            #expect(Self.number(summary["totalHours"]) == 36)
            let course = (summary["courses"] as? [[String: Any]])?.first { $0["code"] as? String == "RTI-HTM" }
            #expect(course?["status"] as? String == "completed")
            #expect((summary["records"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["completed", "enrolled"])
            #expect(Self.number((try await Self.progress(f, as: f.w.apprenticeA)["instruction"] as? [String: Any])?["totalHours"]) == 36)

            let credentials = f.path("credentials")
            #expect(try await f.send(f.w.apprenticeA, .POST, credentials, ["credentialCode": "cabt", "status": "scheduled", "date": Self.day(10)]).status == .created)
            #expect(try Self.fields(try await f.send(f.w.apprenticeA, .POST, credentials, ["credentialCode": "cabt", "status": "passed", "date": Self.day(-1)])) == ["status"])
            let passed = try await f.send(f.w.adminA, .POST, credentials, ["credentialCode": "cabt", "status": "passed", "date": Self.day(-1)])
            #expect(passed.status == .created)
            #expect((try passed.json()["expires"] as? String)?.hasPrefix(String(Int(Self.day(-1).prefix(4))! + 5)) == true)
            let cabt = (try (try await f.send(f.w.mentorA, .GET, credentials)).json()["credentials"] as? [[String: Any]])?.first { $0["code"] as? String == "cabt" }
            #expect(cabt?["isPassed"] as? Bool == true)

            // Eight months in with CABT passed: steps 2 (probation completed) and 3 (CABT) are owed, in order.
            let wages = f.path("wages")
            let before = try (try await f.send(f.w.apprenticeA, .GET, wages)).json()
            #expect((before["dueSteps"] as? [[String: Any]])?.compactMap { Self.number($0["step"]) } == [2, 3])
            #expect((before["raises"] as? [[String: Any]])?.compactMap { $0["rate"] as? String } == ["18.00"])
            #expect((before["schedule"] as? [[String: Any]])?.compactMap { $0["state"] as? String } == ["in-effect", "due", "due", "not-reached", "not-reached"])
            let raise: [String: Any] = ["step": 2, "effectiveDate": Self.day(0), "rate": "19.00"]
            #expect(try await f.send(f.w.mentorA, .POST, wages, raise).status == .forbidden)
            #expect(try await f.send(f.w.apprenticeA, .POST, wages, raise).status == .forbidden)
            #expect(try Self.fields(try await f.send(f.w.adminA, .POST, wages, ["step": 3, "effectiveDate": Self.day(0), "rate": "20.50"])) == ["step"])
            #expect(try Self.fields(try await f.send(f.w.adminA, .POST, wages, ["step": 2, "effectiveDate": Self.day(0), "rate": "17.00"])) == ["rate"])
            let recorded = try await f.send(f.w.adminA, .POST, wages, raise)
            #expect(recorded.status == .created)
            #expect(try recorded.json()["rate"] as? String == "19.00")
            let after = try (try await f.send(f.w.adminA, .GET, wages)).json()
            #expect((after["dueSteps"] as? [[String: Any]])?.compactMap { Self.number($0["step"]) } == [3])
            #expect((after["raises"] as? [[String: Any]])?.compactMap { Self.number($0["step"]) } == [1, 2])
            #expect(try await f.send(f.w.adminA, .POST, wages, raise).status == .unprocessableEntity)

            let reviews = try (try await f.send(f.w.apprenticeA, .GET, f.path("reviews"))).json()
            #expect((reviews["items"] as? [Any])?.isEmpty == true)
            let next = reviews["next"] as? [String: Any]
            #expect(Self.number(next?["number"]) == 1)
            #expect(next?["isOverdue"] as? Bool == true)
        }
    }
}
