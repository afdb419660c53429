import BMETDomain
import Fluent
import Vapor

/// The page models of `ApprenticesController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension ApprenticesController {
    struct FormView: Encodable {
        struct WageRow: Encodable { let step: Int; let title: String; let trigger: String; let percent: String?; let value: String; let error: String? }
        struct CreditRow: Encodable { let code: String; let title: String; let maxHours: Int; let hours: String; let skills: String; let reason: String; let errorHours: String?; let errorSkills: String?; let errorReason: String? }
        let values: [String: String]
        let errors: FieldErrors
        let applicantID: String?
        let applicantName: String?
        let versions: [SelectOption]
        let employers: [SelectOption]
        let mentors: [SelectOption]
        let states: [SelectOption]
        let sexes: [SelectOption]
        let ethnicities: [SelectOption]
        let races: [SelectOption]
        let veterans: [SelectOption]
        let educations: [SelectOption]
        let employments: [SelectOption]
        let careers: [SelectOption]
        let wages: [WageRow]
        let credits: [CreditRow]
        let versionID: String
        let isProgramAdmin: Bool
        let upload: RapidsUploadFields.Choices
    }

    func formView(_ input: RegistrationInput, errors: FieldErrors, actor: User, on db: any Database) async throws -> FormView {
        let versions = try await ProgramVersion.query(on: db).sort(\.$programCode).sort(\.$versionNumber, .descending).all()
        let versionID = input.programVersionID ?? versions.first?.id
        let version = versions.first { $0.id == versionID }
        let standards = try version.map { try StandardsLibrary.standards(of: $0) }
        let employers = try await AccessPolicy.visibleEmployers(to: actor, on: db).sort(\.$name).all()
        let employerID = actor.role == .programAdmin ? input.employerID : actor.employerID
        let mentorQuery = User.query(on: db).filter(\.$role == .mentor).with(\.$employer).sort(\.$fullName)
        if let employerID { mentorQuery.filter(\.$employer.$id == employerID) } else if actor.role != .programAdmin { mentorQuery.filter(\.$employer.$id == UUID()) }
        let mentors = try await mentorQuery.all()
        var applicantName: String?
        if let applicantID = input.applicantID { applicantName = try await Applicant.find(applicantID, on: db)?.fullName }
        let values: [String: String] = RapidsUploadFields.formValues(input).merging([
            "fullName": input.fullName ?? "", "email": input.email ?? "", "startDate": input.startDate ?? "",
            "addressLine1": input.addressLine1 ?? "", "city": input.city ?? "", "zip": input.zip ?? "", "birthDate": input.birthDate ?? "",
            "guardianName": input.guardianName ?? "",
            // The SSN is never sent back to the browser, even after an error.
        ]) { _, typed in typed }
        return FormView(
            values: values, errors: errors, applicantID: input.applicantID?.uuidString, applicantName: applicantName,
            versions: versions.map { SelectOption(value: $0.id?.uuidString ?? "", label: "\($0.title) — version \($0.versionNumber) (\($0.versionLabel))", selected: $0.id == versionID) },
            employers: employers.map { SelectOption(value: $0.id?.uuidString ?? "", label: "\($0.name) (\($0.state))", selected: $0.id == employerID) },
            mentors: mentors.map { SelectOption(value: $0.id?.uuidString ?? "", label: "\($0.fullName)\(actor.role == .programAdmin ? " — \($0.employer?.name ?? "")" : "")", selected: $0.id == input.mentorID) },
            states: SelectOption.states(selected: input.state),
            sexes: SelectOption.all(Sex.self, selected: input.sex, label: \.label),
            ethnicities: SelectOption.all(Ethnicity.self, selected: input.ethnicity, label: \.label),
            races: Race.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: input.races?.contains($0.rawValue) ?? false) },
            veterans: SelectOption.all(VeteranStatus.self, selected: input.veteranStatus, label: \.label),
            educations: SelectOption.of(EducationLevel.choices, selected: input.education, label: \.label),
            employments: SelectOption.all(EmploymentStatus.self, selected: input.employmentStatus, label: \.label),
            careers: SelectOption.of(CareerConnection.choices, selected: input.careerConnection, label: \.label),
            wages: (standards?.wageSchedule ?? []).map { step in
                .init(step: step.step, title: step.title, trigger: step.trigger.summary,
                      percent: step.percentOfJourneyworkerWage.map { String(format: "%.0f%% of the journeyworker wage", $0) },
                      value: input.wageRates?[String(step.step)] ?? "", error: errors["wageRates.\(step.step)"])
            },
            credits: (standards?.skillSets ?? []).map { set in
                .init(code: set.code, title: set.title, maxHours: set.hours, hours: input.creditHours?[set.code] ?? "",
                      skills: input.creditSkills?[set.code] ?? "", reason: input.creditReasons?[set.code] ?? "",
                      errorHours: errors["creditHours.\(set.code)"], errorSkills: errors["creditSkills.\(set.code)"], errorReason: errors["creditReasons.\(set.code)"])
            },
            versionID: versionID?.uuidString ?? "", isProgramAdmin: actor.role == .programAdmin, upload: .init(input))
    }

    struct DetailView: Encodable {
        struct Wage: Encodable { let step: Int; let title: String; let trigger: String; let rate: String }
        struct Credit: Encodable { let code: String; let hours: Int; let skills: String; let reason: String; let by: String; let when: String }
        struct Signature: Encodable { let party: String; let name: String?; let when: String? }
        struct Event: Encodable { let when: String; let kind: String; let to: String; let note: String; let who: String; let reason: String?; let duringProbation: Bool }
        let id: String; let name: String; let email: String
        let status: String; let statusCode: String
        let program: String; let programID: String; let employer: String; let mentor: String; let mentorEmail: String
        let startDate: String; let probationEnd: String; let termEnd: String
        let registration: [String: String]?
        /// What the RAPIDS upload layout adds, label and value, shown with the registration data.
        var uploadFacts: [SelectOption] = []
        let wages: [Wage]; let credits: [Credit]; let signatures: [Signature]; let events: [Event]
        let hasAccount: Bool; let registered: Bool
        let actions: [SelectOption]; let reasons: [SelectOption]; let employers: [SelectOption]; let mentors: [SelectOption]
        let canSign: Bool; let errors: FieldErrors; let nextStep: String?
        let header: RecordHeader; let progress: ProgressView?
        var canCorrectRegistration = false
    }

    func detail(_ apprentice: Apprentice, actor: User, errors: FieldErrors = [:], registered: Bool = false, on db: any Database) async throws -> DetailView {
        let id = try apprentice.requireID()
        let wages = try await ApprenticeWageStep.query(on: db).filter(\.$apprentice.$id == id).sort(\.$step).all()
        let credits = try await PriorLearningCredit.query(on: db).filter(\.$apprentice.$id == id).with(\.$grantedBy).all()
        let signatures = try await AgreementSignature.query(on: db).filter(\.$apprentice.$id == id).all()
        let events = try await ApprenticeEvent.query(on: db).filter(\.$apprentice.$id == id).with(\.$actor).sort(\.$createdAt).all()
        // ETA-671 data is for the sponsor and the employer; the apprentice sees their own.
        var registration: [String: String]?
        var uploadFacts: [SelectOption] = []
        if actor.role != .mentor, let data = try await RegistrationData.query(on: db).filter(\.$apprentice.$id == id).first() {
            uploadFacts = RapidsUploadFields.summary(data, fullName: apprentice.fullName).map { SelectOption(value: $0.value, label: $0.label) }
            registration = [
                "address": "\(data.addressLine1), \(data.city), \(data.state) \(data.zip)", "birthDate": data.birthDate,
                "sex": data.sex.label, "ethnicity": data.ethnicity.label,
                "races": data.races.split(separator: ",").compactMap { Race(rawValue: String($0))?.label }.joined(separator: ", "),
                "veteran": data.veteranStatus.label, "education": data.education.label, "employment": data.employmentStatus.label,
                "career": data.careerConnection.label, "ssn": data.maskedSSN ?? "not given",
                "guardian": data.guardianName ?? "",
            ]
        }
        let party = ApprenticeRecords.party(of: actor, for: apprentice)
        let canSign = apprentice.status == .pendingAgreement && party != nil && !signatures.contains { $0.party == party }
        var actions: [ApprenticeRecords.Action] = []
        if actor.role == .programAdmin || (actor.role == .employerAdmin && actor.employerID == apprentice.$employer.id) {
            let lifecycleActor: ApprenticeLifecycle.Actor = actor.role == .programAdmin ? .programAdmin : .employerAdmin
            for action in ApprenticeRecords.Action.allCases {
                let transition: ApprenticeLifecycle.Transition = switch action {
                case .endProbation: .endProbation
                case .suspend: .suspend
                case .reinstate: .reinstate
                case .cancel: .cancel(.other)
                case .transfer: .transfer
                }
                if case .success = ApprenticeLifecycle.apply(transition, to: apprentice.status, by: lifecycleActor) { actions.append(action) }
            }
        }
        let otherEmployers = actions.contains(.transfer)
            ? try await Employer.query(on: db).filter(\.$id != apprentice.$employer.id).sort(\.$name).all() : []
        let otherMentors = actions.contains(.transfer)
            ? try await User.query(on: db).filter(\.$role == .mentor).filter(\.$employer.$id != apprentice.$employer.id).with(\.$employer).sort(\.$fullName).all() : []
        var nextStep: String?
        if apprentice.status == .pendingAgreement {
            let missing = AgreementSignature.Party.allCases.filter { p in !signatures.contains { $0.party == p } }.map(\.label)
            nextStep = canSign ? "Read and sign the apprenticeship agreement." : "Waiting for signatures: \(missing.joined(separator: ", "))."
        }
        var view = DetailView(
            id: id.uuidString, name: apprentice.fullName, email: apprentice.email,
            status: apprentice.status.label, statusCode: apprentice.status.rawValue,
            program: "\(apprentice.programVersion.title) — version \(apprentice.programVersion.versionNumber)",
            programID: try apprentice.programVersion.requireID().uuidString,
            employer: apprentice.employer.name, mentor: apprentice.mentor.fullName, mentorEmail: apprentice.mentor.email,
            startDate: apprentice.startDate, probationEnd: apprentice.probationEnd, termEnd: apprentice.termEnd,
            registration: registration,
            wages: wages.map { .init(step: $0.step, title: $0.title, trigger: $0.triggerSummary, rate: Money.text($0.hourlyRateCents)) },
            credits: credits.map { .init(code: $0.skillSetCode, hours: $0.hours, skills: $0.skillCodes.replacingOccurrences(of: ",", with: ", "),
                                         reason: $0.reason, by: $0.grantedBy.fullName, when: DateText.dateTime($0.createdAt)) },
            signatures: AgreementSignature.Party.allCases.map { p in
                let s = signatures.first { $0.party == p }
                return .init(party: p.label, name: s?.typedName, when: s.map { DateText.dateTime($0.signedAt) })
            },
            events: events.map { .init(when: DateText.dateTime($0.createdAt), kind: $0.kind.replacingOccurrences(of: "_", with: " "), to: $0.toStatus.label,
                                       note: $0.note, who: $0.actor?.fullName ?? "The platform", reason: $0.reason?.label, duringProbation: $0.duringProbation) },
            hasAccount: apprentice.$user.id != nil, registered: registered,
            actions: actions.map { SelectOption(value: $0.rawValue, label: $0.label, selected: false) },
            reasons: CancellationReason.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: false) },
            employers: otherEmployers.map { SelectOption(value: $0.id?.uuidString ?? "", label: "\($0.name) (\($0.state))", selected: false) },
            mentors: otherMentors.map { SelectOption(value: $0.id?.uuidString ?? "", label: "\($0.fullName) — \($0.employer?.name ?? "")", selected: false) },
            canSign: canSign, errors: errors, nextStep: nextStep,
            header: RecordHeader(apprentice, current: .overview),
            progress: apprentice.status == .pendingAgreement ? nil
                : ProgressView(try await ProgressReader.progress(of: apprentice, on: db), hours: try await HourStates.read(try apprentice.requireID(), on: db)))
        view.uploadFacts = uploadFacts
        return view
    }

    struct AgreementView: Encodable {
        let record: DetailView
        let standards: ProgramStandards
        let courseHours: Int
        let sponsor: String
        let typedName: String
    }

    func agreementView(_ apprentice: Apprentice, actor: User, errors: FieldErrors = [:], typedName: String = "", on db: any Database) async throws -> AgreementView {
        let standards = try StandardsLibrary.standards(of: apprentice.programVersion)
        return AgreementView(record: try await detail(apprentice, actor: actor, errors: errors, on: db), standards: standards,
                             courseHours: standards.totalCourseHours, sponsor: standards.sponsor, typedName: typedName)
    }
}
