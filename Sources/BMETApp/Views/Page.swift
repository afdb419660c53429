import Vapor

/// What every HTML page renders from: the layout's facts plus the page's own view model.
struct NavItem: Encodable {
    let label: String
    let href: String
    let current: Bool
}

struct Viewer: Encodable {
    let name: String
    let email: String
    let roleLabel: String
}

struct Page<Content: Encodable>: Encodable {
    let title: String
    let csrf: String
    let viewer: Viewer?
    let nav: [NavItem]
    let contactEmail: String
    let content: Content

    static func make(title: String, content: Content, on req: Request) -> Page<Content> {
        let user = req.auth.get(User.self)
        return Page(
            title: title,
            csrf: CSRF.token(for: req),
            viewer: user.map { Viewer(name: $0.fullName, email: $0.email, roleLabel: $0.role.label) },
            nav: Navigation.items(for: user?.role, eeoOfficer: user?.isEEOOfficer == true, currentPath: req.url.path),
            contactEmail: req.application.settings.contactEmail,
            content: content)
    }
}

/// The menu each role sees; the routes behind it are guarded separately.
enum Navigation {
    static func items(for role: Role?, eeoOfficer: Bool = false, currentPath: String) -> [NavItem] {
        var entries: [(String, String)] = switch role {
        case .programAdmin?:
            [("Dashboard", "/dashboard"), ("Applicants", "/applicants"), ("Inquiries", "/inquiries"), ("Apprentices", "/apprentices"),
             ("Employers", "/employers"), ("Providers", "/providers"), ("People", "/people"), ("Programs", "/programs"), ("Import", "/imports"), ("Reports", "/reports"), ("Outbox", "/outbox"), ("Audit log", "/audit"), ("Account", "/account")]
        case .employerAdmin?:
            [("Dashboard", "/dashboard"), ("Applicants", "/applicants"), ("Apprentices", "/apprentices"), ("Payroll months", "/hours/months"),
             ("Our organization", "/employers/mine"), ("People", "/people"), ("Programs", "/programs"), ("Reports", "/reports"), ("Account", "/account")]
        case .mentor?:
            [("Dashboard", "/dashboard"), ("Approvals", "/approvals"), ("Apprentices", "/apprentices"), ("People", "/people"), ("Programs", "/programs"), ("Account", "/account")]
        case .apprentice?:
            [("Dashboard", "/dashboard"), ("My apprenticeship", "/apprentices/mine"), ("Programs", "/programs"), ("Account", "/account")]
        case .instructionProvider?:
            [("Students", "/provider"), ("Programs", "/programs"), ("Account", "/account")]
        case nil:
            [("Home", "/"), ("The program", "/program"), ("Apprentices", "/for-apprentices"), ("Employers", "/for-employers"),
             ("Apply", "/apply"), ("Sign in", "/login")]
        }
        if role == .programAdmin, eeoOfficer, let reports = entries.firstIndex(where: { $0.1 == "/reports" }) {
            entries.insert(("Equal opportunity", "/eeo"), at: reports + 1)
        }
        return entries.map { label, href in
            .init(label: label, href: href, current: currentPath == href || (href != "/" && currentPath.hasPrefix(href + "/")))
        }
    }
}

extension Request {
    func render<Content: Encodable>(_ template: String, title: String, _ content: Content, status: HTTPResponseStatus = .ok) async throws -> Response {
        let view = try await self.view.render(template, Page.make(title: title, content: content, on: self))
        return try await view.encodeResponse(status: status, for: self)
    }
}
