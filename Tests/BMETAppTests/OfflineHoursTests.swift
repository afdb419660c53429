@testable import BMETApp
import Testing
import Vapor
import VaporTesting

/// The pieces of offline hour logging the server hands out: the service worker at the site's root (so it may control
/// the week form), its outbox script, and the week form marked for it. The behaviour offline is tested in a browser
/// (checks/browser/test_offline_hours.py); here, that a signed-out page carries no script at all.
@Suite("Offline hours")
struct OfflineHoursTests {
    @Test("the service worker and its scripts are served as JavaScript from the site's root")
    func workerIsServed() async throws {
        try await withTestApp { app in
            for path in ["/sw.js", "/js/hours-outbox.js", "/js/offline-hours.js"] {
                let response = try await Browser(app).get(path)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers.contentType?.subType == "javascript", "\(path): \(response.headers.contentType?.serialize() ?? "none")")
            }
            let worker = try await Browser(app).get("/sw.js")
            #expect(worker.text.contains("importScripts('/js/hours-outbox.js')"))
        }
    }

    @Test("the week form is marked for the worker and signed-in pages load the scripts; signed-out pages load none")
    func weekFormIsMarked() async throws {
        try await withTestApp { app in
            let s = try await TrainingRecordTests.setup(app)
            let apprentice = Browser(app)
            _ = try await apprentice.signIn(s.world.apprenticeA.email)
            let form = try await apprentice.get("/apprentices/\(s.apprentice.id!)/hours/week")
            #expect(form.status == .ok)
            #expect(form.text.contains("data-offline-week"))
            #expect(form.text.contains("<script src=\"/js/offline-hours.js\" defer></script>"))
            let home = try await Browser(app).get("/")
            #expect(home.status == .ok)
            #expect(!home.text.contains("<script"))
        }
    }
}
