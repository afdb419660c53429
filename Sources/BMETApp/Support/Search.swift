import Fluent
import SQLKit

/// Case-insensitive "contains" that works on both databases: SQLite's LIKE ignores ASCII case already,
/// PostgreSQL needs ILIKE.
enum Search {
    static func containsOperator(on db: any Database) -> DatabaseQuery.Filter.Method {
        if (try? db.sql())?.dialect.name == "postgresql" { return .custom("ILIKE") }
        return .custom("LIKE")
    }

    static func pattern(_ text: String) -> String {
        // The user's own % and _ are literal text, not wildcards.
        "%" + text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
    }
}
