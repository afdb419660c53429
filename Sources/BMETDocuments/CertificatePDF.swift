import Foundation

/// The completion certificate: one landscape US Letter page, meant to be printed and framed.
public enum CertificatePDF {
    static let pageWidth = 792.0
    static let pageHeight = 612.0

    /// Left and right edge of everything inside the frame.
    private static let contentLeft = 78.0
    private static let contentRight = pageWidth - 78.0
    private static var contentWidth: Double { contentRight - contentLeft }
    private static let centreX = pageWidth / 2

    public static func render(_ facts: CertificateFacts) throws -> Data {
        let qr = try QRCode.matrix(for: facts.verifyURL)
        let canvas = try Canvas(
            width: pageWidth, height: pageHeight,
            title: "Certificate of Completion of Apprenticeship — \(facts.apprenticeName)",
            subject: "\(facts.occupationTitle) · \(facts.programTitle) · \(facts.certificateNumber)"
        )
        drawFrame(on: canvas)
        drawBody(facts, on: canvas, top: 60, bottom: 452)
        drawFooter(facts, qr: qr, on: canvas)
        try canvas.check()
        return try canvas.finish()
    }

    // MARK: Frame

    /// A heavy navy rule, a fine gold rule inside it, and gold diamonds on the inner corners.
    private static func drawFrame(on canvas: Canvas) {
        let outer = 22.0, inner = 30.0
        canvas.stroke(x: outer, y: outer, width: pageWidth - 2 * outer, height: pageHeight - 2 * outer,
                      colour: .navy, lineWidth: 2.8)
        canvas.stroke(x: inner, y: inner, width: pageWidth - 2 * inner, height: pageHeight - 2 * inner,
                      colour: .gold, lineWidth: 0.9)
        for (x, y) in [(inner, inner), (pageWidth - inner, inner), (inner, pageHeight - inner), (pageWidth - inner, pageHeight - inner)] {
            diamond(at: x, y, radius: 4.5, on: canvas)
        }
    }

    private static func diamond(at x: Double, _ y: Double, radius: Double, on canvas: Canvas) {
        canvas.fillPolygon([(x, y - radius), (x + radius, y), (x, y + radius), (x - radius, y)], colour: .gold)
    }

    // MARK: Body

    /// One centred block of the body: lines of text, a rule, or an ornament, with the space above it.
    private struct Block {
        enum Kind {
            case text(lines: [String], font: Font, colour: Colour, lineHeight: Double, tracking: Double)
            case rule(width: Double)
            case ornament
        }
        var kind: Kind
        var spaceAbove: Double

        var height: Double {
            switch kind {
            case .text(let lines, let font, _, let lineHeight, _):
                font.size + Double(max(lines.count - 1, 0)) * lineHeight
            case .rule: 1
            case .ornament: 8
            }
        }
    }

