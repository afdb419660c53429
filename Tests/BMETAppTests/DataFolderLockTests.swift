@testable import BMETApp
import Fluent
import Foundation
import Testing
import Vapor

/// `bmet restore` refuses while a server holds the data folder, so no acknowledged write lands in a moved-aside file.
@Suite("Data folder lock")
struct DataFolderLockTests {
    @Test("restore refuses while a server holds the folder and moves nothing; once the server stops, it restores")
    func restoreWaitsForServer() async throws {
        try await BackupTests.withFileApp { app, folder in
            let data = app.settings.dataDirectory
            _ = try await Make.employer(app, name: "Kept While Serving")
            let backup = folder + "/backup"
            _ = try await Backup.create(app: app, to: backup)

            // What `bmet serve` does at boot (the lifecycle handler, in this process).
            let server = ServerDataFolderLock()
            try server.willBoot(app)
            do {
                _ = try await Backup.restore(app: app, from: backup)
                Issue.record("restore ran while the server held the data folder")
            } catch let failure as Backup.Failure {
                #expect(failure.description.contains("Stop every server first"))
            }
            #expect(FileManager.default.fileExists(atPath: data + "/bmet.sqlite"))
            let aside = try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasPrefix("before-restore-") }
            #expect(aside.isEmpty)
            #expect(try await Employer.query(on: app.db).filter(\.$name == "Kept While Serving").count() == 1)

            // A second server on the same folder is fine; a server cannot start during a restore.
            let second = try DataFolderLock.acquire(in: data, exclusive: false)
            second.release()
            server.shutdown(app)
            let restoring = try DataFolderLock.acquire(in: data, exclusive: true)
            #expect(throws: DataFolderLock.Held.self) { _ = try DataFolderLock.acquire(in: data, exclusive: false) }
            restoring.release()

            let restored = try await Backup.restore(app: app, from: backup)
            #expect(restored.setAside.contains("before-restore-"))
        }
    }
}
