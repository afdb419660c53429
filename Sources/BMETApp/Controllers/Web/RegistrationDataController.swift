import BMETDomain
import Fluent
import Vapor

/// The page that fixes an apprentice's registration data; the RAPIDS validation report links here, to the field.
struct RegistrationDataController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RoleGuard(.programAdmin, .employerAdmin))
        staff.get("apprentices", ":apprenticeID", "registration", use: form)
        staff.post("apprentices", ":apprenticeID", "registration", use: save)
    }

    private func apprentice(_ req: Request) async throws -> Apprentice {
        let apprentice = try await req.visibleApprentice()
        guard RegistrationCorrections.mayCorrect(try req.actor, apprentice) else {
            throw Abort(.forbidden, reason: "Only the sponsor or the apprentice's employer can correct registration data.")
        }
        return apprentice
    }

    @Sendable func form(req: Request) async throws -> Response {
        let apprentice = try await apprentice(req)
        let data = try await RegistrationData.query(on: req.db).filter(\.$apprentice.$id == apprentice.requireID()).first()
        var input = RegistrationCorrectionInput(fullName: apprentice.fullName, addressLine1: data?.addressLine1, city: data?.city, state: data?.state,
                                                zip: data?.zip, birthDate: data?.birthDate, guardianName: data?.guardianName)
        // What is stored, as the form shows it (an answer no longer offered shows as "Choose…").
        input.education = data?.education.rawValue
        input.careerConnection = data?.careerConnection.rawValue
        input.firstName = data?.firstName
        input.middleName = data?.middleName
        input.lastName = data?.lastName
        input.suffix = data?.suffix
        input.priorWage = data?.priorWageCents.map { String(format: "%d.%02d", $0 / 100, $0 % 100) }
        input.priorWageUnit = data?.priorWageUnit
        input.wioaParticipant = data?.wioaParticipant.map { $0 ? "yes" : "no" }
        input.wioaType = data?.wioaType
        input.taaParticipant = data?.taaParticipant.map { $0 ? "yes" : "no" }
        input.studentStatus = data?.studentStatus
        input.ojtFundingSources = data?.ojtFundingSources
        input.relatedTrainingCreditHours = data?.relatedTrainingCreditHours.map(String.init)
        input.rtiProvider = data?.rtiProvider
        return try await req.render("registration", title: "Registration data — \(apprentice.fullName)", try await view(apprentice, input, errors: [:], on: req.db))
    }

    @Sendable func save(req: Request) async throws -> Response {
        let apprentice = try await apprentice(req)
        let input = try req.formInput(RegistrationCorrectionInput.self)
        do {
            try req.refuseFormProblems()
            try await RegistrationCorrections.correct(apprentice, input, by: try req.actor, app: req.application, on: req.db)
            return req.redirect(to: "/apprentices/\(try apprentice.requireID())")
        } catch let failure as ValidationFailure {
            var blank = input
            blank.ssn = nil // never echo an SSN back into a page
            return try await req.render("registration", title: "Registration data — \(apprentice.fullName)",
                                        try await view(apprentice, blank, errors: failure.errors, on: req.db), status: .unprocessableEntity)
        }
    }
}
