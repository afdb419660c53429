import Fluent
import Vapor

/// One loaded standards document. Loading a file never edits an old version: it adds the next one,
/// so an apprentice stays on the version they were registered under.
final class ProgramVersion: Model, @unchecked Sendable {
    static let schema = "program_versions"

    @ID(key: .id) var id: UUID?
    @Field(key: "program_code") var programCode: String
    /// 1, 2, 3… per program code, in loading order.
    @Field(key: "version_number") var versionNumber: Int
    /// The document's own label, e.g. "2026.1".
    @Field(key: "version_label") var versionLabel: String
    @Field(key: "title") var title: String
    @Field(key: "occupation_title") var occupationTitle: String
    @Field(key: "rapids_code") var rapidsCode: String
    @Field(key: "onet_soc_code") var onetSocCode: String
    @Field(key: "approach") var approach: String
    @Field(key: "term_months") var termMonths: Int
    @Field(key: "minimum_ojl_hours") var minimumOJLHours: Int
    /// The whole validated document, as loaded, so nothing in it is ever lost.
    @Field(key: "document") var document: String
    @Field(key: "document_sha256") var documentSHA256: String
    @OptionalParent(key: "loaded_by_id") var loadedBy: User?
    @Field(key: "loaded_at") var loadedAt: Date
    @Children(for: \.$programVersion) var skillSets: [SkillSetRecord]

    init() {}
}

final class SkillSetRecord: Model, @unchecked Sendable {
    static let schema = "skill_sets"

    @ID(key: .id) var id: UUID?
    @Parent(key: "program_version_id") var programVersion: ProgramVersion
    @Field(key: "position") var position: Int
    @Field(key: "code") var code: String
    @Field(key: "title") var title: String
    @Field(key: "required_hours") var requiredHours: Int
    @Children(for: \.$skillSet) var skills: [SkillRecord]

    init() {}

    init(programVersionID: UUID, position: Int, code: String, title: String, requiredHours: Int) {
        self.$programVersion.id = programVersionID
        self.position = position
        self.code = code
        self.title = title
        self.requiredHours = requiredHours
    }
}

final class SkillRecord: Model, @unchecked Sendable {
    static let schema = "skills"

    @ID(key: .id) var id: UUID?
    @Parent(key: "skill_set_id") var skillSet: SkillSetRecord
    @Field(key: "position") var position: Int
    @Field(key: "code") var code: String
    @Field(key: "title") var title: String

    init() {}

    init(skillSetID: UUID, position: Int, code: String, title: String) {
        self.$skillSet.id = skillSetID
        self.position = position
        self.code = code
        self.title = title
    }
}
