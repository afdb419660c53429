import Foundation

/// What the completion certificate says. Every string is printed as given: the caller formats dates and
/// takes the issuers and the statement from the program's standards file.
public struct CertificateFacts: Sendable, Equatable {
    public var apprenticeName: String
    public var occupationTitle: String
    public var rapidsCode: String
    public var onetSocCode: String
    public var programTitle: String
    /// Already formatted by the caller, e.g. "November 25, 2026".
    public var completionDate: String
    /// e.g. ["AAMI", "U.S. Department of Labor"]; one signature line is drawn for each.
    public var issuers: [String]
    /// Printed above each issuer's line: who approved for it and when (e.g. "Approved by Dana Whitfield, November 25,
    /// 2026"); nil leaves the line blank for a wet signature.
    public var signedBy: [String?]
    /// e.g. "has completed the registered apprenticeship … issued by AAMI, the program sponsor; …".
    public var statement: String
    /// e.g. "BMET-2026-000123".
    public var certificateNumber: String
    /// Goes into the QR code and is printed small under it.
    public var verifyURL: String

    public init(
        apprenticeName: String,
        occupationTitle: String,
        rapidsCode: String,
        onetSocCode: String,
        programTitle: String,
        completionDate: String,
        issuers: [String],
        signedBy: [String?] = [],
        statement: String,
        certificateNumber: String,
        verifyURL: String
    ) {
        self.apprenticeName = apprenticeName
        self.occupationTitle = occupationTitle
        self.rapidsCode = rapidsCode
        self.onetSocCode = onetSocCode
        self.programTitle = programTitle
        self.completionDate = completionDate
        self.issuers = issuers
        self.signedBy = signedBy
        self.statement = statement
        self.certificateNumber = certificateNumber
        self.verifyURL = verifyURL
    }
}

/// What the transcript lists. Dates are strings formatted by the caller; hours are printed with
/// thousands separators (approved hours keep one decimal when they have a fraction).
public struct TranscriptFacts: Sendable, Equatable {
    /// Hours of one skill set (work process).
    public struct SkillSetLine: Sendable, Equatable {
        public var code: String
        public var title: String
        /// The schedule's hours for the skill set: a plan, not a minimum (completion counts the total).
        public var plannedHours: Int
        public var approvedHours: Double
        public var creditedHours: Int

        public init(code: String, title: String, plannedHours: Int, approvedHours: Double, creditedHours: Int) {
            self.code = code
            self.title = title
            self.plannedHours = plannedHours
            self.approvedHours = approvedHours
            self.creditedHours = creditedHours
        }
    }

    /// One completion requirement of the standards and whether the record meets it.
    public struct RequirementLine: Sendable, Equatable {
        public var label: String
        public var detail: String
        public var met: Bool

        public init(label: String, detail: String, met: Bool) {
            self.label = label
            self.detail = detail
            self.met = met
        }
    }

    /// One competency signed off; `credited` means credit for prior learning rather than a sign-off on the job.
    public struct SkillLine: Sendable, Equatable {
        public var code: String
        public var title: String
        public var signedOffBy: String
        public var signedOffOn: String
        public var credited: Bool

        public init(code: String, title: String, signedOffBy: String, signedOffOn: String, credited: Bool) {
            self.code = code
            self.title = title
            self.signedOffBy = signedOffBy
            self.signedOffOn = signedOffOn
            self.credited = credited
        }
    }

    /// One course of related technical instruction.
    public struct InstructionLine: Sendable, Equatable {
        public var title: String
        public var provider: String
        public var hours: Int
        public var grade: String?
        public var completedOn: String

        public init(title: String, provider: String, hours: Int, grade: String?, completedOn: String) {
            self.title = title
            self.provider = provider
            self.hours = hours
            self.grade = grade
            self.completedOn = completedOn
        }
    }

    /// An industry credential (e.g. CBET) and where it stands.
    public struct CredentialLine: Sendable, Equatable {
        public var name: String
        public var status: String
        public var date: String?
        public var expires: String?

        public init(name: String, status: String, date: String?, expires: String?) {
            self.name = name
            self.status = status
            self.date = date
            self.expires = expires
        }
    }

    /// An interim credential awarded along the way.
    public struct InterimLine: Sendable, Equatable {
        public var name: String
        public var awardedOn: String
        /// The credential's number, which its verification page and its signed file carry.
        public var number: String?

        public init(name: String, awardedOn: String, number: String? = nil) {
            self.name = name
            self.awardedOn = awardedOn
            self.number = number
        }
    }

    public var apprenticeName: String
    public var programTitle: String
    public var occupationTitle: String
    public var rapidsCode: String
    public var sponsor: String
    public var startDate: String
    public var completionDate: String
    public var certificateNumber: String
    public var verifyURL: String
    public var totalHours: Double
    public var minimumHours: Int
    /// The program's "up to" figure, printed apart from the minimum.
    public var maximumHours: Int?
    public var requirements: [RequirementLine]
    public var skillSets: [SkillSetLine]
    public var skills: [SkillLine]
    public var instruction: [InstructionLine]
    public var credentials: [CredentialLine]
    public var interim: [InterimLine]
    /// The U.S. Department of Labor's own Certificate of Completion (number, date), once recorded.
    public var dolCertificate: String?

    public init(
        apprenticeName: String,
        programTitle: String,
        occupationTitle: String,
        rapidsCode: String,
        sponsor: String,
        startDate: String,
        completionDate: String,
        certificateNumber: String,
        verifyURL: String,
        totalHours: Double,
        minimumHours: Int,
        maximumHours: Int? = nil,
        requirements: [RequirementLine] = [],
        skillSets: [SkillSetLine],
        skills: [SkillLine],
        instruction: [InstructionLine],
        credentials: [CredentialLine],
        interim: [InterimLine],
        dolCertificate: String? = nil
    ) {
        self.dolCertificate = dolCertificate
        self.apprenticeName = apprenticeName
        self.programTitle = programTitle
        self.occupationTitle = occupationTitle
        self.rapidsCode = rapidsCode
        self.sponsor = sponsor
        self.startDate = startDate
        self.completionDate = completionDate
        self.certificateNumber = certificateNumber
        self.verifyURL = verifyURL
        self.totalHours = totalHours
        self.minimumHours = minimumHours
        self.maximumHours = maximumHours
        self.requirements = requirements
        self.skillSets = skillSets
        self.skills = skills
        self.instruction = instruction
        self.credentials = credentials
        self.interim = interim
    }
}

public enum DocumentError: Error, Equatable, CustomStringConvertible {
    /// libqrencode refused the text (empty, or too long for any QR version at level M).
    case qrEncodingFailed
    /// Cairo reported an error; the payload is Cairo's own description.
    case cairo(String)

    public var description: String {
        switch self {
        case .qrEncodingFailed: "The text could not be encoded as a QR code."
        case .cairo(let message): "Cairo failed to draw the PDF: \(message)"
        }
    }
}
