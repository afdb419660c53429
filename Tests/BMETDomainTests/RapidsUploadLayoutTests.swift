import Foundation
import Testing

@testable import BMETDomain

/// The RAPIDS upload layout in Swift against the project's table schema of it, and the codes each answer becomes.
@Suite("RAPIDS upload layout")
struct RapidsUploadLayoutTests {
    static let schemaURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("checks/rapids/schemas/apprentices.json")

    @Test("the Swift layout and checks/rapids/schemas/apprentices.json state the same 42 columns, in order, with the same rules")
    func agreesWithTheTableSchema() throws {
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.schemaURL)) as? [String: Any])
        let fields = try #require(schema["fields"] as? [[String: Any]])
        #expect(fields.count == 42)
        #expect(RapidsUploadLayout.fields.count == 42)
        #expect(fields.compactMap { $0["name"] as? String } == RapidsUploadLayout.columns)
        for (json, field) in zip(fields, RapidsUploadLayout.fields) {
            let constraints = json["constraints"] as? [String: Any] ?? [:]
            #expect(json["type"] as? String == field.kind.rawValue, "type of \(field.name)")
            #expect((constraints["required"] as? Bool ?? false) == field.required, "required of \(field.name)")
            #expect(constraints["maxLength"] as? Int == field.maxLength, "maxLength of \(field.name)")
            let codes = (constraints["enum"] as? [Any] ?? []).map { "\($0)" }
            #expect(codes == field.codes, "codes of \(field.name)")
        }
        #expect(RapidsUploadLayout.columns.first == "Date Apprenticeship Begins")
        #expect(RapidsUploadLayout.columns.last == "Student Status")
    }

    @Test("answers become the layout's codes; dates are MM/DD/YYYY")
    func codes() {
        #expect(RapidsUploadLayout.date("2000-06-01") == "06/01/2000")
        #expect(RapidsUploadLayout.date("2026-12-31") == "12/31/2026")
        #expect(RapidsUploadLayout.date("06/01/2000") == nil)
        #expect(Sex.allCases.map(RapidsUploadLayout.gender) == ["F", "M", "9"])
        #expect(Ethnicity.allCases.map(RapidsUploadLayout.ethnicity) == ["1", "2", "9"])
        #expect(RapidsUploadLayout.raceFlags([.asian, .white]) == ["0", "1", "0", "0", "1"])
        #expect(RapidsUploadLayout.raceFlags([.undisclosed]) == ["9", "9", "9", "9", "9"])
        #expect(RapidsUploadLayout.raceFlags([]) == ["9", "9", "9", "9", "9"])
        #expect(RapidsUploadLayout.raceFlags([.americanIndianOrAlaskaNative, .blackOrAfricanAmerican, .nativeHawaiianOrPacificIslander]) == ["1", "0", "1", "1", "0"])
        #expect(RapidsUploadLayout.veteran(.veteran) == "1")
        #expect(RapidsUploadLayout.veteran(.notVeteran) == "2")
        #expect(RapidsUploadLayout.veteran(.eligiblePerson) == "3")
        #expect(RapidsUploadLayout.veteran(.undisclosed) == "9")
        #expect(DisabilityDisclosure.allCases.map(RapidsUploadLayout.disability) == ["1", "2", "9"])
        // The layout's own order: 5 is not self-identified, 9 a doctorate.
        #expect(RapidsUploadLayout.education(.noDiploma) == "1")
        #expect(RapidsUploadLayout.education(.ged) == "3")
        #expect(RapidsUploadLayout.education(.associate) == "6")
        #expect(RapidsUploadLayout.education(.bachelor) == "7")
        #expect(RapidsUploadLayout.education(.master) == "8")
        #expect(RapidsUploadLayout.education(.doctorate) == "9")
        #expect(RapidsUploadLayout.education(.graduate) == nil)
        #expect(RapidsUploadLayout.employmentStatus(.existingEmployee) == "EE")
        #expect(RapidsUploadLayout.employmentStatus(.newEmployee) == "NE")
        #expect(RapidsUploadLayout.careerConnection(.careerTechnicalEducation) == "T")
        #expect(RapidsUploadLayout.careerConnection(.none) == "N")
        #expect(RapidsUploadLayout.careerConnection(.other) == nil)
        #expect(RapidsUploadLayout.careerLinkage(.jobCorps) == "JC")
        #expect(RapidsUploadLayout.careerLinkage(.preApprenticeship) == "")
        #expect(RapidsUploadLayout.wholeDollars(1849) == "18")
        #expect(RapidsUploadLayout.wholeDollars(1850) == "19")
        #expect(RapidsUploadLayout.wholeDollars(3_650_000) == "36500")
        // Every code a mapping yields is one the column takes.
        let column = Dictionary(uniqueKeysWithValues: RapidsUploadLayout.fields.map { ($0.name, Set($0.codes)) })
        for level in EducationLevel.choices { #expect(column["Apprentice Education Level"]!.contains(RapidsUploadLayout.education(level)!)) }
        for connection in CareerConnection.choices { #expect(column["Career Connection"]!.contains(RapidsUploadLayout.careerConnection(connection)!)) }
        for status in VeteranStatus.allCases { #expect(column["Veteran Status"]!.contains(RapidsUploadLayout.veteran(status))) }
    }

    @Test("RAPIDS rules: the layout's limits and required answers, and voluntary ones left unanswered")
    func rules() {
        var facts = RapidsRules.Facts(fullName: "Jordan Alvarez", hasRegistrationData: true, addressLine1: "400 Demo Ave", city: "Houston", state: "TX", zip: "77030",
                                      birthDate: "2000-06-01", startDate: "2026-01-05", races: ["white"], guardianName: nil, ssnReadable: nil, rapidsCode: "0888HY",
                                      education: .highSchool, careerConnection: .none, priorWageCents: 1500, priorWageUnit: "H", entryWageCents: 1800,
                                      studentStatus: "NA", rtiProvider: "Demo College")
        #expect(RapidsRules.issues(facts).isEmpty)
        facts.addressLine1 = String(repeating: "x", count: 56)
        facts.middleName = String(repeating: "m", count: 56)
        facts.suffix = "Esq."
        facts.education = .graduate
        facts.careerConnection = .other
        facts.priorWageCents = nil
        facts.priorWageUnit = "X"
        facts.studentStatus = nil
        facts.rtiProvider = " "
        facts.entryWageCents = nil
        facts.wioaType = "AD"
        #expect(Set(RapidsRules.issues(facts).map(\.field)) == ["addressLine1", "middleName", "suffix", "education", "careerConnection", "priorWage",
                                                                 "priorWageUnit", "studentStatus", "rtiProvider", "wages", "wioaType"])
        // Recorded first and last names win over the full name's words.
        #expect(RapidsRules.nameParts(fullName: "Ana María López García", first: nil, last: "López García") == ("Ana", "López García"))
        #expect(RapidsRules.nameParts(fullName: "Ana María López García", first: "", last: nil) == ("Ana", "García"))
    }
}
