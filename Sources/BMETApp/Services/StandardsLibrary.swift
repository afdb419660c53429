import BMETDomain
import Crypto
import Fluent
import NIOConcurrencyHelpers
import Vapor

/// Loads validated standards documents as new program versions.
enum StandardsLibrary {
    enum LoadError: Error {
        /// The file broke the schema or its rules; nothing was stored.
        case invalid([StandardsIssue])
        /// Byte-for-byte the same as the newest version of that program.
        case duplicate(ProgramVersion)
    }

    /// Validates the whole file first, then stores the version, its skill sets and skills in one
    /// transaction: either all of it is loaded or none of it.
    static func load(_ data: Data, loadedBy: User?, on db: any Database) async throws -> ProgramVersion {
        let standards: ProgramStandards
        do {
            standards = try StandardsDocument.decode(data)
        } catch {
            throw LoadError.invalid(error.issues)
        }
        let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let latest = try await ProgramVersion.query(on: db)
            .filter(\.$programCode == standards.programCode)
            .sort(\.$versionNumber, .descending)
            .first()
        if let latest, latest.documentSHA256 == sha { throw LoadError.duplicate(latest) }

        let version = ProgramVersion()
        version.programCode = standards.programCode
        version.versionNumber = (latest?.versionNumber ?? 0) + 1
        version.versionLabel = standards.version
        version.title = standards.title
        version.occupationTitle = standards.occupation.title
        version.rapidsCode = standards.occupation.rapidsCode
        version.onetSocCode = standards.occupation.onetSocCode
        version.approach = standards.approach.rawValue
        version.termMonths = standards.termMonths
        version.minimumOJLHours = standards.minimumOJLHours
        version.document = String(decoding: data, as: UTF8.self)
        version.documentSHA256 = sha
        version.$loadedBy.id = loadedBy?.id
        version.loadedAt = Date()

        try await db.writeTransaction { db in
            try await version.create(on: db)
            let versionID = try version.requireID()
            for (index, set) in standards.skillSets.enumerated() {
                let record = SkillSetRecord(programVersionID: versionID, position: index + 1, code: set.code, title: set.title, requiredHours: set.hours)
                try await record.create(on: db)
                let setID = try record.requireID()
                let skills = set.skills.enumerated().map { position, skill in
                    SkillRecord(skillSetID: setID, position: position + 1, code: skill.code, title: skill.title)
                }
                try await skills.create(on: db)
            }
        }
        return version
    }

    /// The standards document of a stored version. It was validated when loaded; it is only decoded here,
    /// so a rule added later can never make an apprentice's registered version unreadable.
    static func standards(of version: ProgramVersion) throws -> ProgramStandards {
        try JSONDecoder().decode(ProgramStandards.self, from: Data(version.document.utf8))
    }

    /// The standards of the newest version loaded, for rules that come before anyone is registered under a version
    /// (the interest form). Nil before any standards are loaded.
    static func newestStandards(on db: any Database) async throws -> ProgramStandards? {
        guard let id = try await ProgramVersion.query(on: db).sort(\.$loadedAt, .descending).field(\.$id).first()?.id else { return nil }
        return try await standards(ofVersion: id, on: db)
    }

    /// Decoded documents by version id. A version never changes once loaded, so a decoded copy stays valid.
    private static let cache = NIOLockedValueBox<[UUID: ProgramStandards]>([:])

    /// The standards of a version by id, decoded once per process.
    static func standards(ofVersion id: UUID, on db: any Database) async throws -> ProgramStandards {
        if let cached = cache.withLockedValue({ $0[id] }) { return cached }
        guard let version = try await ProgramVersion.find(id, on: db) else { throw Abort(.notFound, reason: "No such program version.") }
        let standards = try standards(of: version)
        cache.withLockedValue { $0[id] = standards }
        return standards
    }
}
