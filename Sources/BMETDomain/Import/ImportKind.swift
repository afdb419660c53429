import Foundation

/// What one CSV import file holds, and its fixed columns (the template's header, documented in docs/IMPORT.md).
/// Rows refer to each other by the importer's own ids (`*_ref`), kept so a later file can point at an earlier one.
public enum ImportKind: String, Sendable, CaseIterable, Codable {
    case employers, people, apprentices, hours, credentials, skills

    public struct Column: Sendable {
        public let name: String
        public let required: Bool
        public let example: String
        public let help: String
    }

    public var label: String {
        switch self {
        case .employers: "Employers"
        case .people: "People (employer administrators and mentors)"
        case .apprentices: "Apprentices with their registration data"
        case .hours: "Historical on-the-job hours"
        case .credentials: "Industry credentials (planned, scheduled, passed, failed)"
        case .skills: "Skill sign-offs (assessments by a mentor)"
        }
    }

    /// The column holding each row's own external id.
    public var refColumn: String {
        switch self {
        case .employers: "employer_ref"
        case .people: "person_ref"
        case .apprentices: "apprentice_ref"
        case .hours: "hours_ref"
        case .credentials: "credential_ref"
        case .skills: "assessment_ref"
        }
    }

    public var columns: [Column] {
        func c(_ name: String, _ required: Bool, _ example: String, _ help: String) -> Column { Column(name: name, required: required, example: example, help: help) }
        switch self {
        case .employers:
            return [c("employer_ref", true, "EMP-001", "Your id for the employer, unique in the file."),
                    c("name", true, "Gulf Coast Medical Center", "Organization name."),
                    c("address_line1", true, "6565 Fannin St", "Street address."),
                    c("address_line2", false, "", "Suite, building."),
                    c("city", true, "Houston", ""),
                    c("state", true, "TX", "Two-letter U.S. state."),
                    c("zip", true, "77030", "ZIP code of that state."),
                    c("phone", false, "(713) 555-0100", "U.S. phone number with area code.")]
        case .people:
            return [c("person_ref", true, "P-001", "Your id for the person, unique in the file."),
                    c("employer_ref", true, "EMP-001", "The employer's id from the employers file."),
                    c("role", true, "mentor", "employer_admin or mentor."),
                    c("full_name", true, "Dana Brooks", ""),
                    c("email", true, "dana.brooks@gulfcoast.example", "Their own address; they set a password with \"Forgot password\".")]
        case .apprentices:
            return [c("apprentice_ref", true, "A-001", "Your id for the apprentice, unique in the file."),
                    c("employer_ref", true, "EMP-001", "The employer's id from the employers file."),
                    c("mentor_ref", true, "P-001", "The mentor's id from the people file."),
                    c("full_name", true, "Jordan Reyes", "Full legal name."),
                    c("email", true, "jordan.reyes@example.com", ""),
                    c("start_date", true, "2025-09-02", "YYYY-MM-DD."),
                    c("status", true, "active", "pending_agreement, probation or active."),
                    c("address_line1", true, "1200 Main St", ""),
                    c("city", true, "Houston", ""),
                    c("state", true, "TX", ""),
                    c("zip", true, "77002", ""),
                    c("birth_date", true, "2001-04-17", "YYYY-MM-DD."),
                    c("guardian_name", false, "", "Needed under 18."),
                    c("sex", true, "female", "As on the ETA-671: " + Self.values(Sex.self)),
                    c("ethnicity", true, "not_hispanic_or_latino", Self.values(Ethnicity.self)),
                    c("races", true, "white", "One or more, separated by ';': " + Self.values(Race.self)),
                    c("veteran_status", true, "not_veteran", Self.values(VeteranStatus.self)),
                    c("education", true, "high_school", EducationLevel.choices.map(\.rawValue).joined(separator: ", ")),
                    c("employment_status", true, "new_employee", Self.values(EmploymentStatus.self)),
                    c("career_connection", true, "none", CareerConnection.choices.map(\.rawValue).joined(separator: ", ")),
                    c("wage_rates", true, "18.00;19.00;20.00;21.00;22.00", "Hourly rate of each wage step in order, separated by ';'.")]
        case .hours:
            return [c("hours_ref", true, "H-000001", "Your id for the entry, unique in the file."),
                    c("apprentice_ref", true, "A-001", "The apprentice's id from the apprentices file."),
                    c("date", true, "2025-09-03", "YYYY-MM-DD, on or after the start, not in the future."),
                    c("skill_set", true, "OS", "Skill set code of the program."),
                    c("hours", true, "8", "Quarter hours, at most 24 a day."),
                    c("description", false, "Electrical safety testing of infusion pumps", "What was done.")]
        case .credentials:
            return [c("credential_ref", true, "C-0001", "Your id for the record, unique in the file."),
                    c("apprentice_ref", true, "A-001", "The apprentice's id from the apprentices file."),
                    c("credential", true, "cabt", "Credential code of the program's standards."),
                    c("status", true, "passed", "planned, scheduled, passed or failed."),
                    c("date", false, "2026-05-14", "Exam date, YYYY-MM-DD; required unless planned; not in the future when passed or failed."),
                    c("expires_on", false, "2029-05-14", "Passed only, after the exam date."),
                    c("note", false, "", "")]
        case .skills:
            return [c("assessment_ref", true, "S-0001", "Your id for the sign-off, unique in the file."),
                    c("apprentice_ref", true, "A-001", "The apprentice's id from the apprentices file (in probation or active)."),
                    c("skill", true, "OS-06", "Skill code of the program's standards."),
                    c("rating", true, "proficient", "A rating level of the standards: not-yet, developing or proficient (proficient signs the skill off)."),
                    c("assessed_on", true, "2025-10-14", "YYYY-MM-DD, on or after the start, not in the future; one per apprentice, skill and day."),
                    c("assessor_email", true, "dana.brooks@gulfcoast.example", "E-mail of a mentor at the apprentice's employer (from the people file)."),
                    c("note", false, "Donned and doffed PPE for contact isolation without prompting", "What was observed.")]
        }
    }

