import BMETDomain
import Vapor

/// The voluntary disability self-identification form (29 CFR 30.11), reached from the link in an invitation. No
/// sign-in: applicants have no account, and the link is the person's own. Answering "I do not want to answer" is always
/// possible, and an answer can be changed at any time; the latest one counts.
struct SelfIdentificationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("self-identify", ":token", use: form)
        routes.post("self-identify", ":token", use: answer)
    }

    private func invitation(_ req: Request) async throws -> (DisabilityInvitation, String) {
        let token = req.parameters.get("token") ?? ""
        guard let invitation = try await SelfIdentification.invitation(token: token, on: req.db) else {
            throw Abort(.notFound, reason: "This self-identification link is not valid or has expired. Write to \(req.application.settings.contactEmail) for a new one.")
        }
        return (invitation, token)
    }

    private func render(_ req: Request, token: String, selected: String? = nil, error: String? = nil, thanks: String? = nil,
                        status: HTTPResponseStatus = .ok) async throws -> Response {
        try await req.render("public/self-identify", title: "Voluntary self-identification of disability", EEOPages.SelfIdentify(
            token: token, choices: SelectOption.all(DisabilityAnswer.self, selected: selected, label: \.label), error: error, thanks: thanks,
            contactEmail: req.application.settings.contactEmail), status: status)
    }

    @Sendable func form(req: Request) async throws -> Response {
        let (_, token) = try await invitation(req)
        return try await render(req, token: token)
    }

    @Sendable func answer(req: Request) async throws -> Response {
        struct Form: Content { var answer: String? }
        let (invitation, token) = try await invitation(req)
        let form = try req.formInput(Form.self)
        guard let answer = form.answer.flatMap(DisabilityAnswer.init(rawValue:)) else {
            return try await render(req, token: token, error: "Choose one of the three answers. \"I do not want to answer\" is one of them.", status: .unprocessableEntity)
        }
        try await SelfIdentification.answer(answer, to: invitation, cipher: req.application.dataCipher, on: req.db)
        return try await render(req, token: token, selected: answer.rawValue,
                                thanks: "Thank you. Your answer was recorded confidentially. You can change it with this link at any time.")
    }
}
