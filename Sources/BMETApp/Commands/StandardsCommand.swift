import BMETDomain
import Fluent
import Vapor

/// `bmet standards validate FILE` and `bmet standards load FILE`.
struct StandardsCommand: AsyncCommandGroup {
    var help: String { "Check or load a program standards file (see docs/STANDARDS.md)." }
    var commands: [String: any AnyAsyncCommand] {
        ["validate": StandardsValidateCommand(), "load": StandardsLoadCommand()]
    }
}

struct StandardsFileSignature: CommandSignature {
    @Argument(name: "file", help: "Path to the standards JSON file.")
    var file: String
}

private func readStandardsFile(_ path: String) throws -> Data {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CommandFailure("Cannot read \(path): no such file, or not readable.")
    }
    return data
}

struct StandardsValidateCommand: AsyncCommand {
    typealias Signature = StandardsFileSignature
    var help: String { "Check a standards file without loading it. Lists every problem with its path." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let data = try readStandardsFile(signature.file)
        do {
            let standards = try StandardsDocument.decode(data)
            context.console.success("\(signature.file) is valid: \(standards.title) \(standards.version) — \(standards.occupation.title) (RAPIDS \(standards.occupation.rapidsCode)), \(standards.skillSets.count) skill sets, \(standards.totalSkillCount) skills.")
        } catch {
            for issue in error.issues { context.console.error(issue.description) }
            throw CommandFailure("\(signature.file) is not valid: \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s").")
        }
    }
}

struct StandardsLoadCommand: AsyncCommand {
    typealias Signature = StandardsFileSignature
    var help: String { "Load a standards file as a new program version. A bad file is refused whole." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let data = try readStandardsFile(signature.file)
        do {
            let version = try await StandardsLibrary.load(data, loadedBy: nil, on: context.application.db)
            context.console.success("Loaded \(version.title) as \(version.programCode) version \(version.versionNumber).")
        } catch StandardsLibrary.LoadError.invalid(let issues) {
            for issue in issues { context.console.error(issue.description) }
            throw CommandFailure("Nothing was loaded: \(issues.count) problem\(issues.count == 1 ? "" : "s").")
        } catch StandardsLibrary.LoadError.duplicate(let existing) {
            throw CommandFailure("Nothing was loaded: the file is identical to \(existing.programCode) version \(existing.versionNumber).")
        }
    }
}
