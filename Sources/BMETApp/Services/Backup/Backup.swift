import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// `bmet backup` / `bmet restore`: the SQLite database (a consistent copy taken while the platform runs) together with
/// what lives beside it in the data folder — the keys (the SSN encryption key, the credential issuer's keys) and the
/// uploads (résumés, evidence). A manifest lists every file with its SHA-256, so a damaged or partial backup is refused
/// before anything is replaced. On PostgreSQL the files are copied and the database is left to pg_dump (see README).
enum Backup {
    static let databaseFile = "bmet.sqlite"
    static let manifestFile = "manifest.json"
    /// The folders of the data directory that belong in a backup.
    static let fileFolders = ["keys", "uploads"]

    struct Manifest: Codable, Sendable, Equatable {
        struct File: Codable, Sendable, Equatable { let path: String; let bytes: Int; let sha256: String }
        let format: Int
        let createdAt: String
        /// "sqlite", or "postgresql" when the database was not part of the copy.
        let database: String
        let migrations: Int
        let files: [File]
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    // MARK: Backup

    static func create(app: Application, to destination: String, now: Date = Date(), progress: (String) -> Void = { _ in }) async throws -> Manifest {
        let fm = FileManager.default
        if fm.fileExists(atPath: destination), !((try? fm.contentsOfDirectory(atPath: destination))?.isEmpty ?? true) {
            throw Failure(description: "\(destination) already exists and is not empty; choose a new folder.")
        }
        // Keys and personal data: readable by the owner only.
        try fm.createDirectory(atPath: destination, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let sql = try app.db.sql()
        let migrations = try await sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first(decoding: Count.self)?.n ?? 0

        var files: [Manifest.File] = []
        let kind: String
        switch app.settings.database {
        case .sqliteFile:
            kind = "sqlite"
            progress("Copying the database")
            let target = destination + "/" + databaseFile
            // VACUUM INTO writes a transactionally consistent copy while others keep reading and writing.
            try await sql.raw("VACUUM INTO \(bind: target)").run()
            PrivateFiles.restrict([target])
            files.append(try describe(target, as: databaseFile))
        case .sqliteMemory:
            throw Failure(description: "An in-memory database cannot be backed up.")
        case .postgres:
            kind = "postgresql"
        }

        let source = app.settings.dataDirectory
        let everything = fileFolders.flatMap { folder in listFiles(under: source + "/" + folder).map { folder + "/" + $0 } }
        for (index, relative) in everything.enumerated() {
            progress("Copying files \(index + 1) of \(everything.count)")
            let target = destination + "/files/" + relative
            try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try fm.copyItem(atPath: source + "/" + relative, toPath: target)
            PrivateFiles.restrict([target])
            files.append(try describe(target, as: "files/" + relative))
        }
        let manifest = Manifest(format: 1, createdAt: AuditLog.timestamp(now), database: kind, migrations: migrations, files: files)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: destination + "/" + manifestFile))
        PrivateFiles.restrict([destination + "/" + manifestFile])
        return manifest
    }

    // MARK: Restore

    struct Restored: Sendable { let manifest: Manifest; let setAside: String }

    /// Puts a backup in place of the current data. Run with the platform stopped. The backup is checked whole first
    /// (every file's hash, the database's integrity); what was there before is moved aside, never deleted.
    static func restore(app: Application, from source: String, now: Date = Date(), progress: (String) -> Void = { _ in }) async throws -> Restored {
        let manifest = try check(source, progress: progress)
        let dataDirectory = app.settings.dataDirectory
        // A running server would keep writing into the files moved aside below, losing acknowledged writes.
        let folderLock: DataFolderLock
        do { folderLock = try DataFolderLock.acquire(in: dataDirectory, exclusive: true) } catch let held as DataFolderLock.Held {
            throw Failure(description: held.description)
        }
        defer { folderLock.release() }
        let stamp = AuditLog.timestamp(now).replacingOccurrences(of: ":", with: "-")
        let aside = dataDirectory + "/before-restore-" + stamp
        let fm = FileManager.default
        try fm.createDirectory(atPath: aside, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])

