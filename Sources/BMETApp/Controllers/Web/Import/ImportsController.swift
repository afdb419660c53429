import BMETDomain
import Fluent
import Vapor

/// The sponsor's CSV import: a template per kind, upload with a dry run that lists every problem by row and column,
/// then "Import these rows" (one transaction), and past imports with their undo. Program administrators only.
struct ImportsController: RouteCollection {
    /// Files larger than this go through `bmet import`, which shows progress.
    static let maxUpload = 20 * 1024 * 1024
    /// Problems listed on the page; the count says how many more there are.
    static let shownIssues = 500

    func boot(routes: any RoutesBuilder) throws {
        let admins = routes.grouped(RoleGuard(.programAdmin))
        admins.get("imports", use: index)
        admins.get("imports", "templates", ":kind", use: template)
        admins.on(.POST, "imports", "check", body: .collect(maxSize: "21mb"), use: check)
        admins.post("imports", "run", use: run)
        admins.post("imports", ":batchID", "undo", use: undo)
    }

    struct UploadInput: Content {
        var kind: String?
        var hoursAs: String?
        var file: File?
    }

    @Sendable func index(req: Request) async throws -> Response {
        let notice: String? = if req.query[String.self, at: "done"] != nil { "Imported. The records are in the program now; the import is listed below." }
            else if let rows = req.query[Int.self, at: "unchanged"] { "Nothing new: all \(rows) rows were imported before, so nothing was changed." }
            else if req.query[String.self, at: "undone"] != nil { "The import was undone: what it created is gone." }
            else { nil }
        return try await renderIndex(req, notice: notice)
    }

    private func renderIndex(_ req: Request, kind: String? = nil, hoursAs: String? = nil, errors: FieldErrors = [:], notice: String? = nil,
                             problem: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let batches = try await ImportBatch.query(on: req.db).with(\.$createdBy).with(\.$undoneBy).sort(\.$createdAt, .descending).limit(50).all()
        let view = IndexView(
            kinds: ImportKind.allCases.map { k in
                .init(value: k.rawValue, label: k.label, selected: k.rawValue == kind,
                      columns: k.columns.map { .init(name: $0.name, required: $0.required, help: $0.help) })
            },
            hoursAsCredit: hoursAs == ImportBatch.Mode.priorLearning.rawValue,
            errors: errors,
            batches: batches.map { b in
                .init(id: b.id?.uuidString ?? "", when: DateText.dateTime(b.createdAt), kind: ImportKind(rawValue: b.kind)?.label ?? b.kind, fileName: b.fileName,
                      created: b.createdCount, unchanged: b.unchangedCount,
                      mode: b.kind == ImportKind.hours.rawValue ? (b.mode == ImportBatch.Mode.priorLearning.rawValue ? "as credit for prior learning" : "as approved history") : nil,
                      by: b.createdBy.fullName, undone: b.undoneAt.map { "Undone \(DateText.dateTime($0)) by \(b.undoneBy?.fullName ?? "")" })
            },
            notice: notice, problem: problem)
        return try await req.render("imports", title: "Import from CSV", view, status: status)
    }

    @Sendable func template(req: Request) async throws -> Response {
        guard let kind = req.parameters.get("kind").flatMap(ImportKind.init(rawValue:)) else { throw Abort(.notFound) }
        return Response.csv(data: Data(ImportTable.template(kind).utf8), fileName: "bmet-import-\(kind.rawValue)-template.csv")
    }

    /// The dry run: the file is kept under a random name in the data folder until it is imported, so the second step
    /// needs no second upload.
    @Sendable func check(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.formInput(UploadInput.self)
        var errors = FieldErrors()
        let kind = input.kind.flatMap(ImportKind.init(rawValue:))
        if kind == nil { errors["kind"] = "Choose what the file holds." }
        let mode = ImportBatch.Mode(rawValue: input.hoursAs ?? "approved") ?? .approved
        let data = input.file.map { Data(buffer: $0.data) } ?? Data()
        if data.isEmpty { errors["file"] = "Choose a CSV file (start from the template)." }
        else if data.count > Self.maxUpload { errors["file"] = "The file is larger than 20 MB: import it with bmet import, which shows its progress." }
        guard errors.isEmpty, let kind else {
            return try await renderIndex(req, kind: input.kind, hoursAs: input.hoursAs, errors: errors, status: .unprocessableEntity)
        }
        let fileName = Self.displayName(input.file?.filename ?? "import.csv")
        let plan = try await Importer.plan(kind, data: data, mode: mode, by: actor, on: req.db, flush: { $0.dropRows() })
        let token = plan.issues.isEmpty ? try PendingImports.save(data, settings: req.application.settings) : ""
        let view = CheckView(
            kind: kind.rawValue, kindLabel: kind.label, hoursAs: mode.rawValue,
            modeLabel: kind == .hours ? (mode == .priorLearning ? "as credit for prior learning" : "as approved history marked imported") : nil,
            fileName: fileName, token: token, rowCount: plan.rowCount, created: plan.created, unchanged: plan.unchanged,
            importLabel: plan.created == 1 ? "Import this row" : "Import these \(plan.created) rows",
            counts: plan.counts.map { .init(table: Self.tableLabel($0.table), rows: $0.rows) },
            issues: plan.issues.prefix(Self.shownIssues).map { .init(row: $0.row, column: $0.column, message: $0.message) },
            issueCount: plan.issues.count, moreIssues: max(0, plan.issues.count - Self.shownIssues))
        return try await req.render("import-check", title: plan.issues.isEmpty ? "Ready to import" : "Problems in the file", view,
                                    status: plan.issues.isEmpty ? .ok : .unprocessableEntity)
    }

