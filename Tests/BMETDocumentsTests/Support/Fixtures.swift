import BMETDocuments
import Foundation

/// Documents for a made-up apprentice who completed the shipped AAMI BMET standards (standards/aami-bmet.json):
/// its 10 skill sets, 196 skills, courses and credentials, with sign-offs and dates invented here.
enum Fixtures {
    static let name = "Jordan Alexis Rivera-Okafor"
    static let certificateNumber = "BMET-2026-000123"
    static let verifyURL = "https://bmet.example.org/verify/BMET-2026-000123"

    static func certificate(name: String = name, issuers: [String] = ["AAMI", "U.S. Department of Labor"],
                            statement: String? = nil) -> CertificateFacts {
        CertificateFacts(
            apprenticeName: name,
            occupationTitle: "Biomedical Equipment Technician",
            rapidsCode: "0888HY",
            onetSocCode: "49-9062.00",
            programTitle: "AAMI BMET Apprenticeship",
            completionDate: "November 25, 2026",
            issuers: issuers,
            statement: statement ?? "has completed the registered apprenticeship in the occupation below, trained to AAMI's "
                + "recommended minimum competencies and standards. Issued by AAMI, the program sponsor; the apprenticeship is registered with the U.S. Department of Labor (RAPIDS), which issues its own Certificate of Completion of Apprenticeship",
            certificateNumber: certificateNumber,
            verifyURL: verifyURL
        )
    }

    /// The shipped standards file, read as plain JSON (this target does not depend on BMETDomain).
    private static func standards() throws -> [String: Any] {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("standards/aami-bmet.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    static let mentors = ["Dana Whitfield, CBET", "Luis Ortega, CHTM", "Priya Natarajan, CBET, CLES", "Sam O'Connell"]
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"]

    static func transcript() throws -> TranscriptFacts {
        let standards = try standards()
        let sets = standards["skillSets"] as? [[String: Any]] ?? []
        var skillSets: [TranscriptFacts.SkillSetLine] = []
        var skills: [TranscriptFacts.SkillLine] = []
        for (setIndex, set) in sets.enumerated() {
            let required = set["hours"] as? Int ?? 0
            let credited = setIndex == 1 ? 120 : 0
            skillSets.append(.init(code: set["code"] as? String ?? "", title: set["title"] as? String ?? "",
                                   plannedHours: required, approvedHours: Double(required) * 1.04 + 0.5 - Double(credited),
                                   creditedHours: credited))
            for skill in set["skills"] as? [[String: Any]] ?? [] {
                let n = skills.count
                let month = months[n % 12], year = 2024 + (n / 98)
                let isCredited = setIndex == 1 && n % 3 == 0
                skills.append(.init(
                    code: skill["code"] as? String ?? "", title: skill["title"] as? String ?? "",
                    signedOffBy: isCredited ? "Program sponsor (prior learning)" : mentors[n % mentors.count],
                    signedOffOn: "\(month) \(n % 27 + 1), \(year)", credited: isCredited))
            }
        }
        let courses = (standards["courses"] as? [[String: Any]] ?? []).enumerated().map { index, course in
            TranscriptFacts.InstructionLine(
                title: course["title"] as? String ?? "", provider: index % 2 == 0 ? "Community College of Denver" : "AAMI University",
                hours: course["hours"] as? Int ?? 0, grade: index == 4 ? nil : ["A", "B+", "Pass", "A-"][index % 4],
                completedOn: "\(months[(index * 3) % 12]) 15, \(2024 + index / 3)")
        }
        let credentials = (standards["credentials"] as? [[String: Any]] ?? []).enumerated().map { index, credential in
            TranscriptFacts.CredentialLine(
                name: credential["name"] as? String ?? "", status: ["Earned", "Earned", "Candidate"][index % 3],
                date: index == 2 ? nil : "June \(10 + index), 2025", expires: index == 0 ? "June 10, 2030" : nil)
        }
        return TranscriptFacts(
            apprenticeName: name,
            programTitle: standards["title"] as? String ?? "AAMI BMET Apprenticeship",
            occupationTitle: "Biomedical Equipment Technician",
            rapidsCode: "0888HY",
            sponsor: standards["sponsor"] as? String ?? "AAMI",
            startDate: "November 18, 2024",
            completionDate: "November 25, 2026",
            certificateNumber: certificateNumber,
            verifyURL: verifyURL,
            totalHours: skillSets.reduce(0) { $0 + $1.approvedHours + Double($1.creditedHours) },
            minimumHours: standards["minimumOJLHours"] as? Int ?? 4000,
            maximumHours: standards["maximumOJLHours"] as? Int,
            requirements: [
                .init(label: "On-the-job hours", detail: "4,212 of the 4,000 minimum (240 credited for prior learning)", met: true),
                .init(label: "Skills signed off", detail: "196 of 196 (3 credited for prior learning)", met: true),
            ],
            skillSets: skillSets,
            skills: skills,
            instruction: courses,
            credentials: credentials,
            interim: [
                .init(name: "Orientation and Safety (skill set 1 complete)", awardedOn: "March 3, 2025", number: "BMET-I-2025-7KQ3-M9XD-P2RT"),
                .init(name: "Preventive Maintenance Technician, interim credential", awardedOn: "December 1, 2025"),
            ]
        )
    }
}
