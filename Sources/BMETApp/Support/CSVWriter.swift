import Foundation
import Vapor

/// Builds CSV that opens correctly in a spreadsheet: RFC 4180 quoting, CRLF line ends, UTF-8 with a byte-order mark
/// (Excel guesses the encoding from it), ISO dates, and text cells that cannot run as formulas.
struct CSVWriter: Sendable {
    /// One cell. Numbers and dates keep their type so they are never mistaken for text (or vice versa).
    enum Cell: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        case text(String)
        case int(Int)
        case decimal(Double, places: Int)
        /// A calendar day, written `YYYY-MM-DD`.
        case day(Date?)
        /// An instant, written ISO 8601 in UTC.
        case instant(Date?)
        case empty

        init(stringLiteral value: String) { self = .text(value) }
        init(integerLiteral value: Int) { self = .int(value) }
    }

    private(set) var lines: [String] = []

    init(header: [String]) {
        append(header.map(Cell.text))
    }

    mutating func append(_ cells: [Cell]) {
        lines.append(cells.map(Self.field).joined(separator: ","))
    }

    /// Data rows, the header not counted.
    var rowCount: Int { lines.count - 1 }

    /// The file: BOM, then every line ended by CRLF (RFC 4180 section 2.1).
    var text: String { "\u{FEFF}" + lines.map { $0 + "\r\n" }.joined() }
    var data: Data { Data(text.utf8) }

    static func field(_ cell: Cell) -> String {
        switch cell {
        case .text(let value): quoted(neutralized(value))
        case .int(let value): String(value)
        case .decimal(let value, let places): String(format: "%.\(places)f", value)
        case .day(let date): date.map { ISODay.string($0) } ?? ""
        case .instant(let date): date.map { ISODay.instant($0) } ?? ""
        case .empty: ""
        }
    }

    /// A text cell starting with =, +, -, @, tab or carriage return would run as a formula in Excel, LibreOffice and
    /// Google Sheets (CSV injection, OWASP): a leading apostrophe makes it plain text there and is visible elsewhere.
    static func neutralized(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return value }
        return "'" + value
    }

    /// Quotes a field when it holds a comma, a quote or a line break; quotes inside are doubled (RFC 4180 section 2.6–2.7).
    static func quoted(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// ISO 8601 text in UTC, the same on every machine.
enum ISODay {
    static func string(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    static func instant(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}

extension Response {
    /// A CSV download. `name` gets today's date and the `.csv` extension; only safe characters go in the header.
    static func csv(_ writer: CSVWriter, name: String, now: Date = Date()) -> Response {
        csv(data: writer.data, fileName: "\(safeFileName(name))-\(ISODay.string(now)).csv")
    }

    static func csv(data: Data, fileName: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(safeFileName(fileName))\"")
        // Personal data: never kept by a shared cache.
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    static func safeFileName(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        let cleaned = String(name.map { allowed.contains($0) ? $0 : "-" })
        let collapsed = cleaned.split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
        return collapsed.isEmpty ? "export" : String(collapsed.prefix(120))
    }
}
