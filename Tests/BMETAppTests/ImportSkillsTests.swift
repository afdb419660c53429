@testable import BMETApp
import BMETDomain
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@Suite("CSV import: skill sign-offs")
struct ImportSkillsTests {
    /// The program of `ImportSamples` (employers, people, apprentices), without hours.
    private func program(_ app: Application) async throws -> User {
        _ = try await StandardsLibrary.load(try Make.standardsFile, loadedBy: nil, on: app.db)
        let admin = try await Make.user(app, role: .programAdmin, name: "Dana Admin")
        for (kind, csv) in [(ImportKind.employers, ImportSamples.employers), (.people, ImportSamples.people), (.apprentices, ImportSamples.apprentices)] {
            try await Importer.run(kind, data: Data(csv.utf8), fileName: "\(kind.rawValue).csv", mode: .approved, by: admin, on: app.db)
        }
        return admin
    }

    private func apprentice(_ email: String, on db: any Database) async throws -> UUID {
        try #require(try await Apprentice.query(on: db).filter(\.$email == email).first()).requireID()
    }

    private var skills: String {
        """
        assessment_ref,apprentice_ref,skill,rating,assessed_on,assessor_email,note
        S-1,A-1,os-06,developing,\(ImportSamples.day(-100)),Victor.Osei@lakeshore.example,Needed prompting on doffing
        S-2,A-1,OS-06,proficient,\(ImportSamples.day(-50)),victor.osei@lakeshore.example,
        S-3,A-2,OS-01,proficient,\(ImportSamples.day(-10)),victor.osei@lakeshore.example,"Orientation, day one"
        S-4,A-3,OS-01,not-yet,\(ImportSamples.day(-5)),samuel.park@riverbend.example,

        """
    }

