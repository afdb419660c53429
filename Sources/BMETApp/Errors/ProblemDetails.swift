import Vapor

/// RFC 9457 problem document returned by every API error.
struct ProblemDetails: Content {
    struct FieldProblem: Content {
        let field: String
        let message: String
    }

    var type: String = "about:blank"
    var title: String
    var status: Int
    var detail: String?
    var errors: [FieldProblem]?

    static let contentType = HTTPMediaType(type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])
}
