import Vapor

/// `bmet backup DIR` — a consistent copy of the live database and the data folder's keys and uploads.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "folder", help: "A new (or empty) folder for the backup, e.g. backups/2026-11-25.")
        var folder: String
    }

    var help: String { "Copy the database (safe while the platform runs), keys and uploads into a new folder, with a checksum manifest." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let console = context.console
        do {
            let manifest = try await Backup.create(app: context.application, to: signature.folder) { step in
                console.progressLine(step)
            }
            console.endProgressLine()
            let bytes = manifest.files.reduce(0) { $0 + $1.bytes }
            console.print("Backup written to \(signature.folder): \(manifest.files.count) files, \(bytes.formatted()) bytes, \(manifest.migrations) migrations.")
            if manifest.database == "postgresql" {
                console.warning("The database is PostgreSQL and is not in this folder: dump it with pg_dump as the README describes.")
            }
        } catch let failure as Backup.Failure {
            console.endProgressLine()
            throw CommandFailure(failure.description)
        }
    }
}

/// `bmet restore DIR --yes` — put a backup back, with the platform stopped.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "folder", help: "A folder written by `bmet backup`.")
        var folder: String
        // `--yes` (ConsoleKit's own flag) confirms: the platform is stopped and the current data may be replaced.
    }

    var help: String { "Check a backup against its manifest; with --yes, put it in place of the current data (stop the platform first)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let console = context.console
        guard console.confirmOverride == true else {
            _ = try Backup.check(signature.folder)
            console.print("\(signature.folder) is a complete backup. Stop the platform, then run again with --yes to restore it;")
            console.print("the current database, keys and uploads will be moved aside into the data folder, not deleted.")
            return
        }
        do {
            let restored = try await Backup.restore(app: context.application, from: signature.folder) { step in
                console.progressLine(step)
            }
            console.endProgressLine()
            console.print("Restored the backup of \(restored.manifest.createdAt) (\(restored.manifest.files.count) files).")
            console.print("What was there before is in \(restored.setAside). Run `bmet migrate --yes` if this version has newer migrations, then start the platform.")
        } catch let failure as Backup.Failure {
            console.endProgressLine()
            throw CommandFailure(failure.description)
        }
    }
}
