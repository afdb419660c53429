import BMETDomain
import Fluent
import Vapor

/// A provider's staff: their students (only those enrolled with the provider) and, per student, the instruction
/// they record — enrolment, hours attended, completion with contact hours and grade, withdrawal.
struct ProviderStaffController: RouteCollection {
    static let pageSize = 25

    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RoleGuard(.instructionProvider))
        staff.get("provider", use: dashboard)
        staff.get("provider", "students", ":apprenticeID", use: student)
        staff.post("provider", "students", ":apprenticeID", "enrolments", use: enrol)
        staff.post("provider", "students", ":apprenticeID", "attendance", use: attendance)
        staff.post("provider", "students", ":apprenticeID", "instruction", use: instruction)
    }

    struct DashboardView: Encodable {
        struct Row: Encodable { let id: String; let name: String; let courses: Int }
        struct NextStep: Encodable { let text: String; let href: String; let action: String }
        let provider: String; let kind: String
        let rows: [Row]; let total: Int; let open: Int; let page: Int; let previous: String?; let next: String?
        let nextStep: NextStep
    }

    @Sendable func dashboard(req: Request) async throws -> Response {
        let provider = try await ProviderStudents.provider(of: try req.actor, on: req.db)
        let page = max(1, req.query[Int.self, at: "page"] ?? 1)
        let result = try await ProviderStudents.page(of: try provider.requireID(), page: page, size: Self.pageSize, on: req.db)
        let step: DashboardView.NextStep
        if let first = result.firstOpen {
            let title = try await Self.courseTitle(first.course_code, apprenticeID: first.apprentice_id, on: req.db)
            step = .init(text: "\(first.full_name) is enrolled in \(title): record the hours attended, or the completion with its contact hours and grade.",
                         href: "/provider/students/\(first.apprentice_id)", action: "Open \(first.full_name)'s courses")
        } else if result.total > 0 {
            step = .init(text: "Every course your students took with you is completed or withdrawn. Enrol a student in their next course.",
                         href: "/provider/students/\(result.rows.first?.id.uuidString ?? "")", action: "Open the first student")
        } else {
            step = .init(text: "No apprentice is enrolled with \(provider.name) yet: the program sponsor enrols them. Meanwhile, read the program's courses.",
                         href: "/programs", action: "Open the programs")
        }
        return try await req.render("provider-dashboard", title: "Students — \(provider.name)", DashboardView(
            provider: provider.name, kind: provider.kind.label,
            rows: result.rows.map { .init(id: $0.id.uuidString, name: $0.full_name, courses: $0.courses) },
            total: result.total, open: result.open, page: page,
            previous: page > 1 ? "/provider?page=\(page - 1)" : nil,
            next: page * Self.pageSize < result.total ? "/provider?page=\(page + 1)" : nil, nextStep: step))
    }

    static func courseTitle(_ code: String, apprenticeID: UUID, on db: any Database) async throws -> String {
        guard let apprentice = try await Apprentice.find(apprenticeID, on: db) else { return code }
        return try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db).courses.first { $0.code == code }?.title ?? code
    }

    static let forms = ["enrol", "attendance", "complete", "withdraw"]

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

    private func view(_ req: Request, _ apprentice: Apprentice, form: String = "", values: [String: String] = [:], errors: FieldErrors = [:]) async throws -> StudentView {
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

    @Sendable func student(req: Request) async throws -> Response {
        let apprentice = try await ProviderStudents.find(req.parameters.get("apprenticeID", as: UUID.self), for: try req.actor, on: req.db)
        return try await req.render("provider-student", title: "\(apprentice.fullName) — instruction", try await view(req, apprentice))
    }

    private func respond(_ req: Request, form: String, values: [String: String], saved: @escaping (Apprentice) async throws -> String) async throws -> Response {
        let apprentice = try await ProviderStudents.find(req.parameters.get("apprenticeID", as: UUID.self), for: try req.actor, on: req.db)
        do {
            try req.refuseFormProblems()
            let done = try await saved(apprentice)
            return req.redirect(to: "/provider/students/\(try apprentice.requireID())?saved=\(done)")
        } catch let failure as ValidationFailure {
            return try await req.render("provider-student", title: "\(apprentice.fullName) — instruction",
                                        try await view(req, apprentice, form: form, values: values, errors: failure.errors), status: .unprocessableEntity)
        }
    }

    @Sendable func enrol(req: Request) async throws -> Response {
        let input = try req.formInput(EnrolmentInput.self)
        let actor = try req.actor
        return try await respond(req, form: "enrol", values: ["courseCode": input.courseCode ?? "", "date": input.date ?? ""]) { apprentice in
            let provider = try await ProviderStudents.provider(of: actor, on: req.db)
            _ = try await Providers.enrol(apprentice, with: provider, input, by: actor, on: req.db)
            return "enrolled"
        }
    }

    @Sendable func attendance(req: Request) async throws -> Response {
        let input = try req.formInput(AttendanceInput.self)
        let actor = try req.actor
        return try await respond(req, form: "attendance", values: ["courseCode": input.courseCode ?? "", "hours": input.hours ?? "", "date": input.date ?? ""]) { apprentice in
            _ = try await Providers.recordAttendance(apprentice, input, by: actor, on: req.db)
            return "attendance"
        }
    }

    /// A completion (with contact hours and grade) or a withdrawal: an instruction record, as on the apprentice's
    /// Instruction tab, so progress counts it in the same transaction.
    @Sendable func instruction(req: Request) async throws -> Response {
        var input = try req.formInput(InstructionInput.self)
        let actor = try req.actor
        let form = input.status == InstructionRecord.Status.withdrawn.rawValue ? "withdraw" : "complete"
        if ![InstructionRecord.Status.completed.rawValue, InstructionRecord.Status.withdrawn.rawValue].contains(input.status ?? "") { input.status = "" }
        let values = ["courseCode": input.courseCode ?? "", "status": input.status ?? "", "date": input.date ?? "", "hours": input.hours ?? "", "grade": input.grade ?? ""]
        let submitted = input
        return try await respond(req, form: form, values: values) { apprentice in
            let record = try await InstructionAndCredentials.recordInstruction(apprentice, submitted, by: actor, on: req.db)
            return record.status.rawValue
        }
    }
}
