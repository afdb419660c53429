@testable import BMETDocuments
import Foundation
import Testing

@Suite("Transcript PDF")
struct TranscriptPDFTests {
    @Test("196 skills run over several portrait pages, each with the header and 'Page n of N'")
    func transcript() throws {
        let scratch = try Scratch("transcript")
        defer { scratch.clean() }
        let facts = try Fixtures.transcript()
        try #require(facts.skills.count == 196, "the fixture is built from standards/aami-bmet.json's 196 skills")
        let pdf = try scratch.write(try TranscriptPDF.render(facts), as: "transcript.pdf")

        let info = try Poppler.info(pdf)
        #expect(info.pages > 1)
        #expect(info.pageSizes.count == info.pages)
        #expect(info.pageSizes.allSatisfy { $0.width == 612 && $0.height == 792 }, "portrait US Letter: \(info.pageSizes)")

        for page in 1...info.pages {
            let text = try Poppler.text(pdf, page: page)
            #expect(text.contains(facts.apprenticeName), "page \(page) repeats the apprentice's name")
            #expect(text.contains(facts.certificateNumber), "page \(page) repeats the certificate number")
            #expect(text.contains("Page \(page) of \(info.pages)"), "page \(page) is numbered")
        }

        let text = try Poppler.text(pdf)
        for skill in facts.skills {
            #expect(text.contains(skill.code), "skill \(skill.code) is listed")
        }
        for expected in ["Hours by skill set", "Skills signed off", "Related technical instruction", "Industry credentials",
                         "Interim credentials", "Credited", "Minimum to complete: 4,000", "the program schedules up to 6,000", "Planned",
                         "Completion requirements of the standards", "4,212 of the 4,000 minimum", "Medical Terminology",
                         "Certified Associate in Biomedical Technology (CABT)", "Preventive Maintenance Technician, interim credential"] {
            #expect(text.contains(expected), "\(expected) is in the transcript")
        }

        // Nothing is drawn into the margins: every word sits inside 40 pt from the sides and 30 pt from top and bottom.
        let stray = try Poppler.words(pdf).filter {
            $0.xMin < 40 || $0.xMax > $0.pageWidth - 40 || $0.yMin < 30 || $0.yMax > $0.pageHeight - 30
        }
        #expect(stray.isEmpty, "in the margins: \(stray.map { "p\($0.page) \($0.text)" })")

        let fonts = try Poppler.fonts(pdf)
        #expect(!fonts.isEmpty && fonts.allSatisfy { $0.embedded == "yes" }, "every font embedded: \(fonts)")

        let pngs = try Poppler.renderPNGs(pdf, into: scratch.directory)
        #expect(pngs.count == info.pages)
        for png in pngs {
            let data = try Data(contentsOf: png)
            #expect(data.isPNG && data.count > 5_000, "\(png.lastPathComponent) is a PNG with something on it")
        }
    }

    @Test("text too long for its column wraps, then ends in '…' inside the column")
    func longCells() throws {
        let scratch = try Scratch("transcript-long-cells")
        defer { scratch.clean() }
        var facts = try Fixtures.transcript()
        let tail = "THE-END-OF-A-VERY-LONG-TITLE"
        facts.skills[0].title = String(repeating: "Inspect, test and document the infusion pump fleet ", count: 8) + tail
        facts.skills[1].signedOffBy = "Dr. Maximiliana Constantinopoulou-Vanderbilt, CBET, CHTM, CLES, CRES, Biomedical Engineering Supervisor"
        facts.skills[2].code = "AVERYLONGSKILLCODE-0001-EXTRA"
        facts.instruction[0].provider = "Institute of Technology " + String(repeating: "and Applied Sciences ", count: 6)
        facts.apprenticeName = String(repeating: "Long-Name ", count: 20) + "Last"
        let pdf = try scratch.write(try TranscriptPDF.render(facts), as: "transcript.pdf")

        let text = try Poppler.text(pdf)
        #expect(text.contains("…"))
        #expect(!text.contains(tail))
        let stray = try Poppler.words(pdf).filter { $0.xMin < 40 || $0.xMax > $0.pageWidth - 40 }
        #expect(stray.isEmpty, "in the margins: \(stray.map(\.text))")
    }

    @Test("an empty record is one page saying 'None recorded.' in each table")
    func empty() throws {
        let scratch = try Scratch("transcript-empty")
        defer { scratch.clean() }
        var facts = try Fixtures.transcript()
        facts.skillSets = []
        facts.skills = []
        facts.instruction = []
        facts.credentials = []
        facts.interim = []
        let pdf = try scratch.write(try TranscriptPDF.render(facts), as: "transcript.pdf")
        #expect(try Poppler.info(pdf).pages == 1)
        let text = try Poppler.text(pdf)
        #expect(text.components(separatedBy: "None recorded.").count - 1 == 4, "skills, instruction, credentials, interim")
        #expect(text.contains("Page 1 of 1"))
    }

    @Test("hours print with thousands separators and a tenth only when there is one", arguments: [
        (6000.0, "6,000"), (6210.5, "6,210.5"), (12.04, "12"), (0.25, "0.3"), (1_234_567.0, "1,234,567"), (-0.5, "-0.5"),
    ])
    func hours(value: Double, printed: String) {
        #expect(Formatting.hours(value) == printed)
    }
}

@Suite("Rendering in parallel")
struct ConcurrentRenderingTests {
    @Test("certificates and transcripts render at the same time on many threads (as a web server would)")
    func parallel() async throws {
        let transcript = try Fixtures.transcript()
        let sizes = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<12 {
                group.addTask {
                    let data = index % 3 == 0
                        ? try TranscriptPDF.render(transcript)
                        : try CertificatePDF.render(Fixtures.certificate(name: "Apprentice Number \(index)"))
                    #expect(data.starts(with: Array("%PDF-".utf8)))
                    #expect(String(decoding: data.suffix(8), as: UTF8.self).contains("%%EOF"))
                    return data.count
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(sizes.count == 12 && sizes.allSatisfy { $0 > 10_000 })
    }
}
