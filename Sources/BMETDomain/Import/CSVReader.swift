import Foundation

/// Reads CSV as RFC 4180 writes it (and as spreadsheets export it): quoted fields with doubled quotes, commas and line
/// breaks inside quotes, CRLF or LF line ends, an optional UTF-8 byte-order mark, blank lines skipped.
public enum CSVReader {
    public struct Record: Sendable, Equatable {
        /// The file's line where the record starts (1 is the header), the number people see in their spreadsheet.
        public let line: Int
        public let fields: [String]
    }

    public struct Failure: Error, Sendable, Equatable {
        public let line: Int
        public let message: String
        public init(line: Int, message: String) { self.line = line; self.message = message }
    }

    public static func records(_ data: Data) throws(Failure) -> [Record] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw Failure(line: 1, message: "The file is not UTF-8 text. Save it from the spreadsheet as \"CSV UTF-8\".")
        }
        return try records(text)
    }

    public static func records(_ text: String) throws(Failure) -> [Record] {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1, recordLine = 1
        var inQuotes = false, quotedField = false
        var index = scalars.startIndex

        func endRecord() {
            fields.append(String(field))
            // A line with nothing on it is not a record (a trailing newline, or blank lines between rows).
            if !(fields.count == 1 && fields[0].isEmpty && !quotedField) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []; field = .init(); quotedField = false
        }

        while index < scalars.endIndex {
            let c = scalars[index]
            index = scalars.index(after: index)
            if inQuotes {
                if c == "\"" {
                    if index < scalars.endIndex && scalars[index] == "\"" {
                        field.append("\""); index = scalars.index(after: index)
                    } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty else { throw Failure(line: line, message: "A quote inside an unquoted field: quote the whole field and double the quote.") }
                inQuotes = true; quotedField = true
            case ",":
                fields.append(String(field)); field = .init(); quotedField = false
            case "\r":
                if index < scalars.endIndex && scalars[index] == "\n" { index = scalars.index(after: index) }
                endRecord(); line += 1; recordLine = line
            case "\n":
                endRecord(); line += 1; recordLine = line
            default:
                field.append(c)
            }
        }
        if inQuotes { throw Failure(line: recordLine, message: "A quoted field is never closed.") }
        if !field.isEmpty || !fields.isEmpty || quotedField { endRecord() }
        return records
    }
}
