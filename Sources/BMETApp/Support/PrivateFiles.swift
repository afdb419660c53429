import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every file the platform writes may hold personal data (the database, its write-ahead log, backups, uploads,
/// outgoing mail): readable by the owner only.
enum PrivateFiles {
    /// New files 0600 and folders 0700 from here on, whoever creates them (SQLite, VACUUM INTO, FileManager).
    static func restrictNewFiles() {
        umask(0o077)
    }

    /// Tightens files that exist already (written by an older version, or copied in).
    static func restrict(_ paths: [String]) {
        for path in paths where FileManager.default.fileExists(atPath: path) {
            chmod(path, 0o600)
        }
    }

    /// The SQLite file and the companions SQLite creates beside it (with the main file's mode).
    static func sqliteFiles(_ path: String) -> [String] {
        [path, path + "-wal", path + "-shm", path + "-journal"]
    }
}
