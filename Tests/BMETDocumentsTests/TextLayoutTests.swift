@testable import BMETDocuments
import Foundation
import Testing

@Suite("Text layout")
struct TextLayoutTests {
    let canvas: Canvas
    let font = Font.condensed(8)

    init() throws {
        canvas = try Canvas(width: 612, height: 792, title: "test", subject: "test")
    }

    @Test("wrapped lines fit the width and, when nothing is cut, give back every word", arguments: [
        "Explain the operating principles of patient monitors (ECG, SpO2, NIBP, temperature, capnography)",
        "https://apprenticeship.bmet.example.org/certificates/verify/a1b2c3d4a1b2c3d4a1b2c3d4a1b2c3d4",
        "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafe Jr.",
        "short",
    ])
    func wrapping(text: String) {
        let lines = canvas.wrapped(text, font: font, maxWidth: 90)
        #expect(lines.allSatisfy { canvas.width(of: $0, font: font) <= 90 })
        #expect(lines.joined().filter { !$0.isWhitespace } == text.filter { !$0.isWhitespace })
        let balanced = canvas.balanced(text, font: font, maxWidth: 90)
        #expect(balanced.count == lines.count)
        #expect(balanced.allSatisfy { canvas.width(of: $0, font: font) <= 90 })
    }

    @Test("past the line limit the last line ends in '…' and still fits")
    func lineLimit() {
        let text = String(repeating: "Inspect and test the infusion pump fleet. ", count: 10)
        let lines = canvas.wrapped(text, font: font, maxWidth: 120, maxLines: 2)
        #expect(lines.count == 2)
        #expect(lines[1].hasSuffix("…"))
        #expect(lines.allSatisfy { canvas.width(of: $0, font: font) <= 120 })
    }

    @Test("truncation keeps text that fits and cuts text that does not")
    func truncation() {
        #expect(canvas.truncated("May 5, 2025", font: font, maxWidth: 200) == "May 5, 2025")
        let cut = canvas.truncated("Program sponsor (credit for prior learning)", font: font, maxWidth: 60)
        #expect(cut.hasSuffix("…") && canvas.width(of: cut, font: font) <= 60)
    }

    @Test("a name shrinks on one line, then takes two lines, never wider than the certificate")
    func names() {
        let (short, shortFont) = CertificatePDF.nameLayout("Jordan Rivera", on: canvas)
        #expect(short == ["Jordan Rivera"] && shortFont.size == 38)
        let long = "Ana María Fernández-Castellanos de la Torre y Villanueva Rodríguez-Ibáñez Orozco"
        let (lines, font) = CertificatePDF.nameLayout(long, on: canvas)
        #expect(lines.count == 2)
        #expect(font.size >= 20)
        #expect(lines.allSatisfy { canvas.width(of: $0, font: font) <= 792 - 2 * 78 })
        #expect(lines.joined(separator: " ") == long)
    }
}
