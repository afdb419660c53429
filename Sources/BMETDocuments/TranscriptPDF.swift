import Foundation

/// The transcript: portrait US Letter, as many pages as the record needs. Every page repeats the header
/// (apprentice, program, certificate number) and ends with "Page n of N"; a table that runs over a page
/// break repeats its title and column headings.
public enum TranscriptPDF {
    public static func render(_ facts: TranscriptFacts) throws -> Data {
        // The page count is only known once everything is laid out: lay out once to count, then for real.
        // Only the footer text differs between the passes, so the second pass breaks pages the same way.
        let counted = try TranscriptWriter(facts: facts, totalPages: nil).write()
        return try TranscriptWriter(facts: facts, totalPages: counted.pages).write().data
    }
}

/// One pass of laying out and drawing the transcript.
private final class TranscriptWriter {
    static let pageWidth = 612.0
    static let pageHeight = 792.0
    let left = 48.0
    let right = pageWidth - 48.0
    var contentWidth: Double { right - left }
    let contentTop = 84.0
    let contentBottom = pageHeight - 58.0

    let facts: TranscriptFacts
    let totalPages: Int?
    let canvas: Canvas
    var page = 1
    var y = 0.0

    init(facts: TranscriptFacts, totalPages: Int?) throws {
        self.facts = facts
        self.totalPages = totalPages
        canvas = try Canvas(
            width: Self.pageWidth, height: Self.pageHeight,
            title: "Apprenticeship Transcript — \(facts.apprenticeName)",
            subject: "\(facts.programTitle) · \(facts.certificateNumber)"
        )
    }

    func write() throws -> (data: Data, pages: Int) {
        startPage()
        summary()
        try requirementTable()
        try skillSetTable()
        try skillTable()
        try instructionTable()
        try credentialTable()
        try interimTable()
        try space(18)
        canvas.text("— End of transcript —", x: Self.pageWidth / 2, y: y, font: .sans(7.5, italic: true),
                    colour: .muted, alignment: .center)
        try canvas.check()
        let pages = page
        return (try canvas.finish(), pages)
    }

    // MARK: Pages

    private func startPage() {
        runningHeader()
        footer()
        y = contentTop
    }

    private func newPage() throws {
        try canvas.nextPage()
        page += 1
        startPage()
    }

    /// Moves down by `height`, or to the top of a new page when that would pass the bottom margin.
    private func space(_ height: Double) throws {
        if y + height > contentBottom { try newPage() } else { y += height }
    }

    private func runningHeader() {
        let titleFont = Font.serif(15, bold: true)
        canvas.text("Apprenticeship Transcript", x: left, y: 50, font: titleFont, colour: .navy)
        let numberFont = Font.sans(8.5, bold: true)
        let titleWidth = canvas.width(of: "Apprenticeship Transcript", font: titleFont)
        let number = canvas.truncated("Certificate No. \(facts.certificateNumber)", font: numberFont,
                                      maxWidth: contentWidth - titleWidth - 20)
        canvas.text(number, x: right, y: 50, font: numberFont, colour: .ink, alignment: .right)

        let nameFont = Font.sans(10, bold: true)
        let name = canvas.truncated(facts.apprenticeName, font: nameFont, maxWidth: contentWidth * 0.55)
        canvas.text(name, x: left, y: 68, font: nameFont)
        let nameWidth = canvas.width(of: name, font: nameFont)
        let programFont = Font.sans(8.5)
        let program = canvas.truncated(facts.programTitle, font: programFont, maxWidth: contentWidth - nameWidth - 14)
        canvas.text(program, x: right, y: 68, font: programFont, colour: .muted, alignment: .right)
        canvas.line(from: (left, 75), to: (right, 75), colour: .navy, lineWidth: 1.2)
    }

    private func footer() {
        let lineY = Self.pageHeight - 46
        canvas.line(from: (left, lineY), to: (right, lineY), colour: .rule, lineWidth: 0.5)
        let font = Font.sans(7.5)
        let pageText = "Page \(page) of \(totalPages.map(String.init) ?? "—")"
        let pageWidth = canvas.width(of: pageText, font: font)
        canvas.text(pageText, x: right, y: lineY + 12, font: font, colour: .ink, alignment: .right)
        let verify = canvas.truncated("Verify at \(facts.verifyURL)", font: font, maxWidth: contentWidth - pageWidth - 24)
        canvas.text(verify, x: left, y: lineY + 12, font: font, colour: .muted)
        canvas.link(to: facts.verifyURL, x: left, y: lineY + 3, width: canvas.width(of: verify, font: font), height: 12)
    }

