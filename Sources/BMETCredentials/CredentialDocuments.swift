import Foundation

// The JSON documents, as Codable types whose encoding is exactly the Open Badges 3.0 / CLR 2.0 / Bitstring Status
// List shape. Optional members that are nil are left out (synthesized Codable uses encodeIfPresent).

/// A credential that can be signed as a VC-JWT: what the JWT registered claims are taken from.
public protocol VerifiableCredentialDocument: Codable, Sendable {
    var id: String { get }
    var issuerID: String { get }
    var validFrom: String { get }
    var validUntil: String? { get }
    /// `credentialSubject.id`, when the subject has one (the JWT `sub` claim).
    var subjectID: String? { get }
}

extension VerifiableCredentialDocument {
    /// The unsigned credential as JSON (sorted keys, unescaped slashes), e.g. to show or store it.
    public func jsonData(prettyPrinted: Bool = false) throws -> Data {
        try (prettyPrinted ? CredentialJSON.prettyEncoder : CredentialJSON.encoder).encode(self)
    }

    /// The unsigned credential as a JSON value.
    public func jsonValue() throws -> JSONValue {
        try JSONValue(encoding: self)
    }
}

public enum CredentialContext {
    public static let verifiableCredentialsV2 = "https://www.w3.org/ns/credentials/v2"
    public static let openBadgesV3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    public static let clrV2 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
}

/// An Open Badges 3.0 `Profile`.
public struct ProfileDocument: Codable, Sendable, Hashable {
    public var id: String
    public var type: [String] = ["Profile"]
    public var name: String
    public var url: String?
    public var email: String?

    public init(_ issuer: IssuerProfile) {
        id = issuer.id
        name = issuer.name
        url = issuer.url
        email = issuer.email
    }
}

/// An Open Badges 3.0 `IdentityObject`.
public struct IdentityObject: Codable, Sendable, Hashable {
    public var type = "IdentityObject"
    public var identityType: String
    public var hashed: Bool
    public var identityHash: String
    public var salt: String?

    public init(identityType: String, hashed: Bool, identityHash: String, salt: String? = nil) {
        self.identityType = identityType
        self.hashed = hashed
        self.identityHash = identityHash
        self.salt = salt
    }
}

/// A `credentialSchema` entry: the 1EdTech JSON Schema the credential conforms to.
public struct CredentialSchemaDocument: Codable, Sendable, Hashable {
    public var id: String
    public var type = "1EdTechJsonSchemaValidator2019"

    public static let achievementCredential = CredentialSchemaDocument(
        id: "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json")
    public static let clrCredential = CredentialSchemaDocument(
        id: "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json")
}

/// An Open Badges 3.0 `Alignment`: the achievement lines up with an entry of a public framework.
public struct AlignmentDocument: Codable, Sendable, Hashable {
    public var type: [String] = ["Alignment"]
    public var targetName: String
    public var targetUrl: String
    public var targetCode: String?
    public var targetFramework: String?
    public var targetType: String?

    public init(_ alignment: Alignment) {
        targetName = alignment.targetName
        targetUrl = alignment.targetURL
        targetCode = alignment.targetCode
        targetFramework = alignment.targetFramework
        targetType = alignment.targetType
    }
}

public struct CriteriaDocument: Codable, Sendable, Hashable {
    public var narrative: String
}

public struct AchievementDocument: Codable, Sendable, Hashable {
    public var id: String
    public var type: [String] = ["Achievement"]
    public var name: String
    public var description: String
    public var criteria: CriteriaDocument
    public var achievementType: String
    public var alignment: [AlignmentDocument]?
}

public struct AchievementSubjectDocument: Codable, Sendable, Hashable {
    public var id: String?
    public var type: [String] = ["AchievementSubject"]
    public var identifier: [IdentityObject]
    public var achievement: AchievementDocument
}

public struct EvidenceDocument: Codable, Sendable, Hashable {
    public var type: [String] = ["Evidence"]
    public var narrative: String
}

