import Foundation

/// Lets one task at a time through a critical section, in arrival order, without blocking a thread.
/// Used where the database alone would make a second writer fail instead of wait (SQLite answers "database is
/// locked" to a concurrent write transaction); PostgreSQL and other processes are still held off by constraints.
actor AsyncMutex {
    private var locked = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func withLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if !locked { locked = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { locked = false } else { waiting.removeFirst().resume() }
    }
}
