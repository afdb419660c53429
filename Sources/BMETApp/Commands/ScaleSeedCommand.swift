import Fluent
import SQLKit
import Vapor

/// `bmet seed scale` — national data for load tests, with its load rate measured beside a raw bulk insert.
struct ScaleSeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "apprentices", help: "Apprentices to generate (default 20000: about 10 million hour entries).")
        var apprentices: Int?
        @Option(name: "employers", help: "Employers, spread over the 50 states (default: one per 20 apprentices).")
        var employers: Int?
        @Option(name: "seed", help: "Random seed; the same seed gives the same data (default 2026).")
        var seed: UInt64?
        @Option(name: "password", help: "Password of every generated account (default: $BMET_DEMO_PASSWORD or 'scale-password-2026').")
        var password: String?
        @Flag(name: "no-baseline", help: "Skip the raw bulk-insert baseline.")
        var noBaseline: Bool
        @Option(name: "bench-credentials", help: "Also create API tokens and sessions for the benchmark suite and write them (tab-separated) to this file.")
        var benchCredentials: String?
        @Flag(name: "random-ids", help: "Random (version-4) ids instead of time-ordered ones: the older load, for comparing (docs/PERFORMANCE.md).")
        var randomIDs: Bool
        @Option(name: "cache-mib", help: "SQLite page cache of the loading connection in MiB (default 256; the server's connections use 16).")
        var cacheMiB: Int?
    }

    var help: String { "Generate national-scale data (apprentices at every stage, two years of training records) into an empty database." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let console = context.console
        let apprentices = signature.apprentices ?? 20_000
        let options = ScaleGenerator.Options(
            apprentices: apprentices, employers: signature.employers ?? max(1, apprentices / 20), seed: signature.seed ?? 2026,
            password: signature.password ?? Environment.get("BMET_DEMO_PASSWORD") ?? "scale-password-2026",
            standardsPath: app.directory.workingDirectory + "standards/aami-bmet.json",
            timeOrderedIDs: !signature.randomIDs, cacheMiB: signature.cacheMiB ?? 256)
        if let sql = try? app.db.sql(), sql.dialect.name == "sqlite" {
            // Say how durable the commits being measured are: WAL with synchronous FULL (2) syncs every commit.
            let mode = try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self) ?? "?"
            let sync = try await sql.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self) ?? -1
            console.print("SQLite: journal_mode=\(mode), synchronous=\(sync) (2 = FULL); loading with \(options.cacheMiB) MiB of page cache, \(options.timeOrderedIDs ? "time-ordered" : "random") ids")
        }
        console.print("Generating \(options.apprentices) apprentices at \(options.employers) employers (seed \(options.seed))…")
        let result = try await ScaleGenerator.run(options, app: app) { progress in
            let percent = progress.apprenticesDone * 100 / max(1, progress.apprenticesTotal)
            let bar = String(repeating: "#", count: percent / 4) + String(repeating: ".", count: 25 - percent / 4)
            let rate = progress.seconds > 0 ? Int(Double(progress.rows) / progress.seconds) : 0
            console.output("\r\u{1B}[K[\(bar)] \(percent)% \(progress.apprenticesDone)/\(progress.apprenticesTotal) apprentices, \(progress.rows) rows, \(rate) rows/s".consoleText(),
                           newLine: progress.apprenticesDone == progress.apprenticesTotal)
        } indexes: { done, total in
            console.output("\r\u{1B}[K building indexes \(done)/\(total)".consoleText(), newLine: done == total)
        } summaries: { done, total in
            let percent = done * 100 / max(1, total)
            let bar = String(repeating: "#", count: percent / 4) + String(repeating: ".", count: 25 - percent / 4)
            console.output("\r\u{1B}[K[\(bar)] \(percent)% progress summaries \(done)/\(total)".consoleText(), newLine: done == total)
        }
        for (table, rows) in result.counts { console.print("  \(table.padding(toLength: 32, withPad: " ", startingAt: 0)) \(rows)") }
        console.print(String(format: "generator: %d rows in %.1f s = %.0f rows/s", result.rows, result.seconds, result.rowsPerSecond))
        console.print(String(format: "progress summaries computed in %.1f s", result.summarySeconds))
        let whole = result.seconds + result.summarySeconds
        console.print(String(format: "generator total: %d rows in %.1f s = %.0f rows/s (load and summaries)", result.rows, whole, whole > 0 ? Double(result.rows) / whole : 0))
        if !signature.noBaseline {
            console.print("Baseline: the same rows, raw, into scratch tables of the same engine…")
            let baseline = try await ScaleBaseline.run(like: result, flushRows: options.flushRows, on: app.db)
            console.print(String(format: "baseline: %d rows in %.1f s = %.0f rows/s", baseline.rows, baseline.seconds, baseline.rowsPerSecond))
            console.print(String(format: "generator / baseline = %.1f%% (target ≥ 25%%)", result.rowsPerSecond / max(1, baseline.rowsPerSecond) * 100))
        }
        if let path = signature.benchCredentials {
            let lines = try await BenchCredentials.create(apprentices: 200, on: app.db)
            try BenchCredentials.write(lines, to: path)
            console.print("Benchmark credentials (\(lines.count)) written to \(path).")
        }
    }
}