    // MARK: Summary (first page)

    private func summary() {
        let labelFont = Font.sans(7.5, bold: true)
        let valueFont = Font.sans(9)
        let labelWidth = 74.0
        let columnWidth = (contentWidth - 24) / 2
        let valueWidth = columnWidth - labelWidth
        let lineHeight = 11.5

        let leftPairs = [
            ("APPRENTICE", facts.apprenticeName),
            ("OCCUPATION", facts.occupationTitle),
            ("RAPIDS CODE", facts.rapidsCode),
            ("PROGRAM", facts.programTitle),
        ]
        let rightPairs = [
            ("SPONSOR", facts.sponsor),
            ("STARTED", facts.startDate),
            ("COMPLETED", facts.completionDate),
            ("CERTIFICATE", facts.certificateNumber),
        ] + (facts.dolCertificate.map { [("DOL CERTIFICATE", $0)] } ?? [])
        var bottom = y
        for (pairs, x) in [(leftPairs, left), (rightPairs, left + columnWidth + 24)] {
            var rowY = y
            for (label, value) in pairs {
                let lines = canvas.wrapped(value, font: valueFont, maxWidth: valueWidth, maxLines: 2)
                canvas.text(label, x: x, y: rowY + 8, font: labelFont, colour: .muted)
                for (index, line) in lines.enumerated() {
                    canvas.text(line, x: x + labelWidth, y: rowY + 8 + Double(index) * lineHeight, font: valueFont)
                }
                rowY += Double(max(lines.count, 1)) * lineHeight + 4
            }
            bottom = max(bottom, rowY)
        }
        y = bottom + 6

        // The figures that decide completion, in a shaded band.
        let credited = facts.skills.filter(\.credited).count
        let figures = [
            "Total hours: \(Formatting.hours(facts.totalHours))",
            "Minimum to complete: \(Formatting.grouped(facts.minimumHours))",
            "Skills signed off: \(Formatting.grouped(facts.skills.count))" + (credited > 0 ? " (\(credited) credited)" : ""),
        ].joined(separator: "     ·     ")
        canvas.fill(x: left, y: y, width: contentWidth, height: 20, colour: .headerFill)
        let font = canvas.fitting(figures, font: .sans(9, bold: true), maxWidth: contentWidth - 16, minimumSize: 6.5)
        canvas.text(canvas.truncated(figures, font: font, maxWidth: contentWidth - 16), x: Self.pageWidth / 2, y: y + 13.5,
                    font: font, colour: .navy, alignment: .center)
        y += 20
    }

    // MARK: Tables

    struct Column {
        var title: String
        var width: Double
        var alignment: Alignment = .left
        var maxLines = 2
    }

    struct Row {
        var cells: [String]
        var bold = false
        /// How many columns each cell takes (all 1 when nil); a spanning cell is left-aligned.
        var spans: [Int]? = nil
    }

    /// One cell placed in its row: where it goes, and its text already broken into lines.
    private struct PlacedCell {
        var x: Double
        var width: Double
        var alignment: Alignment
        var font: Font
        var lines: [String]
    }

    private let cellPadding = 4.0
    private let bodyFont = Font.condensed(8)
    private let boldFont = Font.condensed(8, bold: true)
    private let headFont = Font.condensed(7.5, bold: true)
    private let lineHeight = 9.6
    private let rowPadding = 3.0
    private let headHeight = 15.0
    private let sectionHeight = 26.0

