import BMETDomain
import Fluent
import Vapor

/// The JSON API under `/api/v1`, described by `Resources/openapi.json` (a test keeps the two in step).
/// Every route needs a bearer token; each one checks the caller's role and employer.
struct APIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(BearerTokenAuthenticator())
        let everyone = api.grouped(RoleGuard.anySignedIn(api: true))
        everyone.get("me", use: me)
        everyone.get("programs", use: programs)
        everyone.get("programs", ":versionID", use: program)
        everyone.get("tokens", use: tokens)
        everyone.delete("tokens", ":tokenID", use: revokeToken)
        // Apprentice records: not a provider's staff, who reach their students' instruction alone.
        let anyone = api.grouped(RoleGuard(api: true))
        anyone.get("apprentices", use: apprentices)
        anyone.get("apprentices", ":apprenticeID", use: apprentice)

        let staff = api.grouped(RoleGuard(.programAdmin, .employerAdmin, .mentor, api: true))
        staff.get("people", use: people)
        staff.get("people", ":userID", use: person)

        let managers = api.grouped(RoleGuard(.programAdmin, .employerAdmin, api: true))
        managers.get("employers", use: employers)
        managers.get("employers", ":employerID", use: employer)
        managers.get("invitations", use: invitations)
        managers.post("invitations", use: invite)
        managers.get("applicants", use: applicants)

        let admins = api.grouped(RoleGuard(.programAdmin, api: true))
        admins.post("employers", use: createEmployer)
        admins.on(.POST, "programs", body: .collect(maxSize: "4mb"), use: loadProgram)
    }

    struct List<Item: Content>: Content { let items: [Item] }

    @Sendable func me(req: Request) async throws -> UserDTO {
        try UserDTO(try req.actor)
    }

    @Sendable func people(req: Request) async throws -> List<UserDTO> {
        let query = AccessPolicy.visibleUsers(to: try req.actor, on: req.db).sort(\.$fullName)
        if let role = req.query[String.self, at: "role"] {
            guard let role = Role(rawValue: role) else {
                throw ValidationFailure(errors: ["role": "Use one of: \(Role.allCases.map(\.rawValue).joined(separator: ", "))."])
            }
            query.filter(\.$role == role)
        }
        return List(items: try await query.all().map(UserDTO.init))
    }

    @Sendable func person(req: Request) async throws -> UserDTO {
        guard let id = req.parameters.get("userID", as: UUID.self),
              let user = try await AccessPolicy.visibleUsers(to: try req.actor, on: req.db).filter(\.$id == id).first()
        else { throw Abort(.notFound, reason: "No person with this id is visible to you.") }
        return try UserDTO(user)
    }

    @Sendable func employers(req: Request) async throws -> List<EmployerDTO> {
        List(items: try await AccessPolicy.visibleEmployers(to: try req.actor, on: req.db).sort(\.$name).all().map(EmployerDTO.init))
    }

    @Sendable func employer(req: Request) async throws -> EmployerDTO {
        guard let id = req.parameters.get("employerID", as: UUID.self),
              let employer = try await AccessPolicy.visibleEmployers(to: try req.actor, on: req.db).filter(\.$id == id).first()
        else { throw Abort(.notFound, reason: "No employer with this id is visible to you.") }
        return try EmployerDTO(employer)
    }

    @Sendable func createEmployer(req: Request) async throws -> Response {
        let input = try req.content.decode(EmployerInput.self)
        let employer = try await EmployerDirectory.create(input, by: try req.actor, on: req.db)
        return try await EmployerDTO(employer).encodeResponse(status: .created, for: req)
    }

    @Sendable func invitations(req: Request) async throws -> List<InvitationDTO> {
        let actor = try req.actor
        let query = Invitation.query(on: req.db).sort(\.$createdAt, .descending)
        if actor.role != .programAdmin { query.filter(\.$employer.$id == (actor.employerID ?? UUID())) }
        return List(items: try await query.all().map(InvitationDTO.init))
    }

    @Sendable func invite(req: Request) async throws -> Response {
        let input = try req.content.decode(InvitationInput.self)
        let invitation = try await Invitations.invite(input, by: try req.actor, app: req.application, on: req.db)
        return try await InvitationDTO(invitation).encodeResponse(status: .created, for: req)
    }

    @Sendable func programs(req: Request) async throws -> List<ProgramVersionDTO> {
        let versions = try await ProgramVersion.query(on: req.db).sort(\.$programCode).sort(\.$versionNumber, .descending).all()
        return List(items: try versions.map { try ProgramVersionDTO($0) })
    }

    @Sendable func program(req: Request) async throws -> ProgramVersionDTO {
        guard let id = req.parameters.get("versionID", as: UUID.self),
              let version = try await ProgramVersion.query(on: req.db).filter(\.$id == id).with(\.$skillSets, { $0.with(\.$skills) }).first()
        else { throw Abort(.notFound, reason: "No program version with this id.") }
        let sets = version.skillSets.sorted { $0.position < $1.position }
            .map { ProgramVersionDTO.SkillSetDTO(code: $0.code, title: $0.title, requiredHours: $0.requiredHours, skillCount: $0.skills.count) }
        return try ProgramVersionDTO(version, skillSets: sets)
    }

    /// The body is the standards document itself.
    @Sendable func loadProgram(req: Request) async throws -> Response {
        guard let body = req.body.data, body.readableBytes > 0 else {
            throw ValidationFailure(errors: ["$": "Send the standards document (JSON) as the request body."], message: "The request has no body.")
        }
        do {
            let version = try await StandardsLibrary.load(Data(buffer: body), loadedBy: try req.actor, on: req.db)
            return try await ProgramVersionDTO(version).encodeResponse(status: .created, for: req)
        } catch StandardsLibrary.LoadError.invalid(let issues) {
            throw ValidationFailure(errors: Dictionary(issues.map { ($0.path, $0.message) }, uniquingKeysWith: { "\($0) \($1)" }),
                                    message: "The standards document was refused: \(issues.count) problem\(issues.count == 1 ? "" : "s"). Nothing was loaded.")
        } catch StandardsLibrary.LoadError.duplicate(let existing) {
            throw Abort(.conflict, reason: "This document is identical to version \(existing.versionNumber) of \(existing.programCode); nothing was loaded.")
        }
    }

    @Sendable func applicants(req: Request) async throws -> List<ApplicantDTO> {
        let query = try Applications.visible(to: try req.actor, on: req.db).sort(\.$createdAt, .descending)
        if let raw = req.query[String.self, at: "status"] {
            guard let status = ApplicantStatus(rawValue: raw) else {
                throw ValidationFailure(errors: ["status": "Use one of: \(ApplicantStatus.allCases.map(\.rawValue).joined(separator: ", "))."])
            }
            query.filter(\.$status == status)
        }
        return List(items: try await query.limit(1000).all().map(ApplicantDTO.init))
    }

    @Sendable func apprentices(req: Request) async throws -> List<ApprenticeDTO> {
        List(items: try await ApprenticeRecords.visible(to: try req.actor, on: req.db).sort(\.$fullName).all().map(ApprenticeDTO.init))
    }

    @Sendable func apprentice(req: Request) async throws -> ApprenticeDTO {
        try ApprenticeDTO(try await ApprenticeRecords.find(req.parameters.get("apprenticeID", as: UUID.self), visibleTo: try req.actor, on: req.db))
    }

    @Sendable func tokens(req: Request) async throws -> List<APITokenDTO> {
        let tokens = try await APIToken.query(on: req.db).filter(\.$user.$id == req.actor.requireID()).sort(\.$createdAt, .descending).all()
        return List(items: try tokens.map(APITokenDTO.init))
    }

    @Sendable func revokeToken(req: Request) async throws -> HTTPStatus {
        guard let id = req.parameters.get("tokenID", as: UUID.self) else { throw Abort(.notFound) }
        try await APITokens.revoke(id: id, of: try req.actor, on: req.db)
        return .noContent
    }
}