    private static func values<T: RawRepresentable & CaseIterable>(_: T.Type) -> String where T.RawValue == String {
        T.allCases.map(\.rawValue).joined(separator: ", ")
    }
}

/// One problem of an import file: where (the file's line and the column) and what to do about it.
public struct ImportIssue: Sendable, Equatable, Codable {
    public let row: Int
    public let column: String
    public let message: String
    public init(row: Int, column: String, message: String) { self.row = row; self.column = column; self.message = message }
}

/// One data row, its cells by column name.
public struct ImportRow: Sendable {
    public let line: Int
    /// The header's column names and where each is, shared by every row of the file.
    public let columns: ImportColumns
    public let fields: [String]
    public init(line: Int, columns: ImportColumns, fields: [String]) { self.line = line; self.columns = columns; self.fields = fields }
    /// The cell trimmed ("" when absent).
    public subscript(_ column: String) -> String {
        guard let index = columns.index[column], index < fields.count else { return "" }
        let cell = fields[index]
        // Most cells have nothing to trim: said by their first and last byte, without Foundation's trimming.
        if let first = cell.utf8.first, let last = cell.utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) { return cell }
        return cell.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    /// Every cell with its column, untrimmed.
    public var cells: Zip2Sequence<[String], [String]> { zip(columns.names, fields) }
}

