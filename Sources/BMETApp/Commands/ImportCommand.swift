import BMETDomain
import Fluent
import Foundation
import Vapor

/// `bmet import <kind> FILE [--dry-run] [--hours-as approved|prior-learning] [--as EMAIL]`, `bmet import list` and
/// `bmet import undo BATCH_ID`: the web page's CSV import for large files, with progress on stderr (docs/IMPORT.md).
struct ImportCommand: AsyncCommandGroup {
    var help: String { "Import employers, people, apprentices, historical hours, credentials or skill sign-offs from CSV (see docs/IMPORT.md)." }
    var commands: [String: any AnyAsyncCommand] {
        var commands: [String: any AnyAsyncCommand] = ["list": ImportListCommand(), "undo": ImportUndoCommand()]
        for kind in ImportKind.allCases { commands[kind.rawValue] = ImportFileCommand(kind: kind) }
        return commands
    }
}

/// The program administrator the command acts as: `--as`, or the only one there is.
private func importActor(_ email: String?, on db: any Database) async throws -> User {
    if let email {
        guard let user = try await User.query(on: db).filter(\.$email == Check.normalizedEmail(email)).first(), user.role == .programAdmin, user.isActive else {
            throw CommandFailure("\(email) is not an active program administrator.")
        }
        return user
    }
    let admins = try await User.query(on: db).filter(\.$role == .programAdmin).filter(\.$isActive == true).limit(2).all()
    guard admins.count == 1 else {
        throw CommandFailure(admins.isEmpty ? "No program administrator exists yet: create one with bmet admin create." : "Name the program administrator who imports with --as EMAIL.")
    }
    return admins[0]
}

/// Progress on stderr, rewritten in place on a terminal; nothing when stderr is a file.
private struct StderrProgress: Sendable {
    let enabled = isatty(2) == 1
    func show(_ stage: String, _ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let width = 20
        let filled = min(width, done * width / total)
        let line = "\r\u{1B}[K[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] \(done * 100 / total)% \(stage) \(done)/\(total)"
        FileHandle.standardError.write(Data(line.utf8))
    }
    func end() { if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
}

struct ImportFileCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "The CSV file (start from the template on the Import page, or docs/import-samples).")
        var file: String
        @Flag(name: "dry-run", help: "Check the file and list every problem; store nothing.")
        var dryRun: Bool
        @Option(name: "hours-as", help: "Hours only: approved (history marked imported, the default) or prior-learning (credit per skill set).")
        var hoursAs: String?
        @Option(name: "as", help: "E-mail of the program administrator importing (needed when there are several).")
        var actor: String?
    }

    let kind: ImportKind
    var help: String { "Import \(kind.label.lowercased()) from a CSV file." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        guard let mode = ImportBatch.Mode(rawValue: signature.hoursAs ?? "approved") else {
            throw CommandFailure("--hours-as takes approved or prior-learning.")
        }
        if signature.hoursAs != nil && kind != .hours { throw CommandFailure("--hours-as applies to the hours file only.") }
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            throw CommandFailure("Cannot read \(signature.file): no such file, or not readable.")
        }
        let actor = try await importActor(signature.actor, on: db)
        let progress = StderrProgress()
        let clock = ContinuousClock()
        let began = clock.now
        let fileName = URL(fileURLWithPath: signature.file).lastPathComponent
        if signature.dryRun {
            let plan = try await Importer.plan(kind, data: data, mode: mode, by: actor, on: db, progress: { progress.show($0, $1, $2) },
                                              flush: { $0.dropRows() })
            progress.end()
            guard plan.issues.isEmpty else { throw refused(plan.issues, context) }
            context.console.print("Dry run of \(fileName): \(plan.rowCount) rows, \(plan.created) to import, \(plan.unchanged) already imported. Nothing was stored.")
            for (table, rows) in plan.counts { context.console.print("  \(table): \(rows) new") }
            return
        }
        do {
            let outcome = try await Importer.run(kind, data: data, fileName: fileName, mode: mode, by: actor, on: db) { progress.show($0, $1, $2) }
            progress.end()
            let seconds = Double((clock.now - began).components.seconds) + Double((clock.now - began).components.attoseconds) / 1e18
            guard let batch = outcome.batch else {
                context.console.success("Nothing new in \(fileName): all \(outcome.rowCount) rows were imported before; nothing was changed.")
                return
            }
            context.console.success("Imported \(fileName) as batch \(batch.id!.uuidString): \(outcome.created) created, \(outcome.unchanged) already imported (\(String(format: "%.1f", seconds)) s).")
            let refreshed = try await ProgressSummaries.refreshStale(on: db) { done, total in progress.show("Progress summaries", done, total) }
            progress.end()
            if refreshed > 0 { context.console.print("Progress summaries brought up to date: \(refreshed).") }
        } catch let failure as ImportRefused {
            progress.end()
            throw refused(failure.issues, context)
        }
    }

    private func refused(_ issues: [ImportIssue], _ context: CommandContext) -> CommandFailure {
        for issue in issues.prefix(1_000) {
            context.console.error("row \(issue.row)\(issue.column.isEmpty ? "" : ", \(issue.column)"): \(issue.message)")
        }
        if issues.count > 1_000 { context.console.error("… and \(issues.count - 1_000) more.") }
        return CommandFailure("Nothing was imported: \(issues.count) problem\(issues.count == 1 ? "" : "s").")
    }
}

struct ImportListCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "List past imports, newest first." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let batches = try await ImportBatch.query(on: context.application.db).sort(\.$createdAt, .descending).limit(100).all()
        if batches.isEmpty { context.console.print("No imports yet."); return }
        for b in batches {
            context.console.print("\(b.id!.uuidString)  \(ISODay.instant(b.createdAt))  \(b.kind)  \(b.fileName)  \(b.createdCount) created, \(b.unchangedCount) unchanged"
                                  + (b.kind == ImportKind.hours.rawValue ? "  (\(b.mode))" : "") + (b.undoneAt != nil ? "  UNDONE" : ""))
        }
    }
}

struct ImportUndoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "batch", help: "The import's id (bmet import list).")
        var batch: String
        @Option(name: "as", help: "E-mail of the program administrator undoing it (needed when there are several).")
        var actor: String?
    }
    var help: String { "Undo an import: removes what it created, while nothing recorded since touches it." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let id = UUID(uuidString: signature.batch) else { throw CommandFailure("\(signature.batch) is not an import id (see bmet import list).") }
        let db = context.application.db
        let actor = try await importActor(signature.actor, on: db)
        do {
            let batch = try await Importer.undo(id, by: actor, on: db)
            context.console.success("Undid the import of \(batch.kind) from \(batch.fileName).")
        } catch let refusal as Importer.UndoRefused {
            throw CommandFailure(refusal.reason)
        } catch let abort as Abort where abort.status == .notFound {
            throw CommandFailure("No import has the id \(signature.batch).")
        }
    }
}
