import CCairo
import Foundation

/// A colour as Cairo takes it (components 0…1).
struct Colour: Sendable {
    var red: Double, green: Double, blue: Double

    static let ink = Colour(red: 0.12, green: 0.13, blue: 0.15)
    static let muted = Colour(red: 0.36, green: 0.38, blue: 0.42)
    static let navy = Colour(red: 0.09, green: 0.21, blue: 0.36)
    static let gold = Colour(red: 0.66, green: 0.52, blue: 0.22)
    static let rule = Colour(red: 0.72, green: 0.74, blue: 0.78)
    static let headerFill = Colour(red: 0.90, green: 0.92, blue: 0.95)
    static let zebra = Colour(red: 0.965, green: 0.969, blue: 0.976)
    static let white = Colour(red: 1, green: 1, blue: 1)
}

/// A font of the DejaVu family (fonts-dejavu-core), found by fontconfig and embedded by Cairo as a subset.
struct Font: Sendable {
    var family: String
    var bold: Bool
    var italic: Bool
    var size: Double

    static func serif(_ size: Double, bold: Bool = false, italic: Bool = false) -> Font {
        Font(family: "DejaVu Serif", bold: bold, italic: italic, size: size)
    }

    static func sans(_ size: Double, bold: Bool = false, italic: Bool = false) -> Font {
        Font(family: "DejaVu Sans", bold: bold, italic: italic, size: size)
    }

    /// DejaVu Sans Condensed, for the transcript's tables.
    static func condensed(_ size: Double, bold: Bool = false, italic: Bool = false) -> Font {
        Font(family: "DejaVu Sans Condensed", bold: bold, italic: italic, size: size)
    }

    func sized(_ size: Double) -> Font {
        var copy = self
        copy.size = size
        return copy
    }
}

enum Alignment: Sendable { case left, center, right }

/// One PDF being drawn with Cairo: owns the surface and the context and collects the bytes Cairo writes.
/// Coordinates are PDF points (1/72 in) from the top-left corner; text is placed by its baseline.
final class Canvas {
    /// Where Cairo's PDF stream goes; reached from the C callback through an unmanaged pointer.
    private final class Sink {
        var data = Data()
    }

    let width: Double
    let height: Double
    private let surface: OpaquePointer
    private let cr: OpaquePointer
    private let sink: Unmanaged<Sink>
    private var finished = false
    private var currentFont: (family: String, bold: Bool, italic: Bool, size: Double)?

