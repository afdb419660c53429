import BMETApp
import Logging
import Vapor

/// Starts the platform: `bmet serve`, `bmet migrate`, `bmet seed demo`, … (`bmet --help` lists them).
@main
enum Entrypoint {
    static func main() async throws {
        var env = try Environment.detect()
        try LoggingSystem.bootstrap(from: &env)

        let app = try await Application.make(env)
        do {
            // Templates, the stylesheet and the standards are found wherever `bmet` is started from (InstallRoot).
            switch InstallRoot.locate() {
            case .success(let root): app.directory = DirectoryConfiguration(workingDirectory: root)
            case .failure(let problem): throw problem
            }
            var settings = AppSettings.fromEnvironment()
            // Background jobs belong to the server only, not to one-off commands like `migrate`.
            let command = env.arguments.dropFirst().first
            settings.runBackgroundJobs = settings.runBackgroundJobs && (command == nil || command == "serve")
            try await configure(app, settings: settings)
        } catch {
            // A clear line and a non-zero exit status, not a crash with a stack trace.
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            try? await app.asyncShutdown()
            exit(1)
        }
        do {
            try await app.execute()
        } catch {
            // The console has already reported the command's error.
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }
}
