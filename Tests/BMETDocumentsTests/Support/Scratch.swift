import Foundation

/// A folder of its own for one test's files. Set BMET_DOCUMENTS_OUT to a folder to keep them there instead
/// (to look at the PDFs and PNGs).
struct Scratch {
    let directory: URL

    init(_ name: String) throws {
        if let kept = ProcessInfo.processInfo.environment["BMET_DOCUMENTS_OUT"], !kept.isEmpty {
            directory = URL(fileURLWithPath: kept).appendingPathComponent(name)
            try? FileManager.default.removeItem(at: directory)
        } else {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("bmet-documents-\(name)-\(UUID().uuidString)")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func write(_ data: Data, as name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    /// Removes the folder unless it was asked to be kept.
    func clean() {
        guard ProcessInfo.processInfo.environment["BMET_DOCUMENTS_OUT"]?.isEmpty ?? true else { return }
        try? FileManager.default.removeItem(at: directory)
    }
}

extension Data {
    /// Whether the data starts with the PNG signature.
    var isPNG: Bool { starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) }
}
