#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes each message as a file into a folder instead of sending it: a mail catcher for development and
/// browser tests (`BMET_MAIL_DIR`), where a person or a test reads the links a real inbox would get.
/// Files are readable by their owner only, since bodies carry sign-in links.
public struct FileMailSender: MailSender {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public func send(_ message: MailMessage) async throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let stamp = Int(Date().timeIntervalSince1970 * 1_000_000)
        let name = "\(stamp)-\(UUID().uuidString.prefix(8)).txt"
        let text = "From: \(message.from)\nTo: \(message.to)\nSubject: \(message.subject)\n\n\(message.textBody)\n"
        guard manager.createFile(atPath: directory + "/" + name, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw SMTPError(kind: .connectionFailed, detail: "cannot write \(directory)/\(name)")
        }
    }
}
