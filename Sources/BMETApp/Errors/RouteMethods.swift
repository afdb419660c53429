import Vapor

/// Which methods each routed path answers, so a request with another method gets 405 and an `Allow` header
/// instead of the router's 404 (RFC 9110 §15.5.6). Built once from the route table after every route is registered;
/// consulted only when the router found nothing.
struct RouteMethods: Sendable {
    private let routes: [(method: String, path: [PathComponent])]

    init(_ routes: Routes) {
        // Without the empty components, as Vapor's own responder registers them.
        self.routes = routes.all.map { ($0.method.rawValue, $0.path.filter { $0 != .constant("") }) }
    }

    /// The methods that do have a route at this path (HEAD wherever GET is, as Vapor answers it), sorted.
    func allowed(at path: String) -> [String] {
        let components = path.split(separator: "/").map(String.init)
        var methods = Set(routes.filter { Self.matches($0.path, components) }.map(\.method))
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
    }

    private static func matches(_ pattern: [PathComponent], _ components: [String]) -> Bool {
        for (index, part) in pattern.enumerated() {
            if case .catchall = part { return components.count > index }
            guard index < components.count else { return false }
            if case .constant(let text) = part, text != components[index] { return false }
        }
        return pattern.count == components.count
    }

    struct Key: StorageKey { typealias Value = RouteMethods }
}

extension Application {
    /// Set by `routes(_:)` once every route is registered.
    var routeMethods: RouteMethods {
        get { storage[RouteMethods.Key.self] ?? RouteMethods(routes) }
        set { storage[RouteMethods.Key.self] = newValue }
    }
}
