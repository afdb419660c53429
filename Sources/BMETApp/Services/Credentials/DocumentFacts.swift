import BMETDocuments
import BMETDomain
import Fluent
import Vapor

/// What the certificate and transcript PDFs print, read from the (frozen) record.
enum DocumentFacts {
    static func longDate(_ day: String) -> String {
        guard let date = ProgramCalendar.day(day) else { return day }
        var style = Date.FormatStyle(date: .long, time: .omitted, locale: Locale(identifier: "en_US"))
        style.timeZone = TimeZone(identifier: "UTC")!
        return date.formatted(style)
    }

    static func certificate(_ certificate: IssuedCredential, apprentice: Apprentice, settings: AppSettings, on db: any Database) async throws -> CertificateFacts {
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        // Only the sponsor's key signs, so only the sponsor is named as issuer; the Department of Labor issues its own
        // Certificate of Completion of Apprenticeship through RAPIDS, and nobody signs for it.
        let approval = try await CompletionRequest.query(on: db).filter(\.$apprentice.$id == apprentice.requireID()).filter(\.$status == .approved)
            .with(\.$decidedBy).sort(\.$decidedAt, .descending).first()
        let signed = approval.flatMap { request in
            request.decidedAt.map { "Approved by \(request.decidedBy?.fullName ?? "the sponsor"), \(longDate(ProgramCalendar.dayString($0)))" }
        }
        return CertificateFacts(
            apprenticeName: apprentice.fullName, occupationTitle: standards.occupation.title, rapidsCode: standards.occupation.rapidsCode,
            onetSocCode: standards.occupation.onetSocCode, programTitle: standards.title, completionDate: longDate(certificate.awardedOn),
            issuers: [standards.sponsor], signedBy: [signed],
            statement: "has completed the registered apprenticeship in the occupation named below, trained to \(standards.sponsor)'s recommended minimum competencies and standards. This certificate is issued by \(standards.sponsor), the program sponsor. The apprenticeship is registered with the U.S. Department of Labor (RAPIDS occupation \(standards.occupation.rapidsCode)), which issues its own Certificate of Completion of Apprenticeship" + (apprentice.dolCertificateNumber.map { " (no. \($0))" } ?? "") + ".",
            certificateNumber: certificate.number, verifyURL: CredentialIssuance.verifyURL(certificate.number, settings: settings))
    }

    static func transcript(_ apprentice: Apprentice, certificate: IssuedCredential?, settings: AppSettings, on db: any Database) async throws -> TranscriptFacts {
        let id = try apprentice.requireID()
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        let progress = try await ProgressReader.progress(of: apprentice, on: db)
        // The assessment that signed each skill off: the latest one that did.
        let signing = try await SkillAssessment.query(on: db).filter(\.$apprentice.$id == id).filter(\.$signsOff == true).with(\.$assessor).sort(\.$createdAt).all()
        var signedBy: [String: SkillAssessment] = [:]
        for assessment in signing { signedBy[assessment.skillCode] = assessment }
        let states = Dictionary(try await SkillState.query(on: db).filter(\.$apprentice.$id == id).all().map { ($0.skillCode, $0.signsOff) }, uniquingKeysWith: { $1 })
        let credited = Set(try await PriorLearningCredit.query(on: db).filter(\.$apprentice.$id == id).all().flatMap { $0.skillCodes.split(separator: ",").map(String.init) })
        var skills: [TranscriptFacts.SkillLine] = []
        for set in standards.skillSets {
            for skill in set.skills {
                if states[skill.code] == true, let assessment = signedBy[skill.code] {
                    skills.append(.init(code: skill.code, title: skill.title, signedOffBy: assessment.assessor.fullName,
                                        signedOffOn: ProgramCalendar.dayString(assessment.createdAt), credited: false))
                } else if credited.contains(skill.code) {
                    skills.append(.init(code: skill.code, title: skill.title, signedOffBy: "Credit for prior learning", signedOffOn: apprentice.startDate, credited: true))
                }
            }
        }
        let records = try await InstructionRecord.query(on: db).filter(\.$apprentice.$id == id).sort(\.$createdAt).all()
        var latest: [String: InstructionRecord] = [:]
        for record in records { latest[record.courseCode] = record }
        let instruction = standards.courses.compactMap { course -> TranscriptFacts.InstructionLine? in
            guard let record = latest[course.code], record.status == .completed else { return nil }
            return .init(title: course.title, provider: record.provider, hours: record.hours ?? 0, grade: record.grade, completedOn: record.eventDate)
        }
        let interim = try await IssuedCredential.query(on: db).filter(\.$apprentice.$id == id).filter(\.$kind == .interim).sort(\.$createdAt).all()
        return TranscriptFacts(
            apprenticeName: apprentice.fullName, programTitle: standards.title, occupationTitle: standards.occupation.title,
            rapidsCode: standards.occupation.rapidsCode, sponsor: standards.sponsor, startDate: longDate(apprentice.startDate),
            completionDate: certificate.map { longDate($0.awardedOn) } ?? "In progress",
            certificateNumber: certificate?.number ?? "—", verifyURL: certificate.map { CredentialIssuance.verifyURL($0.number, settings: settings) } ?? settings.baseURL + "/verify",
            totalHours: progress.totalHours, minimumHours: progress.minimumHours, maximumHours: progress.maximumHours,
            requirements: progress.requirements.map { .init(label: $0.label, detail: $0.detail, met: $0.met) },
            skillSets: progress.skillSets.map { .init(code: $0.code, title: $0.title, plannedHours: $0.requiredHours, approvedHours: $0.approvedHours, creditedHours: $0.creditedHours) },
            skills: skills, instruction: instruction,
            credentials: progress.credentials.map { .init(name: $0.name, status: $0.isExpired ? "Expired" : ($0.status?.label ?? "Not recorded"),
                                                          date: $0.date.map(ProgramCalendar.dayString), expires: $0.expires.map(ProgramCalendar.dayString)) },
            interim: interim.map { .init(name: $0.name, awardedOn: $0.awardedOn, number: $0.number) },
            dolCertificate: apprentice.dolCertificateNumber.map { "No. \($0)" + (apprentice.dolCertificateDate.map { ", \(longDate($0))" } ?? "") })
    }
}
