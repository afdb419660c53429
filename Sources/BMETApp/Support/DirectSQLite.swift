import FluentKit
import Foundation
import Logging
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO
import VaporCSQLite

/// A SQLite connection that runs SQLKit statements on the calling thread, for the hot paths.
///
/// sqlite-nio runs every statement on its thread pool and answers on an event loop, so one statement costs three thread
/// hand-offs (task → pool → event loop → task); measured, that was most of the ~240 µs of CPU per statement of an
/// approval. A SQLite statement on a cached page takes a few microseconds, so running it inline is cheaper than any
/// hand-off. This wraps one connection the driver already holds for the caller (a reader pinned with
/// `withConnection`, or the writer's transaction): Fluent model queries still go to that same connection through the
/// driver, plain SQL (`db as? any SQLDatabase`) runs here, so both see one transaction and never overlap.
///
/// What never runs here: anything that can wait. BEGIN and COMMIT (the disk flush) stay on the driver's thread pool,
/// and the writer takes SQLite's write lock through the driver before its first direct statement, so a direct statement
/// never meets `busy_timeout`. A WAL reader does not wait for writers.
struct DirectSQLiteDatabase: Database, SQLDatabase {
    /// The driver's database, pinned to `connection`.
    let fluent: any Database
    let connection: SQLiteConnection
    // Used only by the one task the connection is pinned for, one statement at a time.
    nonisolated(unsafe) private let handle: OpaquePointer

    /// nil when `fluent` is not a SQLite connection the driver lets us reach (PostgreSQL, a closed connection).
    init?(pinned fluent: any Database, connection: SQLiteConnection) {
        guard let handle = Self.rawHandle(of: connection) else { return nil }
        self.fluent = fluent
        self.connection = connection
        self.handle = handle
    }

    /// sqlite-nio keeps the `sqlite3 *` internal; it is the connection's `handle.raw`. Read by reflection, once per
    /// pinned connection, and checked: a layout sqlite-nio changes gives nil here and the caller takes the driver path.
    private static func rawHandle(of connection: SQLiteConnection) -> OpaquePointer? {
        guard let holder = Mirror(reflecting: connection).children.first(where: { $0.label == "handle" })?.value else { return nil }
        guard let raw = Mirror(reflecting: holder).children.first(where: { $0.label == "raw" })?.value as? OpaquePointer? else { return nil }
        return raw
    }

    // MARK: Database (the driver's, on the same connection)

    var context: DatabaseContext { fluent.context }
    var inTransaction: Bool { fluent.inTransaction }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        fluent.execute(query: query, onOutput: onOutput)
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> { fluent.execute(schema: schema) }
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> { fluent.execute(enum: `enum`) }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        let connection = self.connection
        return fluent.transaction { tx in closure(DirectSQLiteDatabase(pinned: tx, connection: connection) ?? tx) }
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        closure(self)
    }

    // MARK: SQLDatabase (here, inline)

    var logger: Logger { fluent.logger }
    var eventLoop: any EventLoop { fluent.eventLoop }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { .debug }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        do {
            try run(query, onRow)
            return eventLoop.makeSucceededVoidFuture()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try run(query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> ()) throws {
        var serializer = SQLSerializer(database: self)
        query.serialize(to: &serializer)
        // The statement, never its values (they can be personal data).
        if logger.logLevel <= .debug { logger.debug("direct SQLite: \(serializer.sql)") }
        let encoder = SQLiteDataEncoder()
        let binds = try serializer.binds.map { try encoder.encode($0) }
        var statement: OpaquePointer?
        try check(sqlite_nio_sqlite3_prepare_v2(handle, serializer.sql, -1, &statement, nil))
        defer { sqlite_nio_sqlite3_finalize(statement) }
        for (index, value) in binds.enumerated() {
            try check(bind(value, at: Int32(index + 1), to: statement))
        }
        var columns: DirectRow.Columns?
        while true {
            let step = sqlite_nio_sqlite3_step(statement)
            if step == SQLITE_DONE { return }
            guard step == SQLITE_ROW else { throw DirectSQLiteError(code: step, message: message) }
            let names = columns ?? DirectRow.Columns(statement)
            columns = names
            onRow(DirectRow(columns: names, values: try (0..<Int32(names.names.count)).map { try value(at: $0, of: statement) }))
        }
    }

    private var message: String { sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "unknown error" }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw DirectSQLiteError(code: code, message: message) }
    }

    private func bind(_ value: SQLiteData, at index: Int32, to statement: OpaquePointer?) -> Int32 {
        switch value {
        case .integer(let int): sqlite_nio_sqlite3_bind_int64(statement, index, Int64(int))
        case .float(let double): sqlite_nio_sqlite3_bind_double(statement, index, double)
        case .text(let text): sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
        case .blob(let buffer): buffer.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), Self.transient)
            }
        case .null: sqlite_nio_sqlite3_bind_null(statement, index)
        }
    }

    /// SQLite copies the bound bytes (they only live as long as the Swift value).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func value(at column: Int32, of statement: OpaquePointer?) throws -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            guard let bytes = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default: return .null
        }
    }
}

