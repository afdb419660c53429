import Fluent
import Leaf
import Vapor

/// The one place errors become responses: problem+json under `/api` and `/health`, an HTML page for people.
/// Internal error text never reaches a response; unexpected errors are logged with the request id only.
struct AppErrorMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            return await response(for: error, on: req)
        }
    }

    static let internalFailure = "Something went wrong on our side. It has been logged; please try again."

    private func response(for error: any Error, on req: Request) async -> Response {
        var error = error
        // The router found no route for this method; if the path has routes for others, that is a 405, not a 404.
        if error is RouteNotFound {
            let allowed = req.application.routeMethods.allowed(at: req.url.path)
            if !allowed.isEmpty {
                error = Abort(.methodNotAllowed, headers: ["Allow": allowed.joined(separator: ", ")],
                              reason: "This address does not take \(req.method.rawValue) requests. It takes: \(allowed.joined(separator: ", ")).")
            }
        }
        let status: HTTPResponseStatus
        let message: String
        var fieldErrors: FieldErrors = [:]
        var headers = HTTPHeaders()

        switch error {
        case let failure as ValidationFailure:
            status = failure.status
            message = failure.message
            fieldErrors = failure.errors
        case let abort as any AbortError where abort.status.code >= 500:
            // Internal failures never show their text to anyone; the log has it, tied to the request id.
            status = abort.status
            headers = abort.headers
            message = status == .serviceUnavailable ? "The service is not available right now. Please try again shortly." : Self.internalFailure
            req.logger.error("Request failed: \(String(reflecting: type(of: error)))", metadata: ["error": "\(error)"])
        case let abort as any AbortError:
            status = abort.status
            headers = abort.headers
            message = status == .notFound && abort.reason == status.reasonPhrase
                ? "There is no page at this address." : abort.reason
        case let database as any DatabaseError where database.isConstraintFailure:
            // Two requests raced past the same check; the database kept the data consistent.
            status = .conflict
            message = "Someone changed this at the same moment. Reload the page and try again."
        case is DecodingError:
            status = .badRequest
            message = "The request body could not be read: check that it is valid JSON with the documented fields."
        default:
            status = .internalServerError
            message = Self.internalFailure
            // Database errors can quote the values they choked on (e-mails, dates of birth): log only their type.
            req.logger.error("Unhandled error: \(String(reflecting: type(of: error)))", metadata: error is any DatabaseError ? [:] : ["error": "\(error)"])
        }
        if req.wantsProblemJSON {
            let problem = ProblemDetails(
                title: status.reasonPhrase, status: Int(status.code), detail: message,
                errors: fieldErrors.isEmpty ? nil : fieldErrors.sorted { $0.key < $1.key }.map { .init(field: $0.key, message: $0.value) })
            let response = Response(status: status, headers: headers)
            do {
                try response.content.encode(problem, using: JSONEncoder())
            } catch {
                response.body = .init(string: #"{"title":"Internal Server Error","status":500}"#)
            }
            response.headers.contentType = ProblemDetails.contentType
            return response
        }
        return await ErrorPage.render(status: status, message: message, headers: headers, on: req)
    }
}

extension Request {
    var wantsProblemJSON: Bool {
        let path = url.path
        return path.hasPrefix("/api/") || path == "/api" || path == "/health"
    }
}
