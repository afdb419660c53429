@testable import BMETApp
import Foundation
import Testing
import Vapor

@Suite("CSV files")
struct CSVWriterTests {
    @Test("RFC 4180 quoting, CRLF line ends and a UTF-8 byte-order mark")
    func quoting() {
        var csv = CSVWriter(header: ["Name", "Note"])
        csv.append([.text("Alvarez, Jordan"), .text("said \"hi\"\nthen left")])
        csv.append([.text("José Ñúñez"), .int(42)])
        let text = csv.text
        #expect(text.hasPrefix("\u{FEFF}Name,Note\r\n"))
        #expect(text.contains("\"Alvarez, Jordan\",\"said \"\"hi\"\"\nthen left\"\r\n"))
        #expect(text.hasSuffix("José Ñúñez,42\r\n"))
        let bytes = [UInt8](csv.data.prefix(3))
        #expect(bytes == [0xEF, 0xBB, 0xBF])
    }

    @Test("text that a spreadsheet would run as a formula is neutralized; numbers are not")
    func formulaInjection() {
        for attack in ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"] {
            let field = CSVWriter.field(.text(attack))
            #expect(field.hasPrefix("'") || field.hasPrefix("\"'"), "\(attack) -> \(field)")
        }
        #expect(CSVWriter.field(.int(-5)) == "-5")
        #expect(CSVWriter.field(.decimal(-1.5, places: 2)) == "-1.50")
        #expect(CSVWriter.field(.text("plain")) == "plain")
    }

    @Test("dates are ISO 8601 in UTC")
    func dates() {
        let date = Date(timeIntervalSince1970: 1_767_225_600 + 3_723) // 2026-01-01T01:02:03Z
        #expect(CSVWriter.field(.day(date)) == "2026-01-01")
        #expect(CSVWriter.field(.instant(date)) == "2026-01-01T01:02:03Z")
        #expect(CSVWriter.field(.day(nil)) == "")
    }

    @Test("the download response names a safe file and says it is UTF-8 CSV")
    func response() {
        let response = Response.csv(CSVWriter(header: ["A"]), name: "hours-Jordan Álvarez/../x", now: Date(timeIntervalSince1970: 1_767_225_600))
        #expect(response.headers.first(name: .contentType) == "text/csv; charset=utf-8")
        let disposition = response.headers.first(name: .contentDisposition) ?? ""
        #expect(disposition == "attachment; filename=\"hours-Jordan-lvarez-..-x-2026-01-01.csv\"")
        #expect(response.headers.first(name: .cacheControl) == "no-store")
    }
}
