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

    static let notUTF8 = "The file is not UTF-8 text. Save it from the spreadsheet as \"CSV UTF-8\"."

    public static func records(_ data: Data) throws(Failure) -> [Record] {
        var cursor = Cursor(data)
        var records: [Record] = []
        while let record = try cursor.next() { records.append(record) }
        return records
    }

    public static func records(_ text: String) throws(Failure) -> [Record] { try records(Data(text.utf8)) }

    /// One record at a time over the file's bytes, so a large file is never held as rows. The delimiters are ASCII,
    /// which never occurs inside a multi-byte UTF-8 sequence, so the bytes are split first and each field is then
    /// checked to be UTF-8.
    public struct Cursor: Sendable {
        private let data: Data
        private var offset: Int
        private var line = 1

        public init(_ data: Data) {
            self.data = data
            offset = data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        }

        /// How far through the file (0…1), for progress.
        public var fraction: Double { data.isEmpty ? 1 : Double(offset) / Double(data.count) }

        /// The next record, or nil at the end of the file.
        public mutating func next() throws(Failure) -> Record? {
            let count = data.count
            var start = offset
            var line = self.line
            let result: Result<Record?, Failure> = data.withUnsafeBytes { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                var fields: [String] = []
                var quoted: [UInt8] = []
                var index = start
                var recordLine = line
                while true {
                    // Blank lines between records (or at the end) are skipped, but counted.
                    if fields.isEmpty {
                        while index < count, bytes[index] == 0x0A || bytes[index] == 0x0D {
                            if bytes[index] == 0x0D, index + 1 < count, bytes[index + 1] == 0x0A { index += 1 }
                            index += 1; line += 1
                        }
                        recordLine = line
                        if index >= count { start = index; return .success(nil) }
                    }
                    // One field.
                    var text: String?
                    if bytes[index] == 0x22 { // a quoted field
                        quoted.removeAll(keepingCapacity: true)
                        index += 1
                        var closed = false
                        while index < count {
                            let c = bytes[index]
                            if c == 0x22 {
                                if index + 1 < count, bytes[index + 1] == 0x22 { quoted.append(0x22); index += 2; continue }
                                index += 1; closed = true; break
                            }
                            if c == 0x0A { line += 1 }
                            quoted.append(c); index += 1
                        }
                        guard closed else { return .failure(Failure(line: recordLine, message: "A quoted field is never closed.")) }
                        if index < count, bytes[index] != 0x2C, bytes[index] != 0x0A, bytes[index] != 0x0D {
                            return .failure(Failure(line: line, message: "A quote inside an unquoted field: quote the whole field and double the quote."))
                        }
                        text = String(validating: quoted, as: UTF8.self)
                    } else {
                        let fieldStart = index
                        while index < count {
                            let c = bytes[index]
                            if c == 0x2C || c == 0x0A || c == 0x0D { break }
                            if c == 0x22 { return .failure(Failure(line: line, message: "A quote inside an unquoted field: quote the whole field and double the quote.")) }
                            index += 1
                        }
                        text = String(validating: UnsafeBufferPointer(rebasing: bytes[fieldStart..<index]), as: UTF8.self)
                    }
                    guard let text else { return .failure(Failure(line: line, message: CSVReader.notUTF8)) }
                    fields.append(text)
                    // What ends it: a comma (another field follows), a line end or the end of the file (the record ends).
                    if index < count, bytes[index] == 0x2C {
                        index += 1
                        if index >= count { fields.append("") }
                        else { continue }
                    } else if index < count {
                        if bytes[index] == 0x0D, index + 1 < count, bytes[index + 1] == 0x0A { index += 1 }
                        index += 1; line += 1
                    }
                    start = index
                    return .success(Record(line: recordLine, fields: fields))
                }
            }
            offset = start
            self.line = line
            return try result.get()
        }
    }
}
