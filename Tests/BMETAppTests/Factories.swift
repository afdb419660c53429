@testable import BMETApp
import Fluent
import Foundation
import Vapor

/// Test data in one place: each helper makes a valid record and returns it.
enum Make {
    static let password = "correct horse battery"

    static func employer(_ app: Application, name: String = "Gulf Coast Medical Center", state: String = "TX", zip: String = "77030", city: String = "Houston") async throws -> Employer {
        let employer = Employer(name: name, addressLine1: "6565 Fannin St", addressLine2: nil, city: city, state: state, zip: zip, phone: nil, createdByID: nil)
        try await employer.create(on: app.db)
        return employer
    }

    static func user(_ app: Application, role: Role, employer: Employer? = nil, email: String? = nil, name: String = "Test Person") async throws -> User {
        let hash = try app.password.hash(password)
        let user = User(email: email ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8).lowercased())@example.org",
                        fullName: name, passwordHash: hash, role: role, employerID: employer?.id)
        try await user.create(on: app.db)
        return user
    }

    /// Two employers, each with an admin, a mentor and an apprentice, plus a program admin.
    struct World {
        let admin: User
        let employerA: Employer, employerB: Employer
        let adminA: User, mentorA: User, apprenticeA: User
        let adminB: User, mentorB: User, apprenticeB: User
    }

    static func world(_ app: Application) async throws -> World {
        let a = try await employer(app)
        let b = try await employer(app, name: "Buckeye Clinical Engineering", state: "OH", zip: "43210", city: "Columbus")
        return World(
            admin: try await user(app, role: .programAdmin, name: "Dana Admin"),
            employerA: a, employerB: b,
            adminA: try await user(app, role: .employerAdmin, employer: a, name: "Ann A-Admin"),
            mentorA: try await user(app, role: .mentor, employer: a, name: "Mel A-Mentor"),
            apprenticeA: try await user(app, role: .apprentice, employer: a, name: "Alex A-Apprentice"),
            adminB: try await user(app, role: .employerAdmin, employer: b, name: "Bob B-Admin"),
            mentorB: try await user(app, role: .mentor, employer: b, name: "Bea B-Mentor"),
            apprenticeB: try await user(app, role: .apprentice, employer: b, name: "Ben B-Apprentice"))
    }

    /// A bearer token for `user`, created the way the Account page does.
    static func token(_ app: Application, for user: User) async throws -> String {
        try await APITokens.create(for: user, name: "test", on: app.db).1
    }

    /// A small PDF that Poppler opens: one blank page, with a correct cross-reference table.
    static var pdf: Data {
        let objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                       "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"]
        var text = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(text.utf8.count)
            text += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = text.utf8.count
        text += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { text += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n" }
        text += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(text.utf8)
    }

    static var standardsFile: Data {
        get throws { try Data(contentsOf: URL(fileURLWithPath: packageRoot + "standards/aami-bmet.json")) }
    }
}
