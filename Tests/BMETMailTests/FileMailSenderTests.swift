import BMETMail
import Foundation
import Testing

@Suite("FileMailSender")
struct FileMailSenderTests {
    @Test("each message becomes one owner-only file with its headers and body")
    func writesFiles() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bmet-mail-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sender = FileMailSender(directory: directory)
        try await sender.send(MailMessage(from: "no-reply@example.org", to: "a@example.org", subject: "Hello", textBody: "Link: /invitations/abc"))
        try await sender.send(MailMessage(from: "no-reply@example.org", to: "b@example.org", subject: "Again", textBody: "Second"))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(files.count == 2)
        let text = try String(contentsOfFile: directory + "/" + files[0], encoding: .utf8)
        #expect(text.contains("To: a@example.org"))
        #expect(text.contains("Link: /invitations/abc"))
        let permissions = try FileManager.default.attributesOfItem(atPath: directory + "/" + files[0])[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }
}