/// A file's header: its column names in order and where each is.
public final class ImportColumns: Sendable {
    public let names: [String]
    public let index: [String: Int]
    public init(_ names: [String]) {
        self.names = names
        index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// A file read against its kind's columns: its rows and every problem of its shape (header, required cells, ids
/// repeated), found all at once.
public struct ImportTable: Sendable {
    /// The importer's ids are kept (and an hour entry's client key is built from one), so they stay short.
    public static let maxRefLength = 80
    public let kind: ImportKind
    public let rows: [ImportRow]
    public let issues: [ImportIssue]

    public static func read(_ data: Data, as kind: ImportKind) -> ImportTable {
        var reader = Reader(data, as: kind)
        var rows: [ImportRow] = []
        while let chunk = reader.next(10_000) { rows += chunk }
        return ImportTable(kind: kind, rows: reader.isBroken ? [] : rows, issues: reader.issues)
    }

    /// The rows a chunk at a time, for files too large to hold as rows. Problems of the file's shape gather in `issues`
    /// as the rows are read; a row with such a problem is not handed out.
    public struct Reader: Sendable {
        public let kind: ImportKind
        private var cursor: CSVReader.Cursor
        private var columns: ImportColumns?
        /// Line of the first use of each id, for "already used on row N".
        private var seen: [String: Int] = [:]
        private var rowsRead = 0
        private var done = false
        public private(set) var issues: [ImportIssue] = []
        /// True when the header or the CSV itself is unusable: no rows are handed out at all.
        public private(set) var isBroken = false

        public init(_ data: Data, as kind: ImportKind) {
            self.kind = kind
            cursor = CSVReader.Cursor(data)
            readHeader()
        }

        /// How far through the file (0…1).
        public var fraction: Double { cursor.fraction }

        private mutating func readHeader() {
            let header: CSVReader.Record?
            do { header = try cursor.next() } catch { return broken(ImportIssue(row: error.line, column: "", message: error.message)) }
            guard let header else { return broken(ImportIssue(row: 1, column: "", message: "The file is empty: start from the template.")) }
            let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let known = Set(kind.columns.map(\.name))
            for name in names where !known.contains(name) {
                issues.append(ImportIssue(row: 1, column: name, message: "Not a column of the \(kind.rawValue) file; the columns are \(kind.columns.map(\.name).joined(separator: ", "))."))
            }
            for column in kind.columns where column.required && !names.contains(column.name) {
                issues.append(ImportIssue(row: 1, column: column.name, message: "This column is missing from the header."))
            }
            for (name, count) in Dictionary(names.map { ($0, 1) }, uniquingKeysWith: +) where count > 1 {
                issues.append(ImportIssue(row: 1, column: name, message: "This column appears \(count) times."))
            }
            if !issues.isEmpty { isBroken = true; done = true; return }
            columns = ImportColumns(names)
        }

        private mutating func broken(_ issue: ImportIssue) {
            issues = [issue]; isBroken = true; done = true
        }

        /// Up to `limit` rows without problems of shape, or nil at the end of the file.
        public mutating func next(_ limit: Int) -> [ImportRow]? {
            guard !done, let columns else { return nil }
            var rows: [ImportRow] = []
            while rows.count < limit {
                let record: CSVReader.Record?
                do { record = try cursor.next() } catch {
                    broken(ImportIssue(row: error.line, column: "", message: error.message)); return nil
                }
                guard let record else {
                    done = true
                    if rowsRead == 0 && issues.isEmpty { issues.append(ImportIssue(row: 2, column: "", message: "The file has a header but no rows.")) }
                    break
                }
                rowsRead += 1
                if record.fields.count != columns.names.count {
                    issues.append(ImportIssue(row: record.line, column: "", message: "This row has \(record.fields.count) cells; the header has \(columns.names.count)."))
                    continue
                }
                let row = ImportRow(line: record.line, columns: columns, fields: record.fields)
                let before = issues.count
                for column in kind.columns where column.required && row[column.name].isEmpty {
                    issues.append(ImportIssue(row: record.line, column: column.name, message: "Required: this cell is empty."))
                }
                let ref = row[kind.refColumn]
                for column in kind.columns where column.name.hasSuffix("_ref") && row[column.name].count > ImportTable.maxRefLength {
                    issues.append(ImportIssue(row: record.line, column: column.name, message: "An id can be at most \(ImportTable.maxRefLength) characters."))
                }
                if !ref.isEmpty {
                    if let first = seen[ref] {
                        issues.append(ImportIssue(row: record.line, column: kind.refColumn, message: "\(ref) is already used on row \(first)."))
                    } else { seen[ref] = record.line }
                }
                if issues.count == before { rows.append(row) }
            }
            return rows.isEmpty && done ? nil : rows
        }
    }

    /// The template: the header and one example row.
    public static func template(_ kind: ImportKind) -> String {
        func quoted(_ v: String) -> String { v.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v }
        return "\u{FEFF}" + kind.columns.map { quoted($0.name) }.joined(separator: ",") + "\r\n"
            + kind.columns.map { quoted($0.example) }.joined(separator: ",") + "\r\n"
    }
}
