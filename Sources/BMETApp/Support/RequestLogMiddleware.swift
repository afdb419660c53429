import Vapor

/// Logs each request's method and path, with the secret part of invitation and reset links replaced,
/// so no token reaches a log.
struct RequestLogMiddleware: AsyncMiddleware {
    static let secretPrefixes = ["/invitations/", "/reset-password/", "/self-identify/"]

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        req.logger.info("\(req.method) \(Self.redacted(req.url.path))")
        return try await next.respond(to: req)
    }

    static func redacted(_ path: String) -> String {
        for prefix in secretPrefixes where path.hasPrefix(prefix) {
            return prefix + "[redacted]"
        }
        return path
    }
}