    private static func drawBody(_ facts: CertificateFacts, on canvas: Canvas, top: Double, bottom: Double) {
        var blocks: [Block] = []
        func text(_ lines: [String], _ font: Font, _ colour: Colour = .ink, lineHeight: Double? = nil,
                  tracking: Double = 0, spaceAbove: Double) {
            let lines = lines.filter { !$0.isEmpty }
            guard !lines.isEmpty else { return }
            blocks.append(Block(kind: .text(lines: lines, font: font, colour: colour,
                                            lineHeight: lineHeight ?? font.size * 1.25, tracking: tracking),
                                spaceAbove: blocks.isEmpty ? 0 : spaceAbove))
        }

        // Who issues it, in small spaced capitals.
        let issuers = facts.issuers.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !issuers.isEmpty {
            let line = issuers.joined(separator: "  ·  ").uppercased()
            let font = canvas.fitting(line, font: .sans(8.5, bold: true), maxWidth: contentWidth, minimumSize: 6.5, tracking: 1.1)
            let tracking = canvas.width(of: line, font: font, tracking: 1.1) <= contentWidth ? 1.1 : 0
            text([canvas.truncated(line, font: font, maxWidth: contentWidth)], font, .gold, tracking: tracking, spaceAbove: 0)
        }

        let title = "Certificate of Completion of Apprenticeship"
        text([title], canvas.fitting(title, font: .serif(29, bold: true), maxWidth: contentWidth, minimumSize: 18), .navy,
             spaceAbove: 22)
        blocks.append(Block(kind: .ornament, spaceAbove: 12))

        text(["This certifies that"], .serif(13, italic: true), .muted, spaceAbove: 18)

        let (nameLines, nameFont) = nameLayout(facts.apprenticeName, on: canvas)
        text(nameLines, nameFont, .ink, lineHeight: nameFont.size * 1.18, spaceAbove: 16)
        let widestName = nameLines.map { canvas.width(of: $0, font: nameFont) }.max() ?? 0
        blocks.append(Block(kind: .rule(width: min(contentWidth, max(380, widestName + 60))), spaceAbove: 9))

        let (statementLines, statementFont) = statementLayout(facts.statement, on: canvas)
        text(statementLines, statementFont, .ink, lineHeight: statementFont.size * 1.4, spaceAbove: 16)

        // The occupation on one line down to 14 pt, else on two.
        let occupation = canvas.fitting(facts.occupationTitle, font: .serif(18, bold: true), maxWidth: contentWidth, minimumSize: 14)
        text(canvas.balanced(facts.occupationTitle, font: occupation, maxWidth: contentWidth, maxLines: 2), occupation, .navy,
             spaceAbove: 18)

        let codes = [
            facts.rapidsCode.isEmpty ? nil : "RAPIDS Code \(facts.rapidsCode)",
            facts.onetSocCode.isEmpty ? nil : "O*NET-SOC \(facts.onetSocCode)",
        ].compactMap { $0 }.joined(separator: "   ·   ")
        let codesFont = canvas.fitting(codes, font: .sans(9.5), maxWidth: contentWidth, minimumSize: 7.5)
        text([canvas.truncated(codes, font: codesFont, maxWidth: contentWidth)], codesFont, .muted, spaceAbove: 7)

        let programFont = Font.serif(12.5, italic: true)
        text(canvas.balanced(facts.programTitle, font: programFont, maxWidth: contentWidth, maxLines: 2), programFont,
             spaceAbove: 14)

        let dateFont = Font.serif(12.5)
        let date = "Completed \(facts.completionDate)"
        text([canvas.truncated(date, font: dateFont, maxWidth: contentWidth)], dateFont, spaceAbove: 10)

        // Centre the block vertically; if it is too tall (long name and long statement), close the gaps up.
        let contentHeight = blocks.reduce(0) { $0 + $1.height }
        let gaps = blocks.reduce(0) { $0 + $1.spaceAbove }
        let available = bottom - top
        let squeeze = gaps > 0 ? min(1, max(0.25, (available - contentHeight) / gaps)) : 1
        var y = top + max(0, (available - contentHeight - gaps * squeeze) / 2)
        for block in blocks {
            y += block.spaceAbove * squeeze
            switch block.kind {
            case .text(let lines, let font, let colour, let lineHeight, let tracking):
                for (index, line) in lines.enumerated() {
                    canvas.text(line, x: centreX, y: y + font.size * 0.8 + Double(index) * lineHeight, font: font,
                                colour: colour, alignment: .center, tracking: tracking)
                }
            case .rule(let width):
                canvas.line(from: (centreX - width / 2, y + 0.5), to: (centreX + width / 2, y + 0.5), colour: .gold, lineWidth: 0.8)
            case .ornament:
                let middle = y + 4
                canvas.line(from: (centreX - 70, middle), to: (centreX - 9, middle), colour: .gold, lineWidth: 0.8)
                canvas.line(from: (centreX + 9, middle), to: (centreX + 70, middle), colour: .gold, lineWidth: 0.8)
                diamond(at: centreX, middle, radius: 4, on: canvas)
            }
            y += block.height
        }
    }

    /// The name on one line as large as it fits (38 pt down to 24 pt); a longer name goes on two lines,
    /// as large as they fit (30 pt down to 12 pt), and only past that is it cut short with "…".
    static func nameLayout(_ name: String, on canvas: Canvas) -> ([String], Font) {
        let name = name.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let single = canvas.fitting(name, font: .serif(38, bold: true), maxWidth: contentWidth, minimumSize: 24)
        if canvas.width(of: name, font: single) <= contentWidth { return ([name], single) }
        var size = 30.0
        while size > 12 {
            let font = Font.serif(size, bold: true)
            if canvas.wrapped(name, font: font, maxWidth: contentWidth).count <= 2 {
                return (canvas.balanced(name, font: font, maxWidth: contentWidth), font)
            }
            size -= 0.5
        }
        let font = Font.serif(12, bold: true)
        return (canvas.wrapped(name, font: font, maxWidth: contentWidth, maxLines: 2), font)
    }

    /// The statement in up to three lines at 12.5 pt, or up to four as small as 10 pt, cut short beyond that.
    private static func statementLayout(_ statement: String, on canvas: Canvas) -> ([String], Font) {
        let width = contentWidth * 0.9
        for size in stride(from: 12.5, through: 10, by: -0.5) {
            let font = Font.serif(size)
            let lines = canvas.balanced(statement, font: font, maxWidth: width)
            if lines.count <= (size >= 12 ? 3 : 4) { return (lines, font) }
        }
        let font = Font.serif(10)
        return (canvas.wrapped(statement, font: font, maxWidth: width, maxLines: 4), font)
    }

