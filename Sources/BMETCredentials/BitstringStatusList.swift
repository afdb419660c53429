import CompressNIO
import Foundation
import NIOCore

/// W3C Bitstring Status List v1.0, for revocation: bit `i` (the most significant bit of byte `i / 8` counting
/// from the left) is 1 when the credential whose `statusListIndex` is `i` is revoked. The published form is
/// `u` (multibase: base64url, no padding) + base64url(GZIP(bitstring)).
public enum BitstringStatusList {
    /// The smallest list the specification allows: 16 KiB of bits, so that one credential hides among many.
    public static let minimumSize = 131_072
    /// The largest list `isSet` will inflate (16 MiB of bits): a list is data from elsewhere, and a small GZIP
    /// stream can inflate to a huge one.
    public static let maximumSize = 134_217_728

    /// The `encodedList` of a list of `size` bits with the `revoked` bits set.
    public static func encode(revoked: Set<Int>, size: Int = minimumSize) throws -> String {
        guard size >= minimumSize, size <= maximumSize, size % 8 == 0 else {
            throw StatusListError.invalidSize(size)
        }
        var bits = [UInt8](repeating: 0, count: size / 8)
        for index in revoked {
            guard (0..<size).contains(index) else { throw StatusListError.indexOutOfRange(index: index, size: size) }
            bits[index / 8] |= 0x80 >> UInt8(index % 8)
        }
        var buffer = ByteBuffer(bytes: bits)
        let compressed: ByteBuffer
        do {
            compressed = try buffer.compress(with: .gzip())
        } catch {
            throw StatusListError.compression("\(error)")
        }
        return "u" + Base64URL.encode(Data(compressed.readableBytesView))
    }

    /// Whether bit `index` is set in an `encodedList`.
    public static func isSet(_ index: Int, in encodedList: String) throws -> Bool {
        let bits = try decode(encodedList)
        guard index >= 0, index < bits.count * 8 else {
            throw StatusListError.indexOutOfRange(index: index, size: bits.count * 8)
        }
        return bits[index / 8] & (0x80 >> UInt8(index % 8)) != 0
    }

    /// The bytes of the bitstring in an `encodedList`.
    public static func decode(_ encodedList: String) throws -> [UInt8] {
        guard encodedList.first == "u" else { throw StatusListError.notMultibaseBase64URL }
        guard let compressed = Base64URL.decode(encodedList.dropFirst()) else {
            throw StatusListError.notMultibaseBase64URL
        }
        var buffer = ByteBuffer(bytes: compressed)
        let inflated: ByteBuffer
        do {
            inflated = try buffer.decompress(with: .gzip(), maxSize: maximumSize / 8)
        } catch {
            throw StatusListError.notGzip("\(error)")
        }
        let bits = Array(inflated.readableBytesView)
        guard bits.count * 8 >= minimumSize else { throw StatusListError.invalidSize(bits.count * 8) }
        return bits
    }

    /// The unsigned `BitstringStatusListCredential` publishing a list; sign it with `OpenBadges.sign` and serve it
    /// at `id`.
    public static func credential(
        id: String, issuer: IssuerProfile, encodedList: String, validFrom: Date, validUntil: Date? = nil,
        ttl: TimeInterval? = nil
    ) -> BitstringStatusListCredential {
        BitstringStatusListCredential(
            id: id,
            issuer: ProfileDocument(issuer),
            validFrom: CredentialDate.string(validFrom),
            validUntil: validUntil.map(CredentialDate.string),
            credentialSubject: BitstringStatusListDocument(
                id: id + "#list", encodedList: encodedList, ttl: ttl.map { Int(($0 * 1000).rounded()) }))
    }
}

public enum StatusListError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidSize(Int)
    case indexOutOfRange(index: Int, size: Int)
    case notMultibaseBase64URL
    case notGzip(String)
    case compression(String)

    public var description: String {
        switch self {
        case .invalidSize(let size):
            return "A status list must hold a multiple of 8 bits between \(BitstringStatusList.minimumSize) and "
                + "\(BitstringStatusList.maximumSize); this one has \(size)."
        case .indexOutOfRange(let index, let size):
            return "Status index \(index) is outside the list (0 to \(size - 1))."
        case .notMultibaseBase64URL:
            return "The encoded list is not multibase base64url (a 'u' followed by base64url without padding)."
        case .notGzip(let reason): return "The encoded list is not a GZIP stream (\(reason))."
        case .compression(let reason): return "The list could not be compressed (\(reason))."
        }
    }
}
