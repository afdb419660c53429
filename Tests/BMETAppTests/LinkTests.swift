@testable import BMETApp
import Foundation
import RoutingKit
import Testing
import Vapor
import VaporTesting

/// Every link and form on every page each role can reach leads to a route the app registered: the demo program is
/// crawled as each demo account, following each same-site link once, and each `href` must match a GET route and each
/// form's `action` a route for its method. A link left behind by a renamed route fails here, not in a user's hands.
@Suite("Links resolve")
struct LinkTests {
    /// Pages each crawl opens at most: the demo's pages per role are fewer, so the crawl ends by running out of links.
    static let pageLimit = 400

    @Test("every link and form action on the pages each role reaches resolves to a route",
          arguments: [0, 1, 2, 3, 5, 10, 11])
    func linksResolve(account: Int) async throws {
        try await withTestApp { app in
            #expect(try await DemoData.seed(app: app, password: "demo-password-2026", standardsPath: packageRoot + "standards/aami-bmet.json",
                                            completionStage: true))
            let routes = RouteTable(app.routes.all)
            let browser = Browser(app)
            let who = DemoData.accounts[account]
            #expect(try await browser.signIn(who.email, password: "demo-password-2026").status == .seeOther)

            var queue = ["/dashboard"], seen = Set(queue), problems: [String] = []
            var opened = 0
            while let path = queue.first, opened < Self.pageLimit {
                queue.removeFirst()
                let page = try await browser.get(path)
                opened += 1
                if page.status.code >= 500 { problems.append("\(path) answered \(page.status.code)") }
                // A redirect (the dashboard sends provider staff to their own) is followed like a link.
                if [.seeOther, .found].contains(page.status), let location = page.headers.first(name: .location).flatMap(PageLinks.path),
                   seen.insert(location).inserted {
                    queue.append(location)
                }
                guard page.headers.contentType?.subType == "html", page.status == .ok else { continue }
                for link in PageLinks(html: page.text).all {
                    guard routes.resolves(link.method, link.path) else {
                        problems.append("\(path): \(link.method) \(link.path) has no route")
                        continue
                    }
                    // Follow plain page links; downloads, sign-out and links to other people's files are not pages.
                    if link.method == .GET, Self.isPage(link.path), seen.insert(link.path).inserted { queue.append(link.path) }
                }
            }
            #expect(problems.isEmpty, "\(who.name): \(problems.joined(separator: "\n"))")
            #expect(opened > 10, "\(who.name) reached only \(opened) pages")
        }
    }

    @Test("the route table matches the way the router does, and tells a missing route or a wrong method")
    func routeTableMatches() async throws {
        try await withTestApp { app in
            let routes = RouteTable(app.routes.all)
            let id = UUID().uuidString
            #expect(routes.resolves(.GET, "/dashboard"))
            #expect(routes.resolves(.GET, "/apprentices/\(id)/hours/week"))
            #expect(routes.resolves(.POST, "/apprentices/\(id)/hours/week"))
            #expect(routes.resolves(.GET, "/css/app.css"))
            #expect(!routes.resolves(.GET, "/apprentices/\(id)/hours/weekly"))
            #expect(!routes.resolves(.GET, "/no-such-page"))
            #expect(!routes.resolves(.DELETE, "/dashboard"))
            #expect(!routes.resolves(.GET, "/css/missing.css"))
            let links = PageLinks(html: #"<a href="/a?b=1&amp;c=2">x</a><a href="https://example.org/">y</a><form method="post" action="/f"></form><form action="/g">"#)
            #expect(links.all == [.init(methodName: "GET", path: "/a"), .init(methodName: "POST", path: "/f"), .init(methodName: "GET", path: "/g")])
        }
    }

    static func isPage(_ path: String) -> Bool {
        let file = [".csv", ".pdf", ".json", ".jwt", ".zip", ".txt", ".png", ".jpg", ".css", ".js"]
        return !file.contains { path.hasSuffix($0) } && !path.contains("/download") && !path.contains("/evidence")
            && !path.hasPrefix("/.well-known") && !path.hasPrefix("/api/")
    }
}

/// The links of one page: `href`s of anchors (GET) and forms' `action` with their `method`, same-site paths only,
/// without query or fragment, with HTML entities in them decoded.
struct PageLinks {
    struct Link: Hashable {
        let methodName: String, path: String
        var method: HTTPMethod { HTTPMethod(rawValue: methodName) }
    }
    let all: [Link]

    init(html: String) {
        var links: [Link] = []
        for match in html.matches(of: /<a\b[^>]*\bhref="([^"]*)"/) { if let path = Self.path(String(match.1)) { links.append(Link(methodName: "GET", path: path)) } }
        for match in html.matches(of: /<form\b([^>]*)>/) {
            let attributes = String(match.1)
            let method = attributes.firstMatch(of: /\bmethod="([a-zA-Z]+)"/).map { String($0.1).uppercased() } ?? "GET"
            // A form without an action posts to its own page, which the crawl already opened.
            guard let action = attributes.firstMatch(of: /\baction="([^"]*)"/), let path = Self.path(String(action.1)) else { continue }
            links.append(Link(methodName: method, path: path))
        }
        all = Array(Set(links)).sorted { $0.path < $1.path }
    }

    static func path(_ raw: String) -> String? {
        let decoded = raw.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#x2F;", with: "/")
        guard decoded.hasPrefix("/"), !decoded.hasPrefix("//") else { return nil }
        let path = String(decoded.prefix { $0 != "?" && $0 != "#" })
        return path.isEmpty ? nil : path
    }
}

/// The app's registered routes, matched the way the router does: constants equal, `:parameter` any one component,
/// `**` the rest. Files under Public/ are served by the file middleware, not routes.
struct RouteTable {
    let routes: [(method: HTTPMethod, path: [PathComponent])]

    init(_ all: [Route]) { routes = all.map { ($0.method, $0.path) } }

    func resolves(_ method: HTTPMethod, _ path: String) -> Bool {
        let parts = path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        if method == .GET, let first = parts.first, ["css", "js"].contains(first) || parts == ["sw.js"] {
            return FileManager.default.fileExists(atPath: packageRoot + "Public" + path)
        }
        return routes.contains { route in
            guard route.method == method else { return false }
            for (index, component) in route.path.enumerated() {
                switch component {
                case .catchall: return true
                case .anything, .parameter: if index >= parts.count { return false }
                case .constant(let constant): if index >= parts.count || parts[index] != constant { return false }
                }
            }
            return route.path.count == parts.count
        }
    }
}
