import CQRencode
import Foundation

/// QR codes through libqrencode, error correction level M.
public enum QRCode {
    /// The modules of the smallest QR code holding `text` (UTF-8, case kept), row by row; `true` is dark.
    /// The matrix is square and has no quiet zone: whoever draws it leaves four light modules around it.
    public static func matrix(for text: String) throws -> [[Bool]] {
        // A NUL byte would end the C string early and encode something else than was asked.
        guard !text.isEmpty, !text.utf8.contains(0) else { throw DocumentError.qrEncodingFailed }
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            throw DocumentError.qrEncodingFailed
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        guard width > 0, let data = code.pointee.data else { throw DocumentError.qrEncodingFailed }
        // Bit 0 of each byte is the module's colour; the other bits describe what the module is for.
        return (0..<width).map { row in
            (0..<width).map { column in data[row * width + column] & 1 == 1 }
        }
    }
}
