import Leaf
import Vapor

/// An HTML error page in the site's layout, with a way back.
enum ErrorPage {
    struct Content: Encodable {
        let status: UInt
        let heading: String
        let message: String
        let signedIn: Bool
    }

    static func render(status: HTTPResponseStatus, message: String, headers: HTTPHeaders, on req: Request) async -> Response {
        let heading: String = switch status.code {
        case 404: "Page not found"
        case 403: "Not allowed"
        case 401: "Please sign in"
        case 429: "Too many tries"
        case 400..<500: "That did not work"
        default: "Something went wrong"
        }
        let content = Content(status: status.code, heading: heading, message: message, signedIn: req.auth.has(User.self))
        do {
            let view = try await req.view.render("error", Page.make(title: heading, content: content, on: req))
            let response = try await view.encodeResponse(status: status, for: req)
            for (name, value) in headers where ["retry-after", "allow"].contains(name.lowercased()) { response.headers.replaceOrAdd(name: name, value: value) }
            return response
        } catch {
            req.logger.error("Error page failed to render")
            let response = Response(status: status, body: .init(string: "\(heading): \(message)"))
            response.headers.contentType = .plainText
            return response
        }
    }
}
