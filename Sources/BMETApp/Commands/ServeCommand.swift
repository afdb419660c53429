import Vapor

/// `bmet serve` — Vapor's server, with help that says where the platform finds its files and settings. It runs
/// Vapor's own serve command (the same instance the application shuts down), so only the help text differs.
struct BMETServeCommand: AsyncCommand {
    typealias Signature = ServeCommand.Signature

    var help: String {
        """
        Serve the platform over HTTP (default 127.0.0.1:8080). Templates, the stylesheet and the standards are read from \
        BMET_ROOT if set, else the working directory if it holds them, else beside the executable (a copied release \
        folder serves from anywhere). Data, uploads and keys live in BMET_DATA_DIR; the database is SQLite there unless \
        DATABASE_URL names PostgreSQL. Background jobs run inside the server (BMET_BACKGROUND_JOBS). Every setting is in \
        the README's Configuration section; a deployment is described in docs/DEPLOY.md.
        """
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.servers.asyncCommand.run(using: context, signature: signature)
    }
}
