import Foundation
import Vapor
#if canImport(Glibc)
import Glibc
#endif

/// An advisory lock (flock) on a file in the data folder. Every running server holds it shared for its whole life;
/// `bmet restore` needs it exclusive, so it refuses while a server could still be writing to the files it moves
/// aside, and a server cannot start halfway through a restore.
final class DataFolderLock: @unchecked Sendable {
    static let fileName = ".bmet.lock"

    struct Held: Error, CustomStringConvertible { let description: String }

    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { release() }

    private var released = false
    func release() {
        guard !released else { return }
        released = true
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Takes the lock without waiting; `exclusive` for restore, shared for servers.
    static func acquire(in dataDirectory: String, exclusive: Bool) throws -> DataFolderLock {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = dataDirectory + "/" + fileName
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Held(description: "Cannot open \(path) (\(String(cString: strerror(errno))))") }
        guard flock(descriptor, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0 else {
            close(descriptor)
            throw Held(description: exclusive
                ? "The platform is running on \(dataDirectory) (a `bmet serve` holds its lock). Stop every server first, then restore."
                : "A restore is under way on \(dataDirectory). Start the platform when it has finished.")
        }
        return DataFolderLock(descriptor: descriptor)
    }
}

/// Holds the data folder's shared lock from boot to shutdown of `bmet serve`.
final class ServerDataFolderLock: LifecycleHandler, @unchecked Sendable {
    private let mutex = NSLock()
    private var held: DataFolderLock?

    func willBoot(_ application: Application) throws {
        do {
            let lock = try DataFolderLock.acquire(in: application.settings.dataDirectory, exclusive: false)
            mutex.withLock { held = lock }
        } catch {
            application.logger.critical("\(error)")
            throw error
        }
    }

    func shutdown(_ application: Application) {
        mutex.withLock { held?.release(); held = nil }
    }
}