        if manifest.database == "sqlite" {
            guard case .sqliteFile(let path) = app.settings.database else {
                throw Failure(description: "This backup holds a SQLite database, but the platform is set to use PostgreSQL.")
            }
            try await checkIntegrity(of: source + "/" + databaseFile, app: app)
            progress("Putting the database in place")
            // Close this process's connections to the old file; the next use opens the restored one.
            app.databases.reinitialize(nil)
            // The write-ahead log belongs to the old file: left beside the new one it would be replayed into it.
            for suffix in ["", "-wal", "-shm"] where fm.fileExists(atPath: path + suffix) {
                try fm.moveItem(atPath: path + suffix, toPath: aside + "/" + databaseFile + suffix)
            }
            let staging = path + ".restoring"
            try? fm.removeItem(atPath: staging)
            try fm.copyItem(atPath: source + "/" + databaseFile, toPath: staging)
            try fm.moveItem(atPath: staging, toPath: path)
        } else if case .sqliteFile = app.settings.database {
            throw Failure(description: "This backup was taken on PostgreSQL and holds no database; restore it with pg_restore (see README).")
        }

        for folder in fileFolders where fm.fileExists(atPath: dataDirectory + "/" + folder) {
            try fm.moveItem(atPath: dataDirectory + "/" + folder, toPath: aside + "/" + folder)
        }
        let restoredFiles = manifest.files.filter { $0.path.hasPrefix("files/") }
        for (index, file) in restoredFiles.enumerated() {
            progress("Restoring files \(index + 1) of \(restoredFiles.count)")
            let target = dataDirectory + "/" + file.path.dropFirst("files/".count)
            try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try fm.copyItem(atPath: source + "/" + file.path, toPath: target)
        }
        return Restored(manifest: manifest, setAside: aside)
    }

    /// Reads the manifest and checks every file against it.
    static func check(_ source: String, progress: (String) -> Void = { _ in }) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: source + "/" + manifestFile) else {
            throw Failure(description: "\(source) holds no \(manifestFile): it is not a backup made by `bmet backup`.")
        }
        let manifest: Manifest
        do { manifest = try JSONDecoder().decode(Manifest.self, from: data) } catch {
            throw Failure(description: "\(source)/\(manifestFile) cannot be read: the backup is damaged.")
        }
        for (index, file) in manifest.files.enumerated() {
            progress("Checking \(index + 1) of \(manifest.files.count) files")
            guard file.path.split(separator: "/").allSatisfy({ $0 != ".." }) else { throw Failure(description: "The manifest names a file outside the backup: \(file.path).") }
            let actual = try? describe(source + "/" + file.path, as: file.path)
            guard let actual else { throw Failure(description: "\(file.path) is missing from the backup.") }
            guard actual == file else { throw Failure(description: "\(file.path) does not match the manifest: the backup is damaged.") }
        }
        if manifest.database == "sqlite", !manifest.files.contains(where: { $0.path == databaseFile }) {
            throw Failure(description: "The manifest lists no database file.")
        }
        return manifest
    }

    /// SQLite's own check of the copy, through a connection of its own that is closed before the copy is used.
    private static func checkIntegrity(of path: String, app: Application) async throws {
        let id = DatabaseID(string: "backup-check-\(UUID().uuidString)")
        app.databases.use(.sqlite(.file(path)), as: id, isDefault: false)
        defer { app.databases.reinitialize(id) }
        let sql = try app.db(id).sql()
        let result = try await sql.raw("PRAGMA integrity_check").first(decoding: IntegrityRow.self)
        guard result?.integrity_check == "ok" else {
            throw Failure(description: "The backup's database fails SQLite's integrity check: \(result?.integrity_check ?? "no answer").")
        }
    }

    private struct Count: Decodable { let n: Int }
    private struct IntegrityRow: Decodable { let integrity_check: String }

    private static func describe(_ path: String, as name: String) throws -> Manifest.File {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        return Manifest.File(path: name, bytes: data.count, sha256: SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined())
    }

    /// Regular files under `folder`, relative to it, in a stable order.
    private static func listFiles(under folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: [String] = []
        while let item = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + item, isDirectory: &isDirectory), !isDirectory.boolValue { found.append(item) }
        }
        return found.sorted()
    }
}