/// A result row of a direct statement, decoded the way the driver decodes its own (`SQLiteDataDecoder`).
struct DirectRow: SQLRow {
    final class Columns: Sendable {
        let names: [String]
        let offsets: [String: Int]
        init(_ statement: OpaquePointer?) {
            let count = sqlite_nio_sqlite3_column_count(statement)
            names = (0..<count).map { sqlite_nio_sqlite3_column_name(statement, $0).map { String(cString: $0) } ?? "" }
            offsets = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    let columns: Columns
    let values: [SQLiteData]

    var allColumns: [String] { columns.names }
    func contains(column: String) -> Bool { columns.offsets[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let offset = columns.offsets[column] else { return true }
        return values[offset] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let offset = columns.offsets[column] else { throw DirectSQLiteError(code: SQLITE_ERROR, message: "no column \(column)") }
        return try SQLiteDataDecoder().decode(D.self, from: values[offset])
    }
}

/// SQLite's refusal of a direct statement, with its result code, so constraint failures read as the driver's do.
struct DirectSQLiteError: Error, DatabaseError, CustomStringConvertible {
    let code: Int32
    let message: String

    var description: String { "SQLite error \(code): \(message)" }
    /// The primary result code is the low byte of an extended one.
    private var primary: Int32 { code & 0xff }
    var isSyntaxError: Bool { primary == SQLITE_ERROR && message.contains("syntax") }
    var isConstraintFailure: Bool { primary == SQLITE_CONSTRAINT }
    var isConnectionClosed: Bool { primary == SQLITE_MISUSE }
}

extension DirectSQLiteDatabase {
    /// The direct form of a database the driver has already pinned to one connection (a transaction's), or the
    /// database itself where there is none.
    static func pinning(_ pinned: any Database) async throws -> any Database {
        guard !(pinned is DirectSQLiteDatabase), let lite = pinned as? any SQLiteDatabase else { return pinned }
        let connection = try await lite.withConnection { $0.eventLoop.makeSucceededFuture($0) }.get()
        return DirectSQLiteDatabase(pinned: pinned, connection: connection) ?? pinned
    }
}

extension Database {
    /// Runs `body` with one SQLite connection held for it, its plain SQL run inline (`DirectSQLiteDatabase`); on
    /// PostgreSQL, or where the connection cannot be reached, `body` gets this database as it is. Inside `body`, use
    /// only the database it is given: the held connection is the only one of its event loop.
    func withDirectSQL<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard !(self is DirectSQLiteDatabase), self is any SQLiteDatabase else { return try await body(self) }
        return try await withConnection { pinned in try await body(try await DirectSQLiteDatabase.pinning(pinned)) }
    }
}
