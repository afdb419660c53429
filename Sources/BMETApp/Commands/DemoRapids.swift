import BMETDomain
import Fluent
import Vapor

extension DemoData {
    /// Who is deliberately incomplete for RAPIDS, for the seed's output and the tests.
    static let incompleteForRAPIDS = (email: accounts[4].email, missing: "street address and ZIP code")
    /// The demo's provider of related technical instruction (made up, like the rest of the demo).
    static let rtiProvider = "Demo Community College, Biomedical Equipment Technology"

    /// Priya started three months ago and everyone signed, but her registration came from a paper form without a
    /// street address or ZIP code: the RAPIDS validation report must flag her and link to the page that fixes it.
    static func seedIncompleteRegistration(app: Application, admin: User) async throws {
        let db = app.db
        guard let version = try await ProgramVersion.query(on: db).sort(\.$versionNumber, .descending).first(),
              let user = try await User.query(on: db).filter(\.$email == incompleteForRAPIDS.email).first(),
              let mentor = try await User.query(on: db).filter(\.$email == accounts[8].email).first(),
              let employerAdmin = try await User.query(on: db).filter(\.$email == accounts[1].email).first()
        else { return }
        let start = ProgramCalendar.adding(months: -3, to: ProgramCalendar.today())
        let apprentice = try await Registrations.register(RegistrationInput(
            fullName: user.fullName, email: user.email, programVersionID: version.id, employerID: user.employerID, mentorID: mentor.id,
            startDate: ProgramCalendar.dayString(start), addressLine1: "1200 Binz St", city: "Houston", state: "TX", zip: "77004",
            birthDate: "1998-11-20", sex: Sex.female.rawValue, ethnicity: Ethnicity.notHispanicOrLatino.rawValue, races: [Race.asian.rawValue],
            veteranStatus: VeteranStatus.notVeteran.rawValue, education: EducationLevel.associate.rawValue,
            employmentStatus: EmploymentStatus.existingEmployee.rawValue, careerConnection: CareerConnection.careerTechnicalEducation.rawValue,
            ssn: nil, guardianName: nil,
            wageRates: ["1": "19.00", "2": "20.00", "3": "21.50", "4": "22.25", "5": "24.00"],
            middleName: "Lakshmi", priorWage: "36,500", priorWageUnit: WageUnit.annually.rawValue, wioaParticipant: "no", taaParticipant: "no",
            studentStatus: StudentStatus.notApplicable.rawValue, relatedTrainingCreditHours: "24", rtiProvider: rtiProvider), by: employerAdmin, app: app, on: db)
        for signer in [user, employerAdmin, admin] {
            try await ApprenticeRecords.sign(apprentice, typedName: signer.fullName, by: signer, ip: nil, on: db)
        }
        // The paper form's gaps, as an import would have left them.
        try await RegistrationData.query(on: db).filter(\.$apprentice.$id == apprentice.requireID())
            .set(\.$addressLine1, to: "").set(\.$zip, to: "").update()
    }
}
