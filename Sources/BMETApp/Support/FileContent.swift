import Foundation
import Vapor

/// Uploads checked by their whole structure, not their first bytes: a file that starts with `%PDF-` but is an HTML
/// page inside (a polyglot) is refused. PDFs go through Poppler's `pdfinfo`; PNG and JPEG are walked chunk by chunk
/// and segment by segment to their end marker.
enum FileContent {
    enum Kind: Equatable { case pdf, jpeg, png }

    /// The kind the bytes really are, or nil when they are none of them (or carry markup a browser would run).
    static func identify(_ data: Data) -> Kind? {
        guard !containsMarkup(data) else { return nil }
        if data.starts(with: Data("%PDF-".utf8)) { return isPDF(data) ? .pdf : nil }
        if data.starts(with: pngSignature) { return isPNG(data) ? .png : nil }
        if data.starts(with: [0xFF, 0xD8, 0xFF]) { return isJPEG(data) ? .jpeg : nil }
        return nil
    }

    /// `identify` away from the Swift concurrency threads (there are as many as cores): `pdfinfo` is a child process
    /// to wait for, and waiting on one of those threads would stall every request behind it.
    static func identifyOffThread(_ data: Data) async -> Kind? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: identify(data)) }
        }
    }

    // MARK: Markup

    /// Markup that makes a browser (or a sniffing viewer) treat the file as a page. Real PDFs and images keep text
    /// in compressed streams, so these never appear in the clear in them.
    private static let markers = ["<html", "<script", "<body", "<!doctype", "<iframe", "<svg", "<object", "<embed", "javascript:"]

    static func containsMarkup(_ data: Data) -> Bool {
        let lowered = Data(data.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 })
        return markers.contains { lowered.range(of: Data($0.utf8)) != nil }
    }

    // MARK: PDF

    /// `pdfinfo` parses the cross-reference table and the page tree; exit status 0 means a PDF it can open.
    static func isPDF(_ data: Data) -> Bool {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bmet-pdfcheck-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("upload.pdf")
            guard FileManager.default.createFile(atPath: file.path, contents: data, attributes: [.posixPermissions: 0o600]) else { return false }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: pdfinfoPath)
            process.arguments = [file.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // A hostile file must not hold a request forever.
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { process.terminate(); process.waitUntilExit(); return false }
            return process.terminationStatus == 0
        } catch {
            return false
        }
    }

    static let pdfinfoPath: String = {
        for candidate in ["/usr/bin/pdfinfo", "/usr/local/bin/pdfinfo", "/opt/homebrew/bin/pdfinfo"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return "/usr/bin/pdfinfo"
    }()

    // MARK: PNG

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Signature, IHDR first (13 bytes, non-zero size), every chunk's CRC right, IDAT present, IEND last and nothing after it.
    static func isPNG(_ data: Data) -> Bool {
        let bytes = [UInt8](data)
        var offset = 8
        var first = true
        var sawData = false
        while offset + 12 <= bytes.count {
            let length = Int(UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3]))
            let typeStart = offset + 4
            guard length <= bytes.count, typeStart + 4 + length + 4 <= bytes.count else { return false }
            let type = String(decoding: bytes[typeStart..<typeStart + 4], as: UTF8.self)
            let body = bytes[(typeStart + 4)..<(typeStart + 4 + length)]
            let crcStart = typeStart + 4 + length
            let stored = UInt32(bytes[crcStart]) << 24 | UInt32(bytes[crcStart + 1]) << 16 | UInt32(bytes[crcStart + 2]) << 8 | UInt32(bytes[crcStart + 3])
            guard crc32(bytes[typeStart..<crcStart]) == stored else { return false }
            if first {
                guard type == "IHDR", length == 13 else { return false }
                let width = body.prefix(4).reduce(0) { $0 << 8 | Int($1) }, height = body.dropFirst(4).prefix(4).reduce(0) { $0 << 8 | Int($1) }
                guard width > 0, height > 0 else { return false }
                first = false
            }
            if type == "IDAT" { sawData = true }
            offset = crcStart + 4
            if type == "IEND" { return sawData && offset == bytes.count }
        }
        return false
    }

    private static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    // MARK: JPEG

    /// SOI, well-formed marker segments with a frame header (SOFn) before the scan, entropy-coded data, and EOI at the end.
    static func isJPEG(_ data: Data) -> Bool {
        let bytes = [UInt8](data)
        guard bytes.count > 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return false }
        var offset = 2
        var sawFrame = false
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return false }
            var marker = bytes[offset + 1]
            while marker == 0xFF, offset + 2 < bytes.count { offset += 1; marker = bytes[offset + 1] }  // fill bytes
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { return false }
            switch marker {
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                guard length >= 8 else { return false }
                let height = Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6]), width = Int(bytes[offset + 7]) << 8 | Int(bytes[offset + 8])
                guard width > 0, height > 0 else { return false }
                sawFrame = true
            case 0xDA:
                guard sawFrame else { return false }
                // The scan runs to EOI; markers inside it are stuffed (FF 00) or restart markers (FF D0–D7).
                var scan = offset + 2 + length
                while scan + 1 < bytes.count {
                    if bytes[scan] == 0xFF {
                        let next = bytes[scan + 1]
                        if next == 0xD9 { return scan + 2 == bytes.count }
                        if next == 0xDA || (next >= 0xC0 && next <= 0xFE && !(0xD0...0xD7).contains(next)) {
                            // Progressive JPEGs: further tables and scans follow.
                            offset = scan
                            break
                        }
                    }
                    scan += 1
                }
                if scan + 1 >= bytes.count { return false }
                continue
            case 0xD9:
                return false
            default:
                break
            }
            offset += 2 + length
        }
        return false
    }
}
