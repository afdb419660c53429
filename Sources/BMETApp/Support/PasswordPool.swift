import NIOPosix
import Vapor

/// bcrypt takes a CPU core for a good fraction of a second. On the application's shared thread pool, which also
/// runs every SQLite statement, a burst of sign-ins would make database work queue behind it until the pool's
/// connection requests time out (500s). Passwords get their own few threads instead, one less than the cores,
/// so the database always has a thread and a core.
final class PasswordPool: LifecycleHandler, @unchecked Sendable {
    let threadPool: NIOThreadPool

    init(threads: Int = max(1, System.coreCount - 1)) {
        threadPool = NIOThreadPool(numberOfThreads: threads)
        // Started at once, so commands and tests that never boot the server can hash too.
        threadPool.start()
    }

    func shutdownAsync(_ application: Application) async {
        try? await threadPool.shutdownGracefully()
    }

    private struct Key: StorageKey { typealias Value = PasswordPool }

    /// Starts the pool and ties its end to the application's.
    static func install(on app: Application) {
        let pool = PasswordPool()
        app.storage[Key.self] = pool
        app.lifecycle.use(pool)
    }

    static func of(_ app: Application) -> PasswordPool? { app.storage[Key.self] }
}

extension Application {
    /// Hashing and checking passwords off the shared pool (see `PasswordPool`).
    var passwordHasher: AsyncPasswordHasher {
        let pool = PasswordPool.of(self)?.threadPool ?? threadPool
        return password.sync.async(on: pool, hopTo: eventLoopGroup.any())
    }
}

extension Request {
    var passwordHasher: AsyncPasswordHasher {
        let pool = PasswordPool.of(application)?.threadPool ?? application.threadPool
        return application.password.sync.async(on: pool, hopTo: eventLoop)
    }
}
