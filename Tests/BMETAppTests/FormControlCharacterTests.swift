@testable import BMETApp
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// A control or text-direction character in a web form is a field error like any other: the form comes back with
/// everything else the person typed, a message by the offending field, and nothing stored.
@Suite("Forms refuse control characters by field")
struct FormControlCharacterTests {
    @Test("sign-in: the form comes back with the e-mail (less the NUL) and a message by it; no attempt is counted")
    func signIn() async throws {
        try await withTestApp { app in
            let browser = Browser(app)
            let response = try await browser.post("/login", ["email": "x\u{0}y@example.org", "password": "whatever-it-is"])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains(#"action="/login""#))
            #expect(response.text.contains(#"id="email-error""#))
            #expect(response.text.contains(Self.escaped(InputText.removedMessage)))
            #expect(response.text.contains(#"value="xy@example.org""#))
            #expect(try await LoginAttempt.query(on: app.db).count() == 0)
            #expect(try await AuditLog.verify(on: app.db).problems.isEmpty)
        }
    }

    @Test("forgot password: the form comes back with a message by the e-mail, and no mail is queued")
    func forgotPassword() async throws {
        try await withTestApp { app in
            let response = try await Browser(app).post("/forgot-password", ["email": "a\u{202E}b@example.org"])
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains(#"action="/forgot-password""#))
            #expect(response.text.contains(#"id="email-error""#))
            #expect(try await OutboxMessage.query(on: app.db).count() == 0)
        }
    }

    @Test("apply: every other answer is kept, the statement has a message, nothing is stored")
    func apply() async throws {
        try await withTestApp { app in
            let response = try await Browser(app).post("/apply", RecruitmentTests.application(["statement": "I fix\u{1B}[31m radios"]))
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains(#"id="statement-error""#))
            #expect(response.text.contains(Self.escaped(InputText.removedMessage)))
            #expect(response.text.contains(#"value="Jamie Rivera""#))
            #expect(response.text.contains("I fix[31m radios"))
            #expect(!response.text.contains("\u{1B}"))
            #expect(try await Applicant.query(on: app.db).count() == 0)
        }
    }

    @Test("apply as a multipart upload: the name comes back without the NUL, the message stands by it, nothing is stored")
    func applyMultipart() async throws {
        try await withTestApp { app in
            let response = try await Browser(app).uploadForm("/apply", fields: RecruitmentTests.application(["fullName": "Jamie\u{0} Rivera"]),
                                                            file: ("resume", "resume.pdf", Make.pdf))
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains(#"id="fullName-error""#))
            #expect(response.text.contains(Self.escaped(InputText.removedMessage)))
            #expect(response.text.contains(#"value="Jamie Rivera""#))
            #expect(response.text.contains(#"value="jamie.rivera@example.org""#))
            #expect(try await Applicant.query(on: app.db).count() == 0)
        }
    }

    @Test("week of hours: the other days are kept, the offending day's description has the message, nothing is stored")
    func weekOfHours() async throws {
        try await withTestApp { app in
            let s = try await TrainingRecordTests.setup(app)
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            var week = TrainingRecordTests.week(s)
            week["rows[2][description]"] = "Safety checks\u{0} on pumps"
            let response = try await apprentice.post("/apprentices/\(s.apprentice.id!)/hours/week", week)
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains(#"id="desc-2-error""#))
            #expect(response.text.contains(#"value="Safety checks on pumps""#))
            #expect(response.text.contains(#"value="Electrical safety checks on day 4""#))
            #expect(!response.text.contains(#"id="desc-1-error""#))
            #expect(try await HourEntry.query(on: app.db).count() == 0)
            // Sent again without the character, the same week is stored.
            week["rows[2][description]"] = "Safety checks on pumps"
            #expect(try await apprentice.post("/apprentices/\(s.apprentice.id!)/hours/week", week).status == .seeOther)
            #expect(try await HourEntry.query(on: app.db).count() == 5)
        }
    }

    @Test("approvals: a rejection comment with a control character is refused by the comment, in the queue and on the entry")
    func approvalComment() async throws {
        try await withTestApp { app in
            let s = try await TrainingRecordTests.setup(app)
            let entries = try await TrainingRecordTests.logWeek(app, s)
            let mentor = Browser(app)
            _ = try await mentor.signIn(s.world.mentorA.email)
            let queue = try await mentor.post("/approvals/decide", pairs: [("entries[]", entries[0].id!.uuidString), ("decision", "reject"), ("comment", "Not\u{0} a workday")])
            #expect(queue.status == .unprocessableEntity)
            #expect(queue.text.contains(#"id="comment-error""#))
            #expect(queue.text.contains(Self.escaped(InputText.removedMessage)))
            let entry = "/hours/\(entries[0].id!)"
            let fromEntry = try await mentor.post("/approvals/decide", pairs: [("entries[]", entries[0].id!.uuidString), ("decision", "reject"),
                                                                               ("comment", "Not\u{202E} a workday"), ("returnTo", entry)])
            #expect(fromEntry.headers.first(name: .location) == entry + "?error=comment&why=characters")
            let page = try await mentor.get(fromEntry.headers.first(name: .location) ?? "")
            #expect(page.text.contains(Self.escaped(InputText.removedMessage)))
            #expect(try await HourEntry.query(on: app.db).filter(\.$status == .pending).count() == entries.count)
        }
    }

    @Test("a form decoded without the field check still refuses offending text (422), never stores it")
    func decoderBackstop() async throws {
        struct Form: Decodable { var name: String? }
        try await withTestApp { _ in
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            let decoder = try ContentConfiguration.global.requireDecoder(for: .urlEncodedForm)
            #expect(throws: ValidationFailure.self) { try decoder.decode(Form.self, from: ByteBuffer(string: "name=a%00b"), headers: headers) }
            #expect(try decoder.decode(Form.self, from: ByteBuffer(string: "name=ab"), headers: headers).name == "ab")
        }
    }

    @Test("the cleaned form keeps newlines in multi-line fields only, and file parts byte for byte")
    func cleaning() {
        #expect(InputText.cleanedForm("note=a%0Ab%00c&name=x%0Ay") == "note=a%0Abc&name=xy")
        #expect(InputText.errorKey("rows[3][description]") == "rows.3.description")
        let file = Data([0x00, 0x1B, 0x0D, 0x0A, 0xFF])
        var body = Data("--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nA\u{0}B\u{202E}C\r\n".utf8)
        body += Data("--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nline\r\nnext\u{7}\r\n".utf8)
        body += Data("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.png\"\r\n\r\n".utf8) + file + Data("\r\n--b--\r\n".utf8)
        var expected = Data("--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nABC\r\n".utf8)
        expected += Data("--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nline\r\nnext\r\n".utf8)
        expected += Data("--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.png\"\r\n\r\n".utf8) + file + Data("\r\n--b--\r\n".utf8)
        #expect(InputText.cleanedMultipart(body, boundary: "b") == expected)
    }

    /// Leaf escapes apostrophes and quotes in text.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "'", with: "&#39;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
