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
