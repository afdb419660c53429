import Fluent
import SQLKit

/// A migration that only adds indexes: each one listed is created with SQLKit's index builder (the same SQL on SQLite
/// and PostgreSQL) and dropped again on revert.
protocol IndexMigration: AsyncMigration {
    static var indexes: [(name: String, table: String, columns: [String])] { get }
}

extension IndexMigration {
    func prepare(on database: any Database) async throws {
        let sql = try database.sql()
        for index in Self.indexes {
            var create = sql.create(index: index.name).on(index.table)
            for column in index.columns { create = create.column(column) }
            try await create.run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        for index in Self.indexes { try await sql.drop(index: index.name).run() }
    }
}
