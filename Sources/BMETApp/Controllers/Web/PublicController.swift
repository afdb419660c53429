import BMETDomain
import Vapor

/// The public site: the program, for apprentices, for employers, the interest form and the partner inquiry.
struct PublicController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(use: home)
        routes.get("program", use: program)
        routes.get("for-apprentices", use: forApprentices)
        routes.get("for-employers", use: forEmployers)
        routes.get("apply", use: applyForm)
        routes.post("apply", use: apply)
        routes.get("apply", "thanks", use: applyThanks)
        routes.get("partner", use: partnerForm)
        routes.post("partner", use: partner)
        routes.get("partner", "thanks", use: partnerThanks)
    }

    @Sendable func home(req: Request) async throws -> Response {
        try await req.render("public/home", title: "BMET Apprenticeship", Plain(signedIn: req.auth.has(User.self)))
    }

    /// The hour figures come from the newest standards loaded, so the public page and every record tell one story.
    @Sendable func program(req: Request) async throws -> Response {
        let standards = try await StandardsLibrary.newestStandards(on: req.db)
        return try await req.render("public/program", title: "The program", ProgramPage(
            signedIn: req.auth.has(User.self), minimumHours: standards?.minimumOJLHours.grouped, maximumHours: standards?.maximumOJLHours?.grouped))
    }

    @Sendable func forApprentices(req: Request) async throws -> Response {
        try await req.render("public/for-apprentices", title: "For apprentices", Plain(signedIn: req.auth.has(User.self)))
    }

    @Sendable func forEmployers(req: Request) async throws -> Response {
        try await req.render("public/for-employers", title: "For employers", Plain(signedIn: req.auth.has(User.self)))
    }

    @Sendable func applyForm(req: Request) async throws -> Response {
        let entry = try await StandardsLibrary.newestStandards(on: req.db)?.entry ?? .standard
        return try await req.render("public/apply", title: "Apply to become an apprentice", Self.applyView(nil, entry: entry))
    }

    @Sendable func apply(req: Request) async throws -> Response {
        let input = try req.formInput(ApplicationInput.self)
        do {
            try req.refuseFormProblems()
            _ = try await Applications.submit(input, ip: req.clientIP, settings: req.application.settings, cipher: req.application.dataCipher, on: req.db)
            return req.redirect(to: "/apply/thanks")
        } catch let failure as ValidationFailure {
            let entry = try await StandardsLibrary.newestStandards(on: req.db)?.entry ?? .standard
            return try await req.render("public/apply", title: "Apply to become an apprentice",
                                        Self.applyView(input, errors: failure.errors, entry: entry), status: .unprocessableEntity)
        }
    }

    @Sendable func applyThanks(req: Request) async throws -> Response {
        try await req.render("public/apply-thanks", title: "Thank you for applying", Plain(signedIn: req.auth.has(User.self)))
    }

    @Sendable func partnerForm(req: Request) async throws -> Response {
        try await req.render("public/partner", title: "Become an employer partner", Self.partnerView(nil))
    }

    @Sendable func partner(req: Request) async throws -> Response {
        let input = try req.formInput(InquiryInput.self)
        do {
            try req.refuseFormProblems()
            _ = try await Inquiries.submit(input, ip: req.clientIP, settings: req.application.settings, on: req.db)
            return req.redirect(to: "/partner/thanks")
        } catch let failure as ValidationFailure {
            return try await req.render("public/partner", title: "Become an employer partner",
                                        Self.partnerView(input, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    @Sendable func partnerThanks(req: Request) async throws -> Response {
        try await req.render("public/partner-thanks", title: "Thank you", Plain(signedIn: req.auth.has(User.self)))
    }
}