    struct RunInput: Content {
        var kind: String?
        var hoursAs: String?
        var token: String?
        var fileName: String?
        var confirmed: String?
    }

    @Sendable func run(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.formInput(RunInput.self)
        guard let kind = input.kind.flatMap(ImportKind.init(rawValue:)),
              let path = PendingImports.locate(input.token ?? "", settings: req.application.settings),
              let data = FileManager.default.contents(atPath: path)
        else {
            return try await renderIndex(req, problem: "That upload is no longer waiting (it was imported already, or is from another server). Upload the file again.",
                                         status: .unprocessableEntity)
        }
        let mode = ImportBatch.Mode(rawValue: input.hoursAs ?? "approved") ?? .approved
        do {
            let outcome = try await Importer.run(kind, data: data, fileName: Self.displayName(input.fileName ?? "import.csv"), mode: mode, by: actor, on: req.db)
            try? FileManager.default.removeItem(atPath: path)
            _ = try? await ProgressSummaries.refreshStale(limit: 2_000, on: req.db)
            guard outcome.batch != nil else { return req.redirect(to: "/imports?unchanged=\(outcome.rowCount)") }
            return req.redirect(to: "/imports?done=1")
        } catch let refused as ImportRefused {
            // Something changed since the dry run (another import, a new employer): show the problems now.
            return try await renderIndex(req, kind: kind.rawValue, problem: "Nothing was imported: \(refused.issues.count) problem(s) since the check, first: row \(refused.issues.first?.row ?? 0) \(refused.issues.first?.column ?? ""): \(refused.issues.first?.message ?? ""). Upload the file again to see them all.",
                                         status: .unprocessableEntity)
        }
    }

    @Sendable func undo(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.formInput(RunInput.self)
        guard let id = req.parameters.get("batchID", as: UUID.self), let batch = try await ImportBatch.find(id, on: req.db) else { throw Abort(.notFound) }
        // Undo deletes records in bulk: the first post asks again, the second undoes.
        if batch.undoneAt == nil && !ConfirmationView.isConfirmed(input.confirmed) {
            let kind = ImportKind(rawValue: batch.kind)?.label.lowercased() ?? batch.kind
            return try await req.renderConfirmation(ConfirmationView(
                heading: "Undo the import of \(batch.fileName)?",
                lines: ["This removes the \(batch.createdCount) \(batch.createdCount == 1 ? "record" : "records") of \(kind) that the import of \(DateText.dateTime(batch.createdAt)) created, in one step, unless something recorded since touches them.",
                        "The undo is recorded in the audit log; the file can be imported again afterwards."],
                action: "/imports/\(id)/undo", fields: [], confirmLabel: "Yes, undo this import", cancelHref: "/imports"))
        }
        do {
            _ = try await Importer.undo(id, by: actor, on: req.db)
            return req.redirect(to: "/imports?undone=1")
        } catch let refusal as Importer.UndoRefused {
            return try await renderIndex(req, problem: refusal.reason, status: .conflict)
        }
    }

    static func displayName(_ name: String) -> String {
        let cleaned = String(name.unicodeScalars.filter { $0.value >= 0x20 && $0 != "/" && $0 != "\\" && !(0x202A...0x202E).contains($0.value) && !(0x2066...0x2069).contains($0.value) })
        return cleaned.isEmpty ? "import.csv" : String(cleaned.suffix(120))
    }

    static func tableLabel(_ table: String) -> String {
        switch table {
        case Employer.schema: "Employers"
        case User.schema: "Accounts"
        case Apprentice.schema: "Apprentices"
        case ProgressSummaries.schema: "Progress summaries"
        case RegistrationData.schema: "Registration data (ETA-671)"
        case ApprenticeWageStep.schema: "Wage steps"
        case WageRaise.schema: "Starting wages"
        case ApprenticeEvent.schema: "History events"
        case HourEntry.schema: "Hour entries (approved, imported)"
        case HourDecision.schema: "Approvals (marked imported)"
        case PriorLearningCredit.schema: "Credits for prior learning"
        case CredentialRecord.schema: "Credential records"
        case SkillAssessment.schema: "Skill assessments (marked imported)"
        default: table
        }
    }
}

/// Uploaded files between the dry run and the import: random names, 0600, in the data folder.
enum PendingImports {
    static func directory(_ settings: AppSettings) -> String { settings.dataDirectory + "/uploads/imports" }

    /// A checked file not imported within this time is removed (the next check sweeps), so abandoned uploads do not pile up.
    static let keptFor: TimeInterval = 24 * 3600

    static func save(_ data: Data, settings: AppSettings, now: Date = Date()) throws -> String {
        let directory = directory(settings)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        sweep(directory, now: now)
        let token = UUID().uuidString.lowercased()
        guard FileManager.default.createFile(atPath: directory + "/" + token + ".csv", contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw Abort(.internalServerError, reason: "The uploaded file could not be kept for the import.")
        }
        return token
    }

    /// Removes the uploads checked more than `keptFor` ago and never imported.
    static func sweep(_ directory: String, now: Date = Date()) {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in files where name.hasSuffix(".csv") {
            let path = directory + "/" + name
            if let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date, now.timeIntervalSince(modified) > keptFor {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }

    /// Only names we made are joined into a path.
    static func locate(_ token: String, settings: AppSettings) -> String? {
        guard token.range(of: #"^[0-9a-f-]{36}$"#, options: .regularExpression) != nil else { return nil }
        return directory(settings) + "/" + token + ".csv"
    }
}