    // MARK: Footer: signature lines, certificate number, QR code

    private static func drawFooter(_ facts: CertificateFacts, qr: [[Bool]], on canvas: Canvas) {
        // The QR code in the bottom-right corner with four light modules around it, the verify URL under it.
        let qrSize = 84.0
        let qrRight = contentRight + 4
        let qrTop = 462.0
        let qrLeft = qrRight - qrSize
        let modules = Double(qr.count + 8)
        let module = qrSize / modules
        canvas.fill(x: qrLeft, y: qrTop, width: qrSize, height: qrSize, colour: .white)
        var dark: [(x: Double, y: Double, width: Double, height: Double)] = []
        for (row, cells) in qr.enumerated() {
            var column = 0
            while column < cells.count {
                guard cells[column] else { column += 1; continue }
                let start = column
                while column < cells.count, cells[column] { column += 1 }
                dark.append((qrLeft + (Double(start) + 4) * module, qrTop + (Double(row) + 4) * module,
                             Double(column - start) * module, module))
            }
        }
        canvas.fillRectangles(dark, colour: .ink)

        // Centred under the code, or if wider than it, ending where the code's dark modules end.
        let urlFont = canvas.fitting(facts.verifyURL, font: .sans(6.5), maxWidth: 230, minimumSize: 5.5)
        let urlLines = canvas.balanced(facts.verifyURL, font: urlFont, maxWidth: 230, maxLines: 2)
        let urlWidth = urlLines.map { canvas.width(of: $0, font: urlFont) }.max() ?? 0
        let qrCentre = qrLeft + qrSize / 2
        let rightLimit = qrRight - 4 * module
        let urlCentre = min(qrCentre, rightLimit - urlWidth / 2)
        let urlTop = qrTop + qrSize + 1
        for (index, line) in urlLines.enumerated() {
            canvas.text(line, x: urlCentre, y: urlTop + urlFont.size + Double(index) * urlFont.size * 1.2,
                        font: urlFont, colour: .muted, alignment: .center)
        }
        let linkHeight = urlTop + Double(urlLines.count) * urlFont.size * 1.2 + 2 - qrTop
        canvas.link(to: facts.verifyURL, x: min(qrLeft, urlCentre - urlWidth / 2), y: qrTop,
                    width: max(qrSize, urlWidth), height: linkHeight)

        // A signature line for each issuer, spread over the space left of the QR code.
        let issuers = facts.issuers.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let regionLeft = contentLeft, regionRight = qrLeft - 30
        if !issuers.isEmpty {
            let slot = (regionRight - regionLeft) / Double(issuers.count)
            let lineWidth = min(slot - 28, 200)
            let lineY = 522.0
            for (index, issuer) in issuers.enumerated() {
                let centre = regionLeft + slot * (Double(index) + 0.5)
                canvas.line(from: (centre - lineWidth / 2, lineY), to: (centre + lineWidth / 2, lineY), colour: .ink, lineWidth: 0.7)
                // Who approved for this issuer, and when, printed where a signature would go.
                if index < facts.signedBy.count, let signed = facts.signedBy[index]?.trimmingCharacters(in: .whitespaces), !signed.isEmpty {
                    let signedFont = canvas.fitting(signed, font: .serif(9, italic: true), maxWidth: lineWidth, minimumSize: 6.5)
                    canvas.text(canvas.truncated(signed, font: signedFont, maxWidth: lineWidth), x: centre, y: lineY - 4, font: signedFont,
                                colour: .ink, alignment: .center)
                }
                // Two lines at 8.5 pt, or three at 7.5 pt for a long name.
                var font = Font.sans(8.5, bold: true)
                var lines = canvas.balanced(issuer, font: font, maxWidth: lineWidth)
                if lines.count > 2 {
                    font = font.sized(7.5)
                    lines = canvas.balanced(issuer, font: font, maxWidth: lineWidth, maxLines: 3)
                }
                for (row, line) in lines.enumerated() {
                    canvas.text(line, x: centre, y: lineY + 12 + Double(row) * font.size * 1.22, font: font, colour: .ink,
                                alignment: .center)
                }
            }
        }

        // The certificate number, bottom left.
        let numberFont = Font.sans(8)
        let number = canvas.truncated("Certificate No. \(facts.certificateNumber)", font: numberFont,
                                      maxWidth: regionRight - regionLeft)
        canvas.text(number, x: contentLeft, y: 566, font: numberFont, colour: .muted)
    }
}
