import BMETDomain
import Fluent
import Vapor

/// The page models of `ProgramsController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension ProgramsController {
    struct ListView: Encodable {
        struct Row: Encodable {
            let id: String; let title: String; let code: String; let versionNumber: Int; let label: String
            let rapids: String; let loadedAt: String; let latest: Bool
        }
        let rows: [Row]
        let canLoad: Bool
        let issues: [String]
        let uploadError: String?
    }

    static func listView(actor: User, issues: [String] = [], uploadError: String? = nil, on db: any Database) async throws -> ListView {
        let versions = try await ProgramVersion.query(on: db).sort(\.$programCode).sort(\.$versionNumber, .descending).all()
        var latestSeen = Set<String>()
        let rows = versions.map { version in
            ListView.Row(id: version.id?.uuidString ?? "", title: version.title, code: version.programCode, versionNumber: version.versionNumber,
                         label: version.versionLabel, rapids: version.rapidsCode, loadedAt: DateText.dateTime(version.loadedAt),
                         latest: latestSeen.insert(version.programCode).inserted)
        }
        return ListView(rows: rows, canLoad: actor.role == .programAdmin, issues: issues, uploadError: uploadError)
    }

    struct DetailView: Encodable {
        struct SkillSetRow: Encodable {
            let code: String; let title: String; let hours: Int; let percent: Int; let skills: [Skill]
        }
        struct CourseRow: Encodable { let code: String; let title: String; let hours: Int }
        struct CredentialRow: Encodable { let name: String; let issuer: String; let exam: String?; let required: Bool }
        struct WageRow: Encodable { let step: Int; let title: String; let trigger: String }
        let standards: ProgramStandards
        let versionNumber: Int
        let loadedAt: String
        let loaded: Bool
        let approachLabel: String
        let skillCount: Int
        let skillSets: [SkillSetRow]
        let courses: [CourseRow]
        let courseHours: Int
        let credentials: [CredentialRow]
        let wages: [WageRow]
        let minimumHours: String
        let maximumHours: String?
        let ratio: String
    }
}
