import Fluent
import Vapor

/// `bmet migrate` — brings the schema up to date (or reverts the last batch), with a short summary rather than a log
/// line per migration. Replaces Fluent's command of the same name; `--yes` (ConsoleKit's own flag) answers the question.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "revert", help: "Undo the last batch of migrations (restore a backup instead where data matters).")
        var revert: Bool
        @Flag(name: "verbose", short: "v", help: "List each migration.")
        var verbose: Bool
    }

    var help: String { "Create or update the database schema; prints a one-line summary (--verbose lists each migration)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let console = context.console
        // The migrator logs each step at info level; the summary below says what happened.
        if !signature.verbose && Environment.get("LOG_LEVEL") == nil { app.logger.logLevel = .warning }
        let migrator = app.migrator
        try await migrator.setupIfNeeded().get()
        let verb = signature.revert ? "revert" : "apply"
        let batch = signature.revert ? try await migrator.previewRevertLastBatch().get() : try await migrator.previewPrepareBatch().get()
        guard !batch.isEmpty else {
            console.print(signature.revert ? "Nothing to revert." : "The database is up to date (\(AppMigrations.all.count) migrations); nothing to do.")
            return
        }
        let names = batch.map { $0.0.name.split(separator: ".").last.map(String.init) ?? $0.0.name }
        if signature.verbose { for name in names { console.print("  \(signature.revert ? "-" : "+") \(name)") } }
        let what = "\(names.count) migration\(names.count == 1 ? "" : "s")"
        // `--yes` answers without printing the question, so the output stays one line.
        let confirmed = console.confirmOverride ?? console.confirm("\(verb.capitalized) \(what) (\(names.first!)\(names.count > 1 ? " … \(names.last!)" : ""))?")
        guard confirmed else {
            console.print("Nothing changed.")
            return
        }
        if signature.revert {
            try await migrator.revertLastBatch().get()
            console.print("Reverted \(what), the last batch applied.")
        } else {
            try await migrator.prepareBatch().get()
            console.print("Applied \(what); the database is up to date (\(AppMigrations.all.count) migrations, newest \(names.last!)).")
        }
    }
}