/// A `BitstringStatusListEntry` (Bitstring Status List v1.0): `statusListIndex` is a string of digits.
public struct StatusEntryDocument: Codable, Sendable, Hashable {
    public var id: String
    public var type = "BitstringStatusListEntry"
    public var statusPurpose = "revocation"
    public var statusListIndex: String
    public var statusListCredential: String

    public init(_ entry: StatusEntry) {
        id = "\(entry.listCredentialURL)#\(entry.index)"
        statusListIndex = String(entry.index)
        statusListCredential = entry.listCredentialURL
    }
}

/// An Open Badges 3.0 `OpenBadgeCredential`.
public struct OpenBadgeCredential: VerifiableCredentialDocument, Hashable {
    public var context: [String] = [CredentialContext.verifiableCredentialsV2, CredentialContext.openBadgesV3]
    public var id: String
    public var type: [String] = ["VerifiableCredential", "OpenBadgeCredential"]
    public var issuer: ProfileDocument
    public var validFrom: String
    public var validUntil: String?
    public var name: String
    public var credentialSubject: AchievementSubjectDocument
    public var credentialStatus: StatusEntryDocument?
    public var evidence: [EvidenceDocument]?
    public var credentialSchema: [CredentialSchemaDocument] = [.achievementCredential]

    enum CodingKeys: String, CodingKey {
        case context = "@context"
        case id, type, issuer, validFrom, validUntil, name, credentialSubject, credentialStatus, evidence, credentialSchema
    }

    public var issuerID: String { issuer.id }
    public var subjectID: String? { credentialSubject.id }
}

/// A CLR 2.0 `ClrSubject`: the learner, and the achievement credentials the record bundles.
public struct ClrSubjectDocument: Codable, Sendable, Hashable {
    public var id: String?
    public var type: [String] = ["ClrSubject"]
    public var identifier: [IdentityObject]
    /// The bundled `OpenBadgeCredential`s, as JSON objects, each still carrying its own signature: a `proof` of
    /// type `JwtProof2020` whose `jwt` is the credential's VC-JWT, exactly as it was issued.
    public var verifiableCredential: [JSONValue]
}

/// A CLR 2.0 `ClrCredential`: the whole record of one apprentice in one credential.
public struct ClrCredential: VerifiableCredentialDocument, Hashable {
    public var context: [String] = [
        CredentialContext.verifiableCredentialsV2, CredentialContext.clrV2, CredentialContext.openBadgesV3,
    ]
    public var id: String
    public var type: [String] = ["VerifiableCredential", "ClrCredential"]
    public var issuer: ProfileDocument
    public var validFrom: String
    public var validUntil: String?
    public var name: String
    public var credentialSubject: ClrSubjectDocument
    public var credentialSchema: [CredentialSchemaDocument] = [.clrCredential]

    enum CodingKeys: String, CodingKey {
        case context = "@context"
        case id, type, issuer, validFrom, validUntil, name, credentialSubject, credentialSchema
    }

    public var issuerID: String { issuer.id }
    public var subjectID: String? { credentialSubject.id }
}

/// The subject of a `BitstringStatusListCredential`: the list itself.
public struct BitstringStatusListDocument: Codable, Sendable, Hashable {
    public var id: String
    public var type = "BitstringStatusList"
    public var statusPurpose = "revocation"
    /// Multibase (`u`) base64url of the GZIP-compressed bitstring.
    public var encodedList: String
    /// How long (milliseconds) a verifier may cache the list before fetching it again.
    public var ttl: Int?
}

/// A `BitstringStatusListCredential`: the published list of revocation bits, signed like any credential.
public struct BitstringStatusListCredential: VerifiableCredentialDocument, Hashable {
    public var context: [String] = [CredentialContext.verifiableCredentialsV2]
    public var id: String
    public var type: [String] = ["VerifiableCredential", "BitstringStatusListCredential"]
    public var issuer: ProfileDocument
    public var validFrom: String
    public var validUntil: String?
    public var credentialSubject: BitstringStatusListDocument

    enum CodingKeys: String, CodingKey {
        case context = "@context"
        case id, type, issuer, validFrom, validUntil, credentialSubject
    }

    public var issuerID: String { issuer.id }
    public var subjectID: String? { credentialSubject.id }
}
