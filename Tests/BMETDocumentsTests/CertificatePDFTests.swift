import BMETDocuments
import Foundation
import Testing

@Suite("Certificate PDF")
struct CertificatePDFTests {
    /// Inside the gold inner rule of the frame (30 pt from each edge).
    static func outsideFrame(_ words: [Poppler.Word]) -> [Poppler.Word] {
        words.filter { $0.xMin < 30 || $0.yMin < 30 || $0.xMax > $0.pageWidth - 30 || $0.yMax > $0.pageHeight - 30 }
    }

    @Test("one landscape US Letter page with the facts as text, fonts embedded, rendering to a PNG")
    func certificate() throws {
        let scratch = try Scratch("certificate")
        defer { scratch.clean() }
        let facts = Fixtures.certificate()
        let pdf = try scratch.write(try CertificatePDF.render(facts), as: "certificate.pdf")

        let info = try Poppler.info(pdf)
        #expect(info.pages == 1)
        #expect(info.pageSizes.count == 1)
        #expect(info.pageSizes.first?.width == 792 && info.pageSizes.first?.height == 612, "landscape US Letter")

        let text = try Poppler.text(pdf)
        for expected in [facts.apprenticeName, facts.certificateNumber, "Certificate of Completion of Apprenticeship",
                         facts.occupationTitle, "0888HY", "49-9062.00", facts.programTitle, "November 25, 2026",
                         "U.S. Department of Labor", facts.verifyURL] {
            #expect(text.contains(expected), "\(expected) is missing from the certificate's text:\n\(text)")
        }
        #expect(Self.outsideFrame(try Poppler.words(pdf)).isEmpty)
        // The QR code and the URL under it are a link to the verify page.
        #expect(try Poppler.run("pdfinfo", ["-url", pdf.path]).contains(facts.verifyURL))

        let fonts = try Poppler.fonts(pdf)
        #expect(!fonts.isEmpty)
        #expect(fonts.allSatisfy { $0.embedded == "yes" }, "every font embedded: \(fonts)")
        #expect(fonts.contains { $0.name.contains("DejaVuSerif") }, "DejaVu Serif is used: \(fonts.map(\.name))")

        let pngs = try Poppler.renderPNGs(pdf, into: scratch.directory)
        #expect(pngs.count == 1)
        for png in pngs {
            let data = try Data(contentsOf: png)
            #expect(data.isPNG && data.count > 5_000, "\(png.lastPathComponent) is a PNG with something on it")
        }
    }

    @Test("an 80-character name shrinks onto the page, inside the frame", arguments: [
        "Ana María Fernández-Castellanos de la Torre y Villanueva Rodríguez-Ibáñez Orozco",
        "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafe",
    ])
    func longName(name: String) throws {
        let name = String(name.prefix(80))
        try #require(name.count == 80)
        let scratch = try Scratch("certificate-long-name-\(name.prefix(4))")
        defer { scratch.clean() }
        let pdf = try scratch.write(try CertificatePDF.render(Fixtures.certificate(name: name)), as: "certificate.pdf")

        #expect(try Poppler.info(pdf).pages == 1)
        let words = try Poppler.words(pdf)
        #expect(Self.outsideFrame(words).isEmpty, "outside the frame: \(Self.outsideFrame(words).map(\.text))")
        // The whole name is there (perhaps over two lines), not cut short.
        let text = try Poppler.text(pdf).filter { !$0.isWhitespace }
        #expect(text.contains(name.filter { !$0.isWhitespace }))
        #expect(!text.contains("…"))
        #expect(try Poppler.renderPNGs(pdf, into: scratch.directory).count == 1)
    }

    @Test("many issuers, a long statement and a long URL still fit in the frame on one page")
    func crowded() throws {
        let scratch = try Scratch("certificate-crowded")
        defer { scratch.clean() }
        var facts = Fixtures.certificate(
            issuers: ["AAMI", "U.S. Department of Labor, Office of Apprenticeship", "State Apprenticeship Agency of Colorado",
                      "Community College of Denver"],
            statement: String(repeating: "has completed the registered apprenticeship and every required competency. ", count: 9)
        )
        facts.verifyURL = "https://apprenticeship.bmet.example.org/certificates/verify/" + String(repeating: "a1b2c3d4", count: 6)
        facts.occupationTitle = "Biomedical Equipment Technician (Healthcare Technology Management, Imaging and Laboratory Specialties)"
        let pdf = try scratch.write(try CertificatePDF.render(facts), as: "certificate.pdf")
        #expect(try Poppler.info(pdf).pages == 1)
        let words = try Poppler.words(pdf)
        #expect(Self.outsideFrame(words).isEmpty, "outside the frame: \(Self.outsideFrame(words).map(\.text))")
        let text = try Poppler.text(pdf).filter { !$0.isWhitespace }
        for expected in [Fixtures.name, Fixtures.certificateNumber, "Community College of Denver", "State Apprenticeship Agency of Colorado"] {
            #expect(text.contains(expected.filter { !$0.isWhitespace }), "\(expected) is on the certificate")
        }
    }

    @Test("no issuers draws no signature lines but still a valid page")
    func noIssuers() throws {
        let scratch = try Scratch("certificate-no-issuers")
        defer { scratch.clean() }
        let pdf = try scratch.write(try CertificatePDF.render(Fixtures.certificate(issuers: [])), as: "certificate.pdf")
        #expect(try Poppler.info(pdf).pages == 1)
        #expect(try Poppler.text(pdf).contains(Fixtures.name))
    }

    @Test("an empty verify URL cannot become a QR code, and says so")
    func emptyURL() {
        var facts = Fixtures.certificate()
        facts.verifyURL = ""
        #expect(throws: DocumentError.qrEncodingFailed) { try CertificatePDF.render(facts) }
    }
}
