import BMETDomain
import Fluent
import Vapor

/// The page models of `InstructionController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension InstructionController {
    struct View: Encodable {
        struct Course: Encodable { let code: String; let title: String; let hours: Int; let state: String; let stateCode: String; let detail: String }
        struct Record: Encodable { let course: String; let status: String; let provider: String; let date: String; let hours: Int?; let grade: String?; let by: String; let when: String }
        let header: RecordHeader; let heading: String
        let courses: [Course]; let years: [ProgressView.Year]; let totalHours: Int; let recommended: Int
        let records: [Record]; let canRecord: Bool; let isStaff: Bool
        let courseOptions: [SelectOption]; let statusOptions: [SelectOption]
        let values: [String: String]; let errors: FieldErrors; let saved: Bool
    }

    func view(_ req: Request, _ apprentice: Apprentice, input: InstructionInput? = nil, errors: FieldErrors = [:], saved: Bool = false) async throws -> View {
        let actor = try req.actor
        let id = try apprentice.requireID()
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: req.db)
        let records = try await InstructionRecord.query(on: req.db).filter(\.$apprentice.$id == id).with(\.$recordedBy).sort(\.$createdAt).all()
        let progress = try await ProgressReader.progress(of: apprentice, on: req.db)
        var latest: [String: InstructionRecord] = [:]
        for record in records { latest[record.courseCode] = record }
        let isStaff = InstructionAndCredentials.isStaff(actor, for: apprentice)
        let canRecord = (isStaff || InstructionAndCredentials.isOwner(actor, of: apprentice)) && ![.cancelled, .completed].contains(apprentice.status)
        let statuses: [InstructionRecord.Status] = isStaff ? InstructionRecord.Status.allCases : [.enrolled]
        return View(
            header: RecordHeader(apprentice, current: .instruction), heading: "Related instruction",
            courses: standards.courses.map { course in
                let record = latest[course.code]
                return .init(code: course.code, title: course.title, hours: course.hours, state: record?.status.label ?? "Not enrolled",
                             stateCode: record?.status.rawValue ?? "none",
                             detail: record.map { "\($0.provider), \($0.eventDate)" + ($0.hours.map { ", \($0) h" } ?? "") + ($0.grade.map { ", grade \($0)" } ?? "") } ?? "")
            },
            years: ProgressView(progress).years, totalHours: progress.instruction.totalHours, recommended: standards.annualInstructionHoursRecommended,
            records: records.reversed().map { r in .init(course: standards.courses.first { $0.code == r.courseCode }?.title ?? r.courseCode, status: r.status.label,
                                                      provider: r.provider, date: r.eventDate, hours: r.hours, grade: r.grade, by: r.recordedBy.fullName, when: DateText.dateTime(r.createdAt)) },
            canRecord: canRecord, isStaff: isStaff,
            courseOptions: standards.courses.map { SelectOption(value: $0.code, label: "\($0.title) (\($0.hours) h)", selected: $0.code == input?.courseCode) },
            statusOptions: statuses.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == input?.status) },
            values: ["provider": input?.provider ?? "", "date": input?.date ?? "", "hours": input?.hours ?? "", "grade": input?.grade ?? ""],
            errors: errors, saved: saved)
    }
}
