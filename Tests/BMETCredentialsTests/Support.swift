import Foundation
import Testing

@testable import BMETCredentials

/// A fresh directory for one test, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("bmet-vc-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

func posixMode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

func date(_ text: String) -> Date {
    CredentialDate.parse(text)!
}

enum Mock {
    static let issuer = IssuerProfile(
        id: "https://bmet.example.org/issuer", name: "Riverside Health BMET Apprenticeship",
        url: "https://bmet.example.org", email: "apprenticeship@bmet.example.org")

    static let did = "did:web:bmet.example.org"
    static let subjectID = "urn:uuid:5d1c2f1e-7a43-4c1b-9d3e-2a6f0b8c4e11"
    /// The issuer as the web app names it now: by its did:web DID.
    static let didIssuer = IssuerProfile(
        id: did, name: "Riverside Health BMET Apprenticeship", url: "https://bmet.example.org",
        email: "apprenticeship@bmet.example.org")
    static let alignments = [
        Alignment(
            targetName: "Medical Equipment Repairers", targetURL: "https://www.onetonline.org/link/summary/49-9062.00",
            targetCode: "49-9062.00", targetFramework: "O*NET-SOC", targetType: "ext:ONETSOC"),
    ]

    /// The completion credential of the program, as the web app will issue it.
    static func completion(
        number: Int = 123, status: StatusEntry? = StatusEntry(listCredentialURL: "https://bmet.example.org/status/1", index: 5),
        validFrom: Date = date("2026-01-15T17:30:00Z"), validUntil: Date? = nil, subjectID: String? = nil
    ) -> AchievementFacts {
        AchievementFacts(
            credentialID: "https://bmet.example.org/credentials/BMET-2026-\(String(format: "%06d", number))",
            issuer: issuer,
            subjectName: "Jordan Rivera",
            subjectEmail: "Jordan.Rivera@example.com",
            subjectID: subjectID,
            achievementID: "https://bmet.example.org/achievements/bmet-apprenticeship-completion",
            achievementName: "Biomedical Equipment Technician Apprenticeship",
            achievementDescription: "Completion of the registered apprenticeship for Biomedical Equipment Technicians.",
            criteriaNarrative: "Completed 4,000 hours of on-the-job learning and 288 hours of related instruction.",
            achievementType: "ApprenticeshipCertificate",
            validFrom: validFrom,
            validUntil: validUntil,
            status: status,
            evidenceNarrative: "Work process schedule signed off by the mentor and the program sponsor.",
            emailSalt: "b0aa39cc508e46bb")
    }

    static func milestone() -> AchievementFacts {
        var facts = completion(number: 124, status: StatusEntry(listCredentialURL: "https://bmet.example.org/status/1", index: 6))
        facts.achievementID = "https://bmet.example.org/achievements/electrical-safety"
        facts.achievementName = "Electrical Safety Testing"
        facts.achievementDescription = "Performs electrical safety tests on medical equipment."
        facts.criteriaNarrative = "Assessed competent by a mentor on ten electrical safety inspections."
        facts.achievementType = "Competency"
        return facts
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
