import Foundation
import Vapor

/// What the API returns. Models are never encoded directly, so a new column can't leak.
struct UserDTO: Content {
    let id: UUID
    let email: String
    let fullName: String
    let role: String
    let employerID: UUID?
    let isActive: Bool

    init(_ user: User) throws {
        id = try user.requireID()
        email = user.email
        fullName = user.fullName
        role = user.role.rawValue
        employerID = user.employerID
        isActive = user.isActive
    }
}

struct EmployerDTO: Content {
    let id: UUID
    let name: String
    let addressLine1: String
    let addressLine2: String?
    let city: String
    let state: String
    let zip: String
    let phone: String?

    init(_ employer: Employer) throws {
        id = try employer.requireID()
        name = employer.name
        addressLine1 = employer.addressLine1
        addressLine2 = employer.addressLine2
        city = employer.city
        state = employer.state
        zip = employer.zip
        phone = employer.phone
    }
}

struct InvitationDTO: Content {
    let id: UUID
    let email: String
    let fullName: String
    let role: String
    let employerID: UUID?
    let status: String
    let createdAt: Date
    let expiresAt: Date

    init(_ invitation: Invitation) throws {
        id = try invitation.requireID()
        email = invitation.email
        fullName = invitation.fullName
        role = invitation.role.rawValue
        employerID = invitation.$employer.id
        status = invitation.status
        createdAt = invitation.createdAt
        expiresAt = invitation.expiresAt
    }
}

struct ProgramVersionDTO: Content {
    struct SkillSetDTO: Content {
        let code: String
        let title: String
        let requiredHours: Int
        let skillCount: Int
    }
    let id: UUID
    let programCode: String
    let versionNumber: Int
    let versionLabel: String
    let title: String
    let occupationTitle: String
    let rapidsCode: String
    let onetSocCode: String
    let approach: String
    let termMonths: Int
    let minimumOJLHours: Int
    let loadedAt: Date
    let skillSets: [SkillSetDTO]?

    init(_ version: ProgramVersion, skillSets: [SkillSetDTO]? = nil) throws {
        id = try version.requireID()
        programCode = version.programCode
        versionNumber = version.versionNumber
        versionLabel = version.versionLabel
        title = version.title
        occupationTitle = version.occupationTitle
        rapidsCode = version.rapidsCode
        onetSocCode = version.onetSocCode
        approach = version.approach
        termMonths = version.termMonths
        minimumOJLHours = version.minimumOJLHours
        loadedAt = version.loadedAt
        self.skillSets = skillSets
    }
}

struct APITokenDTO: Content {
    let id: UUID
    let name: String
    let prefix: String
    let createdAt: Date?
    let lastUsedAt: Date?
    let revokedAt: Date?

    init(_ token: APIToken) throws {
        id = try token.requireID()
        name = token.name
        prefix = token.prefix
        createdAt = token.createdAt
        lastUsedAt = token.lastUsedAt
        revokedAt = token.revokedAt
    }
}


/// An applicant in the pipeline, without their date of birth or statement (those stay on the staff pages).
struct ApplicantDTO: Content {
    let id: UUID
    let fullName: String
    let email: String
    let city: String
    let state: String
    let status: String
    let referredEmployerID: UUID?
    let createdAt: Date

    init(_ applicant: Applicant) throws {
        id = try applicant.requireID()
        fullName = applicant.fullName
        email = applicant.email
        city = applicant.city
        state = applicant.state
        status = applicant.status.rawValue
        referredEmployerID = applicant.$referredEmployer.id
        createdAt = applicant.createdAt
    }
}

/// A registered apprentice's placement and dates (no ETA-671 data).
struct ApprenticeDTO: Content {
    let id: UUID
    let fullName: String
    let email: String
    let status: String
    let programVersionID: UUID
    let employerID: UUID
    let mentorID: UUID
    let userID: UUID?
    let startDate: String
    let probationEnd: String
    let termEnd: String

    init(_ apprentice: Apprentice) throws {
        id = try apprentice.requireID()
        fullName = apprentice.fullName
        email = apprentice.email
        status = apprentice.status.rawValue
        programVersionID = apprentice.$programVersion.id
        employerID = apprentice.$employer.id
        mentorID = apprentice.$mentor.id
        userID = apprentice.$user.id
        startDate = apprentice.startDate
        probationEnd = apprentice.probationEnd
        termEnd = apprentice.termEnd
    }
}