    /// A section title, an optional note under it, then the table. Rows are never split: a row that does not
    /// fit goes to the next page, under the repeated title ("continued") and column headings.
    private func table(_ title: String, note: String? = nil, columns: [Column], rows: [Row], footerRows: [Row] = []) throws {
        let noteHeight = note == nil ? 0.0 : 11.0
        let allRows = rows + footerRows
        let laidOut = allRows.map { place($0, in: columns) }
        let heights = laidOut.map { cells in Double(max(cells.map(\.lines.count).max() ?? 1, 1)) * lineHeight + 2 * rowPadding }

        // The title, the headings and the first row (or the "none" line) stay together.
        let firstHeight = heights.first ?? 16
        if y + sectionHeight + noteHeight + headHeight + firstHeight > contentBottom { try newPage() }
        sectionTitle(title, continued: false)
        if let note {
            canvas.text(canvas.truncated(note, font: .sans(7, italic: true), maxWidth: contentWidth),
                        x: left, y: y + 7, font: .sans(7, italic: true), colour: .muted)
            y += noteHeight
        }
        guard !allRows.isEmpty else {
            canvas.text("None recorded.", x: left + cellPadding, y: y + 11, font: .sans(8, italic: true), colour: .muted)
            y += 16
            return
        }
        headings(columns)

        for index in allRows.indices {
            let height = heights[index]
            if y + height > contentBottom {
                try newPage()
                sectionTitle(title, continued: true)
                headings(columns)
            }
            let isFooter = index >= rows.count
            if isFooter, index == rows.count {
                canvas.line(from: (left, y), to: (right, y), colour: .navy, lineWidth: 0.8)
            } else if !isFooter, index % 2 == 1 {
                canvas.fill(x: left, y: y, width: contentWidth, height: height, colour: .zebra)
            }
            for cell in laidOut[index] {
                for (lineIndex, line) in cell.lines.enumerated() {
                    let baseline = y + rowPadding + 7 + Double(lineIndex) * lineHeight
                    let textX: Double = switch cell.alignment {
                    case .left: cell.x + cellPadding
                    case .center: cell.x + cell.width / 2
                    case .right: cell.x + cell.width - cellPadding
                    }
                    canvas.text(line, x: textX, y: baseline, font: cell.font, alignment: cell.alignment)
                }
            }
            y += height
        }
        canvas.line(from: (left, y), to: (right, y), colour: .rule, lineWidth: 0.6)
    }

    /// Breaks each cell's text for its column: up to the column's line limit, the last line ending in "…" if
    /// the text goes on. A one-line column first shrinks the text by up to 1.5 pt (dates stay whole).
    private func place(_ row: Row, in columns: [Column]) -> [PlacedCell] {
        var cells: [PlacedCell] = []
        var columnIndex = 0
        for (cellIndex, text) in row.cells.enumerated() {
            let span = row.spans?[cellIndex] ?? 1
            guard columnIndex < columns.count else { break }
            let spanned = columns[columnIndex..<min(columnIndex + span, columns.count)]
            let x = left + columns[..<columnIndex].reduce(0) { $0 + $1.width }
            let width = spanned.reduce(0) { $0 + $1.width }
            let column = columns[columnIndex]
            let maxLines = span > 1 ? spanned.map(\.maxLines).max() ?? 1 : column.maxLines
            let inner = width - 2 * cellPadding
            var font = row.bold ? boldFont : bodyFont
            let lines: [String]
            if maxLines == 1 {
                font = canvas.fitting(text, font: font, maxWidth: inner, minimumSize: font.size - 1.5)
                lines = [canvas.truncated(text, font: font, maxWidth: inner)]
            } else {
                lines = canvas.wrapped(text, font: font, maxWidth: inner, maxLines: maxLines)
            }
            cells.append(PlacedCell(x: x, width: width, alignment: span > 1 ? .left : column.alignment, font: font, lines: lines))
            columnIndex += span
        }
        return cells
    }

    private func sectionTitle(_ title: String, continued: Bool) {
        let font = Font.sans(10.5, bold: true)
        let text = continued ? "\(title) (continued)" : title
        canvas.text(canvas.truncated(text, font: font, maxWidth: contentWidth), x: left, y: y + 20, font: font, colour: .navy)
        y += sectionHeight
    }

    private func headings(_ columns: [Column]) {
        canvas.fill(x: left, y: y, width: contentWidth, height: headHeight, colour: .headerFill)
        var x = left
        for column in columns {
            let title = canvas.truncated(column.title, font: headFont, maxWidth: column.width - 2 * cellPadding)
            let textX: Double = switch column.alignment {
            case .left: x + cellPadding
            case .center: x + column.width / 2
            case .right: x + column.width - cellPadding
            }
            canvas.text(title, x: textX, y: y + 10, font: headFont, colour: .navy, alignment: column.alignment)
            x += column.width
        }
        y += headHeight
    }

