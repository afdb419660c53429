import FluentKit
import SQLKit

/// Every database the platform runs on (SQLite, PostgreSQL) speaks SQL. Code that writes SQL asks for it here, so a
/// database that did not would fail loudly instead of silently skipping a lock, an index or a count.
extension Database {
    func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw SQLRequired() }
        return sql
    }
}

struct SQLRequired: Error, CustomStringConvertible {
    var description: String { "This needs an SQL database (SQLite or PostgreSQL)." }
}
