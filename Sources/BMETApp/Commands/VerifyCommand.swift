import Fluent
import Vapor

/// `bmet verify aggregates` — recompute every apprentice's running totals and progress summary from the raw records and report drift.
struct VerifyCommand: AsyncCommandGroup {
    var help: String { "Check stored data against its source records." }
    var commands: [String: any AnyAsyncCommand] { ["aggregates": VerifyAggregatesCommand(), "credential": VerifyCredentialCommand()] }
}

struct VerifyAggregatesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "repair", help: "Rewrite drifted totals from the records.")
        var repair: Bool
    }

    var help: String { "Recompute hour totals and skill states from the records; exit 1 if any differ." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let report = try await AggregateVerification.run(repair: signature.repair, on: context.application.db) { done, total in
            // A progress line on the terminal, rewritten in place, so long checks show they are moving.
            if done == total || done % 100 == 0 {
                context.console.progressLine("checked \(done) of \(total) apprentices", done: done, of: total)
                if done == total { context.console.endProgressLine() }
            }
        }
        for drift in report.drifts.prefix(200) { context.console.print(drift.description) }
        if report.drifts.count > 200 { context.console.print("… and \(report.drifts.count - 200) more") }
        if report.drifts.isEmpty {
            context.console.print("No drift: the totals of \(report.apprentices) apprentices match their records.")
        } else {
            context.console.print("\(report.drifts.count) difference\(report.drifts.count == 1 ? "" : "s") found\(signature.repair ? " and repaired" : "; run with --repair to rewrite the totals").")
            if !signature.repair { throw AggregateVerification.DriftFound(count: report.drifts.count) }
        }
    }
}

enum AggregateVerification {
    struct Report { let apprentices: Int; let drifts: [ProgressAggregates.Drift] }
    struct DriftFound: Error, CustomStringConvertible { let count: Int; var description: String { "\(count) aggregate difference(s) found." } }

    static func run(repair: Bool, on db: any Database, progress: (Int, Int) -> Void = { _, _ in }) async throws -> Report {
        let ids = try await Apprentice.query(on: db).all(\.$id)
        var drifts: [ProgressAggregates.Drift] = []
        for (index, id) in ids.enumerated() {
            let totals = try await ProgressAggregates.verify(apprenticeID: id, repair: repair, on: db)
            drifts += totals
            // The progress read model, recomputed from the totals and compared; while the totals themselves are wrong
            // (and not repaired) the comparison says nothing more.
            if totals.isEmpty || repair, let apprentice = try await Apprentice.find(id, on: db), let drift = try await ProgressSummaries.verify(apprentice, repair: repair, on: db) {
                drifts.append(drift)
            }
            progress(index + 1, ids.count)
        }
        return Report(apprentices: ids.count, drifts: drifts)
    }
}
