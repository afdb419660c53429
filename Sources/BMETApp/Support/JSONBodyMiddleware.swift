import Vapor

/// Every API operation with a request body takes `application/json` (the OpenAPI document says so for each): a body
/// of another type — plain text, a web form, a multipart upload — is answered 415 before any handler reads it, rather
/// than decoded by whichever decoder its type happens to have. A body with no Content-Type is refused the same way.
struct JSONBodyMiddleware: AsyncMiddleware {
    static let methodsWithBody: [HTTPMethod] = [.POST, .PUT, .PATCH]

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if Self.methodsWithBody.contains(req.method), let refusal = Self.refusal(for: req.headers) {
            throw Abort(.unsupportedMediaType, reason: refusal)
        }
        return try await next.respond(to: req)
    }

    static func refusal(for headers: HTTPHeaders) -> String? {
        if let type = headers.contentType {
            // Compared by name: HTTPMediaType's `==` lets "*/*" equal anything.
            let isJSON = type.type.lowercased() == "application" && type.subType.lowercased() == "json"
            return isJSON ? nil : "This operation takes a JSON body (Content-Type: application/json), not \(type.type)/\(type.subType)."
        }
        let length = headers.first(name: .contentLength).flatMap(Int.init) ?? 0
        let chunked = headers.first(name: .transferEncoding)?.lowercased().contains("chunked") ?? false
        return length > 0 || chunked ? "This operation takes a JSON body: send it with Content-Type: application/json." : nil
    }
}
