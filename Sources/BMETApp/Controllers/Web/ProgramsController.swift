import BMETDomain
import Fluent
import Vapor

/// Program standards: every loaded version, its work process schedule, and loading a new file.
struct ProgramsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(RoleGuard.anySignedIn())
        signedIn.get("programs", use: list)
        signedIn.get("programs", ":versionID", use: show)
        routes.grouped(RoleGuard(.programAdmin)).post("programs", use: load)
    }

    @Sendable func list(req: Request) async throws -> Response {
        try await req.render("programs", title: "Programs", try await Self.listView(actor: try req.actor, on: req.db))
    }

    @Sendable func load(req: Request) async throws -> Response {
        struct Upload: Content { var file: File? }
        let actor = try req.actor
        // The file is checked as a standards document; its only text field is the CSRF token.
        let upload = try? req.formInput(Upload.self)
        guard let file = upload?.file, file.data.readableBytes > 0 else {
            return try await req.render("programs", title: "Programs",
                try await Self.listView(actor: actor, uploadError: "Choose a standards file (JSON) to load.", on: req.db), status: .unprocessableEntity)
        }
        do {
            let version = try await StandardsLibrary.load(Data(buffer: file.data), loadedBy: actor, on: req.db)
            return req.redirect(to: "/programs/\(try version.requireID())?loaded=1")
        } catch StandardsLibrary.LoadError.invalid(let issues) {
            return try await req.render("programs", title: "Programs",
                try await Self.listView(actor: actor, issues: issues.map(\.description),
                                        uploadError: "The file was not loaded: \(issues.count) problem\(issues.count == 1 ? "" : "s") found. Nothing was changed.", on: req.db),
                status: .unprocessableEntity)
        } catch StandardsLibrary.LoadError.duplicate(let existing) {
            return try await req.render("programs", title: "Programs",
                try await Self.listView(actor: actor, uploadError: "This file is identical to version \(existing.versionNumber) of \(existing.programCode); nothing was loaded.", on: req.db),
                status: .conflict)
        }
    }

    @Sendable func show(req: Request) async throws -> Response {
        guard let id = req.parameters.get("versionID", as: UUID.self), let version = try await ProgramVersion.find(id, on: req.db) else {
            throw Abort(.notFound)
        }
        let standards = try StandardsLibrary.standards(of: version)
        let totalHours = max(1, standards.skillSets.reduce(0) { $0 + $1.hours })
        let view = DetailView(
            standards: standards, versionNumber: version.versionNumber, loadedAt: DateText.dateTime(version.loadedAt),
            loaded: req.query[String.self, at: "loaded"] == "1",
            approachLabel: standards.approach.rawValue.replacingOccurrences(of: "-", with: " ").capitalized,
            skillCount: standards.totalSkillCount,
            skillSets: standards.skillSets.map { .init(code: $0.code, title: $0.title, hours: $0.hours, percent: Int((Double($0.hours) * 100 / Double(totalHours)).rounded()), skills: $0.skills) },
            courses: standards.courses.map { .init(code: $0.code, title: $0.title, hours: $0.hours) },
            courseHours: standards.totalCourseHours,
            credentials: standards.credentials.map { .init(name: $0.name, issuer: $0.issuer, exam: $0.exam, required: $0.required) },
            wages: standards.wageSchedule.map { .init(step: $0.step, title: $0.title, trigger: $0.trigger.summary) },
            minimumHours: standards.minimumOJLHours.grouped, maximumHours: standards.maximumOJLHours?.grouped,
            ratio: standards.mentorRatio.mentors == 1
                ? "\(standards.mentorRatio.apprentices) apprentice\(standards.mentorRatio.apprentices == 1 ? "" : "s") per mentor"
                : "\(standards.mentorRatio.apprentices) apprentices per \(standards.mentorRatio.mentors) mentors")
        return try await req.render("program", title: "\(standards.title) — version \(version.versionNumber)", view)
    }
}
