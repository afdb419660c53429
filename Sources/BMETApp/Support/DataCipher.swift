import Crypto
import Foundation
import Vapor

/// Encrypts the few fields that must never be readable from a database dump (the SSN), with AES-GCM.
/// The key comes from `BMET_DATA_KEY` (base64, 32 bytes) or from `<data dir>/keys/data.key`,
/// which is created on first start with owner-only permissions.
struct DataCipher: Sendable {
    let key: SymmetricKey

    func seal(_ text: String) throws -> String {
        let box = try AES.GCM.seal(Data(text.utf8), using: key)
        guard let combined = box.combined else { throw Abort(.internalServerError) }
        return combined.base64EncodedString()
    }

    func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw Abort(.internalServerError) }
        let box = try AES.GCM.SealedBox(combined: data)
        return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
    }

    static func load(settings: AppSettings, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DataCipher {
        if let encoded = environment["BMET_DATA_KEY"], !encoded.isEmpty {
            guard let data = Data(base64Encoded: encoded), data.count == 32 else {
                throw CommandFailure("BMET_DATA_KEY must be 32 random bytes, base64-encoded (e.g. `openssl rand -base64 32`).")
            }
            return DataCipher(key: SymmetricKey(data: data))
        }
        if case .sqliteMemory = settings.database { return DataCipher(key: SymmetricKey(size: .bits256)) }
        let directory = settings.dataDirectory + "/keys"
        let path = directory + "/data.key"
        let files = FileManager.default
        if let data = files.contents(atPath: path) {
            // Never replace a damaged key: every SSN sealed with the old one would be lost for good.
            guard data.count == 32 else { throw CommandFailure("The data key at \(path) is damaged (\(data.count) bytes, expected 32). Restore it from a backup.") }
            return DataCipher(key: SymmetricKey(data: data))
        }
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        guard files.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CommandFailure("Cannot write the data key at \(path).")
        }
        return DataCipher(key: key)
    }
}

extension Application {
    private struct DataCipherKey: StorageKey { typealias Value = DataCipher }

    /// Set by `configure` before any route runs.
    var dataCipher: DataCipher {
        get {
            guard let cipher = storage[DataCipherKey.self] else { preconditionFailure("configure(_:settings:) sets the data cipher first") }
            return cipher
        }
        set { storage[DataCipherKey.self] = newValue }
    }
}
