import BMETDomain
import Fluent
import Vapor

/// The page models of `ProviderStaffController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension ProviderStaffController {
    struct DashboardView: Encodable {
        struct Row: Encodable { let id: String; let name: String; let courses: Int }
        struct NextStep: Encodable { let text: String; let href: String; let action: String }
        let provider: String; let kind: String
        let rows: [Row]; let total: Int; let open: Int; let page: Int; let previous: String?; let next: String?
        let nextStep: NextStep
    }

    struct StudentView: Encodable {
        struct Course: Encodable {
            let code: String; let title: String; let plannedHours: Int; let state: String; let stateCode: String
            let attended: Int; let open: Bool
        }
        struct Event: Encodable { let course: String; let text: String; let by: String; let when: String }
        let id: String; let name: String; let program: String; let status: String; let provider: String; let closed: Bool
        let courses: [Course]; let history: [Event]
        let openOptions: [SelectOption]; let enrolOptions: [SelectOption]
        /// Per form (enrol, attendance, complete, withdraw): what was sent and the message by each field.
        let values: [String: [String: String]]; let errors: [String: FieldErrors]; let failed: Bool; let saved: String?
    }

    func view(_ req: Request, _ apprentice: Apprentice, form: String = "", values: [String: String] = [:], errors: FieldErrors = [:]) async throws -> StudentView {
        let actor = try req.actor
        let provider = try await ProviderStudents.provider(of: actor, on: req.db)
        let id = try apprentice.requireID()
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: req.db)
        let enrolments = try await ProviderStudents.courses(of: id, at: provider.requireID(), on: req.db)
        let records = try await ProviderStudents.instructionRecords(of: apprentice, visibleTo: actor, on: req.db)
        let attendance = try await ProviderAttendance.query(on: req.db).filter(\.$enrolment.$id ~~ enrolments.compactMap(\.id))
            .with(\.$recordedBy).sort(\.$createdAt).all()
        let recorders = try await User.query(on: req.db).filter(\.$id ~~ Set(records.map(\.$recordedBy.id))).all()
        let names = Dictionary(recorders.compactMap { user in user.id.map { ($0, user.fullName) } }, uniquingKeysWith: { first, _ in first })
        func title(_ code: String) -> String { standards.courses.first { $0.code == code }?.title ?? code }
        var latest: [String: InstructionRecord] = [:]
        for record in records { latest[record.courseCode] = record }
        let closed = [.cancelled, .completed].contains(apprentice.status)
        let courses: [StudentView.Course] = enrolments.map { enrolment in
            let state = latest[enrolment.courseCode]
            let attended = attendance.filter { $0.$enrolment.id == enrolment.id }.map(\.hours).reduce(0, +)
            return .init(code: enrolment.courseCode, title: title(enrolment.courseCode),
                         plannedHours: standards.courses.first { $0.code == enrolment.courseCode }?.hours ?? 0,
                         state: state?.status.label ?? "Enrolled", stateCode: state?.status.rawValue ?? "enrolled",
                         attended: attended, open: (state?.status ?? .enrolled) == .enrolled)
        }
        var history: [(Date, StudentView.Event)] = records.map { r in
            (r.createdAt, .init(course: title(r.courseCode),
                                text: "\(r.status.label) \(r.eventDate)" + (r.hours.map { ", \($0) contact hours" } ?? "") + (r.grade.map { ", grade \($0)" } ?? ""),
                                by: names[r.$recordedBy.id] ?? "", when: DateText.dateTime(r.createdAt)))
        }
        let courseOf = Dictionary(enrolments.compactMap { e in e.id.map { ($0, e.courseCode) } }, uniquingKeysWith: { first, _ in first })
        history += attendance.map { a in
            (a.createdAt, .init(course: title(courseOf[a.$enrolment.id] ?? ""), text: "\(a.hours) h attended through \(a.throughDate)",
                                by: a.recordedBy.fullName, when: DateText.dateTime(a.createdAt)))
        }
        let taken = Set(enrolments.map(\.courseCode))
        // A withdrawn course is enrolled again from the same form.
        let enrollable = standards.courses.filter { !taken.contains($0.code) || latest[$0.code]?.status == .withdrawn }
        let selected = values["courseCode"]
        return StudentView(
            id: id.uuidString, name: apprentice.fullName,
            program: "\(apprentice.programVersion.title) — version \(apprentice.programVersion.versionNumber)",
            status: apprentice.status.label, provider: provider.name, closed: closed,
            courses: courses, history: history.sorted { $0.0 > $1.0 }.map(\.1),
            openOptions: courses.filter(\.open).map { SelectOption(value: $0.code, label: $0.title, selected: $0.code == selected) },
            enrolOptions: enrollable.map { SelectOption(value: $0.code, label: "\($0.title) (\($0.hours) h)", selected: $0.code == selected) },
            values: Dictionary(uniqueKeysWithValues: Self.forms.map { ($0, $0 == form ? values : [:]) }),
            errors: Dictionary(uniqueKeysWithValues: Self.forms.map { ($0, $0 == form ? errors : [:]) }), failed: !errors.isEmpty,
            saved: req.query[String.self, at: "saved"].flatMap { ["enrolled": "Enrolment recorded.", "attendance": "Hours attended recorded.",
                                                                  "completed": "Completion recorded.", "withdrawn": "Withdrawal recorded."][$0] })
    }
}
