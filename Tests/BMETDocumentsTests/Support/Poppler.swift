import Foundation

/// Runs Poppler's command-line tools (Debian's poppler-utils) on PDFs the tests wrote, and reads their output.
/// A missing tool is an error with instructions, so a machine without Poppler fails the tests instead of
/// passing them unchecked.
enum Poppler {
    static let searchPaths = ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]

    struct ToolMissing: Error, CustomStringConvertible {
        let tool: String
        var description: String {
            "\(tool) was not found in \(Poppler.searchPaths.joined(separator: ", ")). The PDF tests read the documents "
                + "back with Poppler: install it with `apt-get install poppler-utils` (scripts/test.sh does this)."
        }
    }

    struct ToolFailed: Error, CustomStringConvertible {
        let command: String
        let status: Int32
        let stderr: String
        var description: String { "\(command) exited with status \(status): \(stderr)" }
    }

    static func path(of tool: String) throws -> String {
        for directory in searchPaths {
            let candidate = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ToolMissing(tool: tool)
    }

    /// Runs the tool and returns what it printed; output goes through files so a chatty tool cannot block on a pipe.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let executable = try path(of: tool)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("poppler-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdout = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw ToolFailed(command: ([tool] + arguments).joined(separator: " "), status: process.terminationStatus,
                             stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
        }
        return stdout
    }

    // MARK: pdfinfo

    struct Info {
        var pages: Int
        /// Width and height in points of every page.
        var pageSizes: [(width: Double, height: Double)]
    }

    static func info(_ pdf: URL) throws -> Info {
        let summary = try run("pdfinfo", [pdf.path])
        guard let pagesLine = summary.split(separator: "\n").first(where: { $0.hasPrefix("Pages:") }),
              let pages = Int(pagesLine.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)) else {
            throw ToolFailed(command: "pdfinfo \(pdf.path)", status: 0, stderr: "no Pages: line in\n\(summary)")
        }
        // With a page range pdfinfo prints "Page    1 size: 612 x 792 pts (letter)" for each page.
        let detail = try run("pdfinfo", ["-f", "1", "-l", String(pages), pdf.path])
        let sizes: [(width: Double, height: Double)] = detail.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("Page"), line.contains(" size: ") else { return nil }
            let fields = line.components(separatedBy: " size: ")[1].split(separator: " ")
            guard fields.count >= 3, let width = Double(fields[0]), let height = Double(fields[2]) else { return nil }
            return (width, height)
        }
        return Info(pages: pages, pageSizes: sizes)
    }

    // MARK: pdftotext

    /// The text of the whole document, or of one page, in reading order.
    static func text(_ pdf: URL, page: Int? = nil) throws -> String {
        var arguments = ["-enc", "UTF-8"]
        if let page { arguments += ["-f", String(page), "-l", String(page)] }
        return try run("pdftotext", arguments + [pdf.path, "-"])
    }

    struct Word {
        var page: Int
        var pageWidth: Double, pageHeight: Double
        var xMin: Double, yMin: Double, xMax: Double, yMax: Double
        var text: String
    }

    /// Every word with its bounding box, from `pdftotext -bbox`.
    static func words(_ pdf: URL) throws -> [Word] {
        let html = try run("pdftotext", ["-enc", "UTF-8", "-bbox", pdf.path, "-"])
        let pageRegex = try Regex(#"<page width="([0-9.]+)" height="([0-9.]+)">"#)
        let wordRegex = try Regex(#"<word xMin="([0-9.-]+)" yMin="([0-9.-]+)" xMax="([0-9.-]+)" yMax="([0-9.-]+)">(.*?)</word>"#)
        var words: [Word] = []
        var page = 0, width = 0.0, height = 0.0
        for line in html.split(separator: "\n") {
            if let match = try pageRegex.firstMatch(in: line) {
                page += 1
                width = Double(match.output[1].substring ?? "") ?? 0
                height = Double(match.output[2].substring ?? "") ?? 0
            } else if let match = try wordRegex.firstMatch(in: line) {
                func number(_ index: Int) -> Double { Double(match.output[index].substring ?? "") ?? .nan }
                let text = String(match.output[5].substring ?? "")
                    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                    .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
                words.append(Word(page: page, pageWidth: width, pageHeight: height, xMin: number(1), yMin: number(2),
                                  xMax: number(3), yMax: number(4), text: text))
            }
        }
        return words
    }

    // MARK: pdffonts

    struct FontRow {
        var name: String
        var embedded: String
    }

    /// The rows of `pdffonts`, cut into columns by the dashes under its heading.
    static func fonts(_ pdf: URL) throws -> [FontRow] {
        let lines = try run("pdffonts", [pdf.path]).split(separator: "\n").map(String.init)
        guard lines.count >= 2, lines[1].hasPrefix("---") else {
            throw ToolFailed(command: "pdffonts \(pdf.path)", status: 0, stderr: "unexpected output:\n\(lines.joined(separator: "\n"))")
        }
        // Column ranges from the dashes line: "----- ------ ---" → [0..<5, 6..<12, 13..<16].
        var ranges: [Range<Int>] = []
        var start: Int?
        for (offset, character) in lines[1].enumerated() {
            if character == "-", start == nil { start = offset }
            if character != "-", let begin = start { ranges.append(begin..<offset); start = nil }
        }
        if let begin = start { ranges.append(begin..<lines[1].count) }
        let headings = ranges.map { column(lines[0], $0) }
        guard let nameColumn = headings.firstIndex(of: "name"), let embColumn = headings.firstIndex(of: "emb") else {
            throw ToolFailed(command: "pdffonts \(pdf.path)", status: 0, stderr: "no name/emb columns in: \(lines[0])")
        }
        return lines.dropFirst(2).map { line in
            FontRow(name: column(line, ranges[nameColumn]), embedded: column(line, ranges[embColumn]))
        }
    }

    private static func column(_ line: String, _ range: Range<Int>) -> String {
        let characters = Array(line)
        guard range.lowerBound < characters.count else { return "" }
        return String(characters[range.lowerBound..<min(range.upperBound, characters.count)]).trimmingCharacters(in: .whitespaces)
    }

    // MARK: pdftoppm

    /// Renders every page to a PNG in `directory` and returns the files in page order.
    static func renderPNGs(_ pdf: URL, into directory: URL, resolution: Int = 60) throws -> [URL] {
        let prefix = directory.appendingPathComponent(pdf.deletingPathExtension().lastPathComponent).path
        try run("pdftoppm", ["-r", String(resolution), "-png", pdf.path, prefix])
        let base = pdf.deletingPathExtension().lastPathComponent + "-"
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasPrefix(base) && $0.pathExtension == "png" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
