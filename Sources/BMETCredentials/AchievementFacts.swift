import Foundation

/// Who issues: the program sponsor's Open Badges `Profile`.
public struct IssuerProfile: Sendable, Hashable {
    /// A URL that identifies the issuer (and, ideally, serves its profile). It is also the JWT `iss` claim.
    public var id: String
    public var name: String
    /// The issuer's home page.
    public var url: String
    public var email: String?

    public init(id: String, name: String, url: String, email: String? = nil) {
        self.id = id
        self.name = name
        self.url = url
        self.email = email
    }
}

/// An entry of a public framework an achievement lines up with (an O*NET-SOC occupation, a RAPIDS occupation code).
public struct Alignment: Sendable, Hashable {
    public var targetName: String
    public var targetURL: String
    public var targetCode: String?
    public var targetFramework: String?
    /// An Open Badges 3.0 `AlignmentTargetType`, or an `ext:` value.
    public var targetType: String?

    public init(
        targetName: String, targetURL: String, targetCode: String? = nil, targetFramework: String? = nil,
        targetType: String? = nil
    ) {
        self.targetName = targetName
        self.targetURL = targetURL
        self.targetCode = targetCode
        self.targetFramework = targetFramework
        self.targetType = targetType
    }
}

/// Where a credential's revocation bit lives: bit `index` of the Bitstring Status List credential published at
/// `listCredentialURL`.
public struct StatusEntry: Sendable, Hashable {
    public var listCredentialURL: String
    public var index: Int

    public init(listCredentialURL: String, index: Int) {
        self.listCredentialURL = listCredentialURL
        self.index = index
    }
}

/// Everything the program knows about one achievement of one apprentice: what `OpenBadges.credential(_:)` turns
/// into an `OpenBadgeCredential`.
public struct AchievementFacts: Sendable, Hashable {
    /// The credential's id: a URL that resolves to its public verification record (or a `urn:uuid:`). It is also the JWT `jti` claim.
    public var credentialID: String
    public var issuer: IssuerProfile
    /// Written in the credential as an `IdentityObject` of type `name`, in plain text (a name is shown to whoever
    /// the apprentice shares the credential with).
    public var subjectName: String
    /// Written only as a salted SHA-256 `IdentityObject` (`emailAddress`), never in plain text: whoever knows the
    /// address can check it matches, nobody can read it off the credential.
    public var subjectEmail: String?
    /// A URI for the apprentice (a stable `urn:uuid:`, or a DID from their wallet): `credentialSubject.id` and the
    /// JWT `sub` claim, which Open Badges 3.0 §8.2 requires. Without it the subject is known by `identifier` alone
    /// and the token has no `sub`.
    public var subjectID: String?
    public var achievementID: String
    public var achievementName: String
    public var achievementDescription: String
    public var criteriaNarrative: String
    /// An Open Badges 3.0 `AchievementType`: `ApprenticeshipCertificate` for the completion, e.g. `Certificate`,
    /// `Competency` or `Assessment` for milestones; `ext:`-prefixed values for anything else.
    public var achievementType: String
    public var validFrom: Date
    public var validUntil: Date?
    public var status: StatusEntry?
    public var evidenceNarrative: String?
    public var alignments: [Alignment]
    /// Salt for the e-mail hash; nil draws a fresh random one per credential, so two credentials of the same
    /// apprentice cannot be linked through it.
    public var emailSalt: String?

    public init(
        credentialID: String, issuer: IssuerProfile, subjectName: String, subjectEmail: String? = nil,
        subjectID: String? = nil, achievementID: String, achievementName: String, achievementDescription: String,
        criteriaNarrative: String, achievementType: String, validFrom: Date, validUntil: Date? = nil,
        status: StatusEntry? = nil, evidenceNarrative: String? = nil, alignments: [Alignment] = [],
        emailSalt: String? = nil
    ) {
        self.alignments = alignments
        self.credentialID = credentialID
        self.issuer = issuer
        self.subjectName = subjectName
        self.subjectEmail = subjectEmail
        self.subjectID = subjectID
        self.achievementID = achievementID
        self.achievementName = achievementName
        self.achievementDescription = achievementDescription
        self.criteriaNarrative = criteriaNarrative
        self.achievementType = achievementType
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.status = status
        self.evidenceNarrative = evidenceNarrative
        self.emailSalt = emailSalt
    }
}
