import BMETDomain
import Foundation
import Testing

@Suite("CSV reader and import tables")
struct CSVReaderTests {
    @Test("quotes, doubled quotes, commas and line breaks inside quotes, CRLF, a BOM, blank lines")
    func edgeCases() throws {
        let text = "\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n\r\nplain,,last\n"
        let records = try CSVReader.records(Data(text.utf8))
        #expect(records.count == 3)
        #expect(records[0].fields == ["a", "b", "c"])
        #expect(records[1].fields == ["x, y", "say \"hi\"", "two\r\nlines"])
        #expect(records[1].line == 2)
        // The quoted line break moved the line count on; the blank line is skipped but counted.
        #expect(records[2].line == 5)
        #expect(records[2].fields == ["plain", "", "last"])
    }

    @Test("a last record without a line end, and an empty quoted field, are records")
    func lastRecord() throws {
        #expect(try CSVReader.records("a,b\n1,\"\"").map(\.fields) == [["a", "b"], ["1", ""]])
        #expect(try CSVReader.records("\"\"\n").map(\.fields) == [[""]])
    }

    @Test("an unclosed quote and a stray quote are refused with their line")
    func malformed() {
        #expect(throws: CSVReader.Failure(line: 2, message: "A quoted field is never closed.")) { try CSVReader.records("a\n\"open\nstill") }
        #expect(throws: CSVReader.Failure.self) { try CSVReader.records("a\nab\"c\n") }
        #expect(throws: CSVReader.Failure.self) { try CSVReader.records(Data([0xFF, 0xFE, 0x00])) }
    }

    @Test("a table lists every problem at once: unknown and missing columns in the header")
    func headerProblems() {
        let table = ImportTable.read(Data("employer_ref,name,colour\nE1,X,red\n".utf8), as: .employers)
        #expect(table.rows.isEmpty)
        #expect(table.issues.contains { $0.row == 1 && $0.column == "colour" })
        for missing in ["address_line1", "city", "state", "zip"] {
            #expect(table.issues.contains { $0.row == 1 && $0.column == missing && $0.message.contains("missing") })
        }
    }

    @Test("rows: empty required cells, wrong cell counts and repeated ids, each by row and column")
    func rowProblems() {
        let csv = "employer_ref,name,address_line1,city,state,zip\nE1,A,1 Main St,Houston,TX,77030\nE1,B,,Houston,TX,77030\nE2,C\n"
        let table = ImportTable.read(Data(csv.utf8), as: .employers)
        // Only the row without a problem is handed on; the others are listed.
        #expect(table.rows.map(\.line) == [2])
        #expect(table.issues.contains(ImportIssue(row: 3, column: "employer_ref", message: "E1 is already used on row 2.")))
        #expect(table.issues.contains(ImportIssue(row: 3, column: "address_line1", message: "Required: this cell is empty.")))
        #expect(table.issues.contains { $0.row == 4 && $0.column == "" && $0.message.contains("2 cells") })
    }

    @Test("each kind's template is its header and one example row, and reads back without problems in its shape")
    func templates() throws {
        for kind in ImportKind.allCases {
            let template = ImportTable.template(kind)
            let records = try CSVReader.records(template)
            #expect(records.count == 2)
            #expect(records[0].fields == kind.columns.map(\.name))
            let table = ImportTable.read(Data(template.utf8), as: kind)
            #expect(table.issues.isEmpty, "\(kind): \(table.issues)")
        }
    }
}
