import Fluent
import Vapor

/// The caller's own notice settings: `GET` and `PUT /api/v1/me/notifications`. Only ever the caller's.
struct NotificationsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let me = routes.grouped("api", "v1", "me").grouped(BearerTokenAuthenticator()).grouped(RoleGuard.anySignedIn(api: true))
        me.get("notifications", use: list)
        me.put("notifications", use: update)
    }

    struct PreferenceDTO: Content {
        let kind: String
        let label: String
        let description: String
        let required: Bool
        let delivery: String
        let choices: [String]
    }

    struct List: Content { let items: [PreferenceDTO] }

    struct Input: Content {
        struct Item: Content { var kind: String?; var delivery: String? }
        var items: [Item]?
    }

    @Sendable func list(req: Request) async throws -> List {
        try await Self.list(for: try req.actor, on: req.db)
    }

    @Sendable func update(req: Request) async throws -> List {
        let actor = try req.actor
        guard let input = try? req.content.decode(Input.self), let items = input.items, !items.isEmpty else {
            throw ValidationFailure(errors: ["items": "Send {\"items\": [{\"kind\": …, \"delivery\": \"immediate|digest|off\"}]}."])
        }
        var submitted: [String: String] = [:]
        var errors = FieldErrors()
        for (index, item) in items.enumerated() {
            guard let kind = item.kind, !kind.isEmpty else { errors["items.\(index).kind"] = "Name the kind of notice."; continue }
            if submitted[kind] != nil { errors[kind] = "Listed more than once." }
            submitted[kind] = item.delivery ?? ""
        }
        guard errors.isEmpty else { throw ValidationFailure(errors: errors) }
        try await NotificationPreferences.update(submitted, of: actor, on: req.db)
        return try await Self.list(for: actor, on: req.db)
    }

    static func list(for user: User, on db: any Database) async throws -> List {
        List(items: try await NotificationPreferences.choices(of: user, on: db).map {
            PreferenceDTO(kind: $0.kind.rawValue, label: $0.kind.label, description: $0.kind.summary, required: $0.kind.isRequired,
                          delivery: $0.delivery.rawValue, choices: $0.kind.choices.map(\.rawValue))
        })
    }
}