    private func skillSetTable() throws {
        let lines = facts.skillSets
        let rows = lines.map { line in
            Row(cells: [line.code, line.title, Formatting.grouped(line.plannedHours),
                        Formatting.hours(line.approvedHours), Formatting.grouped(line.creditedHours)])
        }
        let total = Row(cells: [
            "", "Total",
            Formatting.grouped(lines.reduce(0) { $0 + $1.plannedHours }),
            Formatting.hours(lines.reduce(0) { $0 + $1.approvedHours }),
            Formatting.grouped(lines.reduce(0) { $0 + $1.creditedHours }),
        ], bold: true)
        let minimum = Row(cells: [
            "", "Total hours toward completion: \(Formatting.hours(facts.totalHours))  ·  "
                + "minimum to complete: \(Formatting.grouped(facts.minimumHours))"
                + (facts.maximumHours.map { "  ·  the program schedules up to \(Formatting.grouped($0))" } ?? ""),
        ], bold: true, spans: [1, 4])
        try table(
            "Hours by skill set",
            columns: [
                Column(title: "Code", width: 44, maxLines: 1),
                Column(title: "Skill set", width: 252),
                Column(title: "Planned", width: 70, alignment: .right, maxLines: 1),
                Column(title: "Approved", width: 75, alignment: .right, maxLines: 1),
                Column(title: "Credited", width: 75, alignment: .right, maxLines: 1),
            ],
            rows: rows,
            footerRows: lines.isEmpty ? [minimum] : [total, minimum]
        )
    }

    private func skillTable() throws {
        try table(
            "Skills signed off",
            note: "“Credited” marks a skill credited for prior learning rather than signed off on the job.",
            columns: [
                Column(title: "Code", width: 42, maxLines: 1),
                Column(title: "Skill", width: 232, maxLines: 3),
                Column(title: "Signed off by", width: 112),
                Column(title: "Date", width: 88, maxLines: 1),
                Column(title: "Basis", width: 42, maxLines: 1),
            ],
            rows: facts.skills.map { skill in
                Row(cells: [skill.code, skill.title, skill.signedOffBy, skill.signedOffOn,
                            skill.credited ? "Credited" : "Sign-off"])
            }
        )
    }

    /// The standards' completion requirements, each with its evidence: a completed record shows every one met.
    private func requirementTable() throws {
        guard !facts.requirements.isEmpty else { return }
        try table(
            "Completion requirements of the standards",
            note: "Hours count approved on-the-job hours and credit for prior learning; credited skills are marked in the skills table.",
            columns: [
                Column(title: "Requirement", width: 140),
                Column(title: "Evidence", width: 306),
                Column(title: "Met", width: 70, alignment: .center, maxLines: 1),
            ],
            rows: facts.requirements.map { Row(cells: [$0.label, $0.detail, $0.met ? "Met" : "Not yet"]) }
        )
    }

    private func instructionTable() throws {
        let rows = facts.instruction.map { course in
            Row(cells: [course.title, course.provider, Formatting.grouped(course.hours), course.grade ?? "—", course.completedOn])
        }
        let total = Row(cells: ["Total", "", Formatting.grouped(facts.instruction.reduce(0) { $0 + $1.hours }), "", ""],
                        bold: true)
        try table(
            "Related technical instruction",
            columns: [
                Column(title: "Course", width: 200),
                Column(title: "Provider", width: 136),
                Column(title: "Hours", width: 44, alignment: .right, maxLines: 1),
                Column(title: "Grade", width: 52, alignment: .center, maxLines: 1),
                Column(title: "Completed", width: 84, maxLines: 1),
            ],
            rows: rows,
            footerRows: rows.isEmpty ? [] : [total]
        )
    }

    private func credentialTable() throws {
        try table(
            "Industry credentials",
            columns: [
                Column(title: "Credential", width: 220),
                Column(title: "Status", width: 96),
                Column(title: "Date", width: 100, maxLines: 1),
                Column(title: "Expires", width: 100, maxLines: 1),
            ],
            rows: facts.credentials.map { Row(cells: [$0.name, $0.status, $0.date ?? "—", $0.expires ?? "—"]) }
        )
    }

    private func interimTable() throws {
        try table(
            "Interim credentials",
            columns: [
                Column(title: "Interim credential", width: 246),
                Column(title: "Number", width: 160, maxLines: 1),
                Column(title: "Awarded", width: 110, maxLines: 1),
            ],
            rows: facts.interim.map { Row(cells: [$0.name, $0.number ?? "—", $0.awardedOn]) }
        )
    }
}
