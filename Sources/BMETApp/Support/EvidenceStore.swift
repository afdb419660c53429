import Foundation
import Vapor

/// Evidence files for assessments and credentials: PDF, JPEG or PNG, checked by their structure (`FileContent`), at most 5 MB,
/// stored under a random name in the data directory (0600), never in the public folder.
enum EvidenceStore {
    static let maxBytes = 5 * 1024 * 1024

    enum Kind: String { case pdf, jpg, png
        var contentType: HTTPMediaType {
            switch self { case .pdf: .pdf; case .jpg: .jpeg; case .png: .png }
        }
    }

    /// The file's kind, or a message for the person who chose it.
    static func check(_ data: Data) async -> Result<Kind, ValidationMessage> {
        if data.isEmpty { return .failure("The file is empty.") }
        if data.count > maxBytes { return .failure("The file is larger than 5 MB.") }
        switch await FileContent.identifyOffThread(data) {
        case .pdf?: return .success(.pdf)
        case .jpeg?: return .success(.jpg)
        case .png?: return .success(.png)
        case nil: return .failure("Upload a PDF, JPEG or PNG file (this one is not a complete, plain file of those kinds).")
        }
    }

    struct ValidationMessage: Error, ExpressibleByStringLiteral {
        let text: String
        init(stringLiteral value: String) { text = value }
    }

    /// The uploaded file's bytes, kind and display name when one was chosen; a message under `field` when it is refused.
    static func read(_ file: File?, field: String = "evidence", into errors: inout FieldErrors) async -> (data: Data, kind: Kind, name: String)? {
        guard let file, file.data.readableBytes > 0 else { return nil }
        let data = Data(buffer: file.data)
        switch await check(data) {
        case .success(let kind): return (data, kind, displayName(file.filename))
        case .failure(let message): errors[field] = message.text; return nil
        }
    }

    static func directory(_ settings: AppSettings) -> String { settings.dataDirectory + "/uploads/evidence" }

    /// Saves the file; returns its stored name.
    static func save(_ data: Data, kind: Kind, settings: AppSettings) throws -> String {
        let directory = directory(settings)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let name = UUID().uuidString.lowercased() + "." + kind.rawValue
        guard FileManager.default.createFile(atPath: directory + "/" + name, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw Abort(.internalServerError, reason: "The evidence file could not be stored.")
        }
        return name
    }

    /// The stored file's path and type; names we did not make are refused rather than joined into a path.
    static func locate(_ name: String, settings: AppSettings) -> (path: String, kind: Kind)? {
        guard name.range(of: #"^[0-9a-f-]{36}\.(pdf|jpg|png)$"#, options: .regularExpression) != nil,
              let kind = Kind(rawValue: String(name.split(separator: ".").last ?? "")) else { return nil }
        return (directory(settings) + "/" + name, kind)
    }

    /// A file name safe to show and to send back in Content-Disposition.
    static func displayName(_ filename: String) -> String {
        let cleaned = filename.filter { $0.isLetter || $0.isNumber || " ._-()".contains($0) }.trimmed
        return String((cleaned.isEmpty ? "evidence" : cleaned).prefix(120))
    }
}