    init(width: Double, height: Double, title: String, subject: String) throws {
        self.width = width
        self.height = height
        let sink = Unmanaged.passRetained(Sink())
        let write: cairo_write_func_t = { closure, bytes, length in
            guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
            let sink = Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue()
            if let bytes, length > 0 { sink.data.append(bytes, count: Int(length)) }
            return CAIRO_STATUS_SUCCESS
        }
        guard let surface = cairo_pdf_surface_create_for_stream(write, sink.toOpaque(), width, height) else {
            sink.release()
            throw DocumentError.cairo("no PDF surface")
        }
        let surfaceStatus = cairo_surface_status(surface)
        guard surfaceStatus == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            sink.release()
            throw DocumentError.cairo(Self.describe(surfaceStatus))
        }
        guard let cr = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            sink.release()
            throw DocumentError.cairo("no drawing context")
        }
        self.surface = surface
        self.cr = cr
        self.sink = sink
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, subject)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "BMET Apprenticeship")
        try check()
    }

    deinit {
        if !finished {
            cairo_destroy(cr)
            cairo_surface_destroy(surface)
            sink.release()
        }
    }

    private static func describe(_ status: cairo_status_t) -> String {
        cairo_status_to_string(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
    }

    /// Throws Cairo's error if the context has gone into an error state (Cairo's errors are sticky).
    func check() throws {
        let status = cairo_status(cr)
        guard status == CAIRO_STATUS_SUCCESS else { throw DocumentError.cairo(Self.describe(status)) }
    }

    /// Ends the current page and starts a new one of the same size.
    func nextPage() throws {
        cairo_show_page(cr)
        try check()
    }

    /// Ends the last page, closes the PDF and returns its bytes. The canvas cannot be used afterwards.
    func finish() throws -> Data {
        precondition(!finished, "finish() called twice")
        finished = true
        cairo_show_page(cr)
        let contextStatus = cairo_status(cr)
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        let surfaceStatus = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        let data = sink.takeUnretainedValue().data
        sink.release()
        guard contextStatus == CAIRO_STATUS_SUCCESS else { throw DocumentError.cairo(Self.describe(contextStatus)) }
        guard surfaceStatus == CAIRO_STATUS_SUCCESS else { throw DocumentError.cairo(Self.describe(surfaceStatus)) }
        return data
    }

    // MARK: Shapes

    private func set(_ colour: Colour) {
        cairo_set_source_rgb(cr, colour.red, colour.green, colour.blue)
    }

    func fill(x: Double, y: Double, width: Double, height: Double, colour: Colour) {
        set(colour)
        cairo_rectangle(cr, x, y, width, height)
        cairo_fill(cr)
    }

    func stroke(x: Double, y: Double, width: Double, height: Double, colour: Colour, lineWidth: Double) {
        set(colour)
        cairo_set_line_width(cr, lineWidth)
        cairo_rectangle(cr, x, y, width, height)
        cairo_stroke(cr)
    }

    func line(from start: (x: Double, y: Double), to end: (x: Double, y: Double), colour: Colour, lineWidth: Double) {
        set(colour)
        cairo_set_line_width(cr, lineWidth)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        cairo_move_to(cr, start.x, start.y)
        cairo_line_to(cr, end.x, end.y)
        cairo_stroke(cr)
    }

    /// A filled polygon (ornaments).
    func fillPolygon(_ points: [(x: Double, y: Double)], colour: Colour) {
        guard let first = points.first else { return }
        set(colour)
        cairo_move_to(cr, first.x, first.y)
        for point in points.dropFirst() { cairo_line_to(cr, point.x, point.y) }
        cairo_close_path(cr)
        cairo_fill(cr)
    }

    /// Many rectangles filled as one path, so touching rectangles show no hairline seams (QR modules).
    func fillRectangles(_ rectangles: [(x: Double, y: Double, width: Double, height: Double)], colour: Colour) {
        set(colour)
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING)
        for r in rectangles { cairo_rectangle(cr, r.x, r.y, r.width, r.height) }
        cairo_fill(cr)
    }

    /// A clickable link to `uri` over the given area (a PDF link annotation).
    func link(to uri: String, x: Double, y: Double, width: Double, height: Double) {
        let escaped = uri.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        let attributes = "uri='\(escaped)' rect=[\(x) \(y) \(width) \(height)]"
        cairo_tag_begin(cr, CAIRO_TAG_LINK, attributes)
        cairo_tag_end(cr, CAIRO_TAG_LINK)
    }

    // MARK: Text

    private func use(_ font: Font) {
        if let current = currentFont, current.family == font.family, current.bold == font.bold,
           current.italic == font.italic, current.size == font.size {
            return
        }
        cairo_select_font_face(
            cr, font.family,
            font.italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
            font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL
        )
        cairo_set_font_size(cr, font.size)
        currentFont = (font.family, font.bold, font.italic, font.size)
    }

    /// How far the text advances, in points.
    func width(of text: String, font: Font, tracking: Double = 0) -> Double {
        guard !text.isEmpty else { return 0 }
        use(font)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        return extents.x_advance + tracking * Double(max(text.count - 1, 0))
    }

    /// Draws one line of text with its baseline at `y`; `x` is its left end, centre or right end.
    func text(
        _ text: String, x: Double, y: Double, font: Font, colour: Colour = .ink,
        alignment: Alignment = .left, tracking: Double = 0
    ) {
        guard !text.isEmpty else { return }
        let advance = width(of: text, font: font, tracking: tracking)
        var left: Double
        switch alignment {
        case .left: left = x
        case .center: left = x - advance / 2
        case .right: left = x - advance
        }
        use(font)
        set(colour)
        if tracking == 0 {
            cairo_move_to(cr, left, y)
            cairo_show_text(cr, text)
        } else {
            for character in text {
                let glyph = String(character)
                cairo_move_to(cr, left, y)
                cairo_show_text(cr, glyph)
                left += width(of: glyph, font: font) + tracking
            }
        }
    }

    /// The largest size from `font.size` down to `minimumSize` (in steps of ¼ pt) at which `text` fits.
    func fitting(_ text: String, font: Font, maxWidth: Double, minimumSize: Double, tracking: Double = 0) -> Font {
        var size = font.size
        while size > minimumSize, width(of: text, font: font.sized(size), tracking: tracking) > maxWidth {
            size = max(minimumSize, size - 0.25)
        }
        return font.sized(size)
    }

    /// The text as it is, or its longest beginning that fits followed by "…".
    func truncated(_ text: String, font: Font, maxWidth: Double) -> String {
        if width(of: text, font: font) <= maxWidth { return text }
        let characters = Array(text)
        var low = 0, high = characters.count  // the answer keeps `low` characters; binary search on the prefix length
        while low < high {
            let middle = (low + high + 1) / 2
            if width(of: Self.ellipsized(characters[..<middle]), font: font) <= maxWidth {
                low = middle
            } else {
                high = middle - 1
            }
        }
        return Self.ellipsized(characters[..<low])
    }

    private static func ellipsized(_ prefix: ArraySlice<Character>) -> String {
        var kept = String(prefix)
        while let last = kept.last, last.isWhitespace || last == "," || last == ";" { kept.removeLast() }
        return kept + "…"
    }

    /// Breaks text into lines no wider than `maxWidth`, at spaces where it can and inside a word only when a
    /// word alone is too wide. Beyond `maxLines` the last kept line ends in "…".
    func wrapped(_ text: String, font: Font, maxWidth: Double, maxLines: Int = .max) -> [String] {
        var lines: [String] = []
        var joins: [String] = []  // what stood between line i and line i + 1 in the text: a space, or nothing inside a word
        var current = ""
        for word in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if width(of: candidate, font: font) <= maxWidth {
                current = candidate
                continue
            }
            if !current.isEmpty {
                lines.append(current)
                joins.append(" ")
            }
            var rest = word
            while width(of: rest, font: font) > maxWidth, rest.count > 1 {
                let head = longestPrefix(of: rest, font: font, maxWidth: maxWidth)
                lines.append(head)
                joins.append("")
                rest = String(rest.dropFirst(head.count))
            }
            current = rest
        }
        if !current.isEmpty { lines.append(current) }
        guard lines.count > maxLines, maxLines > 0 else { return lines }
        var overflow = lines[maxLines - 1]
        for index in maxLines..<lines.count { overflow += joins[index - 1] + lines[index] }
        return Array(lines.prefix(maxLines - 1)) + [truncated(overflow, font: font, maxWidth: maxWidth)]
    }

    /// Like `wrapped`, but as narrow as the same number of lines allows, so a centred paragraph does not end
    /// in one short word.
    func balanced(_ text: String, font: Font, maxWidth: Double, maxLines: Int = .max) -> [String] {
        let lines = wrapped(text, font: font, maxWidth: maxWidth, maxLines: maxLines)
        guard lines.count > 1, lines.count < maxLines || !(lines.last?.hasSuffix("…") ?? false) else { return lines }
        var low = maxWidth / 2, high = maxWidth
        for _ in 0..<14 {
            let middle = (low + high) / 2
            if wrapped(text, font: font, maxWidth: middle).count <= lines.count { high = middle } else { low = middle }
        }
        return wrapped(text, font: font, maxWidth: high, maxLines: maxLines)
    }

    /// The longest beginning of `word` (at least one character) that fits; where a URL or a hyphenated word
    /// has a "/", "-" or "." close enough to the end, the break goes after it.
    private func longestPrefix(of word: String, font: Font, maxWidth: Double) -> String {
        let characters = Array(word)
        var low = 1, high = characters.count
        while low < high {
            let middle = (low + high + 1) / 2
            if width(of: String(characters[..<middle]), font: font) <= maxWidth { low = middle } else { high = middle - 1 }
        }
        if let breakAt = characters[..<low].lastIndex(where: { "/-.?&=_".contains($0) }), breakAt + 1 >= low * 2 / 3,
           breakAt + 1 < characters.count {
            return String(characters[...breakAt])
        }
        return String(characters[..<low])
    }
}