    @Test("sign-offs are appended as assessments marked imported; skill states follow; re-import changes nothing; undo; a later assessment touches it")
    func imported() async throws {
        try await withTestApp { app in
            let admin = try await program(app)
            let jordan = try await apprentice("jordan.reyes@mail.example", on: app.db)
            let victor = try #require(try await User.query(on: app.db).filter(\.$email == "victor.osei@lakeshore.example").first())
            let outcome = try await Importer.run(.skills, data: Data(skills.utf8), fileName: "skills.csv", mode: .approved, by: admin, on: app.db)
            let batch = try #require(outcome.batch)
            #expect(outcome.created == 4)
            let history = try await SkillAssessment.query(on: app.db).filter(\.$apprentice.$id == jordan).sort(\.$createdAt).all()
            #expect(history.map(\.ratingCode) == ["developing", "proficient"])
            #expect(history.allSatisfy { $0.observed.hasPrefix("Imported") && $0.$assessor.id == victor.id && $0.skillCode == "OS-06" })
            #expect(history.first?.observed == "Imported: Needed prompting on doffing")
            #expect(history.map { ProgramCalendar.dayString($0.createdAt) } == [ImportSamples.day(-100), ImportSamples.day(-50)])
            let state = try #require(try await SkillState.query(on: app.db).filter(\.$apprentice.$id == jordan).first())
            #expect(state.ratingCode == "proficient" && state.signsOff && state.assessmentCount == 2)
            #expect(try await SkillState.query(on: app.db).count() == 3)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == AuditAction.importCompleted.rawValue).count() == 4)

            // The same file again: nothing.
            let again = try await Importer.run(.skills, data: Data(skills.utf8), fileName: "skills.csv", mode: .approved, by: admin, on: app.db)
            #expect(again.batch == nil && again.unchanged == 4)
            #expect(try await SkillAssessment.query(on: app.db).count() == 4)

            // The mentor and the apprentices cannot be undone while the sign-offs are there; the sign-offs can.
            let people = try #require(try await ImportBatch.query(on: app.db).filter(\.$kind == "people").first())
            do {
                _ = try await Importer.undo(people.requireID(), by: admin, on: app.db)
                Issue.record("undo went through")
            } catch let refusal as Importer.UndoRefused { #expect(refusal.reason.contains("apprentices are assigned") || refusal.reason.contains("assessed skills")) }
            _ = try await Importer.undo(batch.requireID(), by: admin, on: app.db)
            #expect(try await SkillAssessment.query(on: app.db).count() == 0)
            #expect(try await SkillState.query(on: app.db).count() == 0)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)

            // Imported again, then assessed for real: the real assessment is the state, and the import cannot be undone.
            let second = try #require(try await Importer.run(.skills, data: Data(skills.utf8), fileName: "skills.csv", mode: .approved, by: admin, on: app.db).batch)
            let later = SkillAssessment()
            later.$apprentice.id = jordan
            later.skillCode = "OS-06"
            later.ratingCode = "developing"
            later.ratingLabel = "Developing"
            later.signsOff = false
            later.observed = "Slipped on the gown order"
            later.$assessor.id = try victor.requireID()
            later.createdAt = Date().addingTimeInterval(1)
            try await later.create(on: app.db)
            try await ProgressAggregates.recordAssessment(later, on: app.db)
            let now = try #require(try await SkillState.query(on: app.db).filter(\.$apprentice.$id == jordan).first())
            #expect(now.ratingCode == "developing" && !now.signsOff && now.assessmentCount == 3)
            do {
                _ = try await Importer.undo(second.requireID(), by: admin, on: app.db)
                Issue.record("undo went through")
            } catch let refusal as Importer.UndoRefused { #expect(refusal.reason.contains("assessed again")) }
            #expect(try await SkillAssessment.query(on: app.db).count() == 5)
            #expect(try await AggregateVerification.run(repair: false, on: app.db).drifts.isEmpty)
        }
    }

    @Test("every problem by row and column: skill, rating, assessor, dates, apprentice, a repeated sign-off; nothing stored")
    func problems() async throws {
        try await withTestApp { app in
            let admin = try await program(app)
            let bad = """
                assessment_ref,apprentice_ref,skill,rating,assessed_on,assessor_email,note
                S-1,A-1,XX-99,proficient,\(ImportSamples.day(-5)),victor.osei@lakeshore.example,
                S-2,A-1,OS-01,excellent,\(ImportSamples.day(-5)),victor.osei@lakeshore.example,
                S-3,A-3,OS-01,proficient,\(ImportSamples.day(-5)),victor.osei@lakeshore.example,
                S-4,A-1,OS-01,proficient,\(ImportSamples.day(3)),victor.osei@lakeshore.example,
                S-5,A-9,OS-01,proficient,\(ImportSamples.day(-5)),victor.osei@lakeshore.example,
                S-6,A-1,OS-02,proficient,\(ImportSamples.day(-300)),victor.osei@lakeshore.example,
                S-7,A-2,OS-03,proficient,\(ImportSamples.day(-5)),alicia.moreno@lakeshore.example,
                S-8,A-2,OS-04,proficient,\(ImportSamples.day(-6)),victor.osei@lakeshore.example,
                S-9,A-2,OS-04,developing,\(ImportSamples.day(-6)),victor.osei@lakeshore.example,
                S-10,A-2,OS-05,proficient,2026-02-30,nobody@lakeshore.example,
                """
            let plan = try await Importer.plan(.skills, data: Data(bad.utf8), mode: .approved, by: admin, on: app.db)
            #expect(plan.issues.map { "\($0.row) \($0.column)" } == ["2 skill", "3 rating", "4 assessor_email", "5 assessed_on", "6 apprentice_ref",
                                                                    "7 assessed_on", "8 assessor_email", "10 assessed_on", "11 assessed_on", "11 assessor_email"],
                    "\(plan.issues)")
            await #expect(throws: ImportRefused.self) {
                try await Importer.run(.skills, data: Data(bad.utf8), fileName: "bad.csv", mode: .approved, by: admin, on: app.db)
            }
            #expect(try await SkillAssessment.query(on: app.db).count() == 0)
            #expect(try await ImportBatch.query(on: app.db).filter(\.$kind == "skills").count() == 0)
            // The template has the header of the file and one example row.
            #expect(ImportTable.template(.skills).contains("assessment_ref,apprentice_ref,skill,rating,assessed_on,assessor_email,note\r\n"))
            #expect(ImportTable.read(Data(ImportTable.template(.skills).utf8), as: .skills).issues.isEmpty)
        }
    }
}
