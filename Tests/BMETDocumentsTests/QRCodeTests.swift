import BMETDocuments
import Testing

@Suite("QR codes")
struct QRCodeTests {
    /// Whether the 7×7 finder pattern (dark ring, light ring, dark 3×3 centre) starts at row `top`, column `left`.
    static func hasFinderPattern(_ matrix: [[Bool]], top: Int, left: Int) -> Bool {
        for row in 0..<7 {
            for column in 0..<7 {
                let ring = max(abs(row - 3), abs(column - 3))  // 3 outer ring, 2 light ring, 0…1 centre
                if matrix[top + row][left + column] != (ring != 2) { return false }
            }
        }
        return true
    }

    @Test("the matrix of a URL is square, of a QR version's size, with finder patterns in three corners")
    func verifyURL() throws {
        let matrix = try QRCode.matrix(for: Fixtures.verifyURL)
        let size = matrix.count
        #expect(size >= 21)
        #expect((size - 17) % 4 == 0, "a QR code of version v is 17 + 4v modules wide")
        #expect(matrix.allSatisfy { $0.count == size })
        #expect(Self.hasFinderPattern(matrix, top: 0, left: 0))
        #expect(Self.hasFinderPattern(matrix, top: 0, left: size - 7))
        #expect(Self.hasFinderPattern(matrix, top: size - 7, left: 0))
        #expect(!Self.hasFinderPattern(matrix, top: size - 7, left: size - 7))
        // The timing pattern: row 6 alternates dark and light between the finder patterns.
        #expect((8..<(size - 8)).allSatisfy { matrix[6][$0] == ($0 % 2 == 0) })
    }

    @Test("the same text gives the same matrix; a longer text a larger one")
    func deterministic() throws {
        #expect(try QRCode.matrix(for: "https://example.org/a") == QRCode.matrix(for: "https://example.org/a"))
        let long = "https://bmet.example.org/verify/" + String(repeating: "0123456789abcdef", count: 8)
        #expect(try QRCode.matrix(for: long).count > QRCode.matrix(for: "https://example.org/a").count)
    }

    @Test("empty text, a NUL byte, or more than a QR code holds is refused", arguments: [
        "", "https://example.org/\u{0}x", String(repeating: "é", count: 2000),
    ])
    func refused(text: String) {
        #expect(throws: DocumentError.qrEncodingFailed) { try QRCode.matrix(for: text) }
    }
}
