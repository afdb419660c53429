import Fluent
import Vapor

/// The page models of `AccountController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension AccountController {
    struct View: Encodable {
        struct TokenRow: Encodable { let id: String; let name: String; let prefix: String; let created: String; let lastUsed: String; let revoked: Bool }
        let name: String
        let email: String
        let role: String
        let employer: String?
        let tokens: [TokenRow]
        let newToken: String?
        let tokenName: String
        let errors: FieldErrors
        let notices: [NoticeRow]
        let noticesSaved: Bool
    }

    /// One question of the notification form: how this kind of notice should reach you.
    struct NoticeRow: Encodable {
        struct Option: Encodable { let value: String; let label: String; let checked: Bool }
        let kind: String
        /// Kind with dots and dashes replaced, for element ids.
        let slug: String
        let label: String
        let summary: String
        let required: Bool
        let options: [Option]
        let error: String?
    }

    func view(for user: User, newToken: String? = nil, tokenName: String = "", errors: FieldErrors = [:],
                      notices: [NoticeRow]? = nil, noticesSaved: Bool = false, on db: any Database) async throws -> View {
        let tokens = try await APIToken.query(on: db).filter(\.$user.$id == user.requireID()).sort(\.$createdAt, .descending).all()
        let employer = try await user.$employer.get(on: db)
        var rows = notices ?? []
        if notices == nil { rows = try await noticeRows(for: user, on: db) }
        return View(
            name: user.fullName, email: user.email, role: user.role.label, employer: employer?.name,
            tokens: tokens.map { .init(id: $0.id?.uuidString ?? "", name: $0.name, prefix: $0.prefix, created: DateText.dateTime($0.createdAt),
                                       lastUsed: DateText.dateTime($0.lastUsedAt), revoked: $0.revokedAt != nil) },
            newToken: newToken, tokenName: tokenName, errors: errors,
            notices: rows, noticesSaved: noticesSaved)
    }
}
