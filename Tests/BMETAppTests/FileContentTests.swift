@testable import BMETApp
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// Uploads are recognised by their whole structure, and served as downloads only.
@Suite("Upload content")
struct FileContentTests {
    static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")!

    /// SOI, APP0, a 1×1 baseline frame, a scan with a little entropy data (a stuffed FF 00 inside) and EOI.
    static let jpeg: Data = {
        var bytes: [UInt8] = [0xFF, 0xD8]
        bytes += [0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]
        bytes += [0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00]
        bytes += [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]
        bytes += [0x12, 0x34, 0xFF, 0x00, 0x56]
        bytes += [0xFF, 0xD9]
        return Data(bytes)
    }()

    static var polyglot: Data {
        var text = String(decoding: Make.pdf, as: UTF8.self)
        text = text.replacingOccurrences(of: "%PDF-1.4\n", with: "%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n")
        return Data(text.utf8)
    }

    @Test("real PDFs, PNGs and JPEGs pass; polyglots, truncated files and five magic bytes do not")
    func identify() {
        #expect(FileContent.identify(Make.pdf) == .pdf)
        #expect(FileContent.identify(Self.png) == .png)
        #expect(FileContent.identify(Self.jpeg) == .jpeg)

        #expect(FileContent.identify(Self.polyglot) == nil)
        #expect(FileContent.identify(Data("%PDF-1.4\n%%EOF\n".utf8)) == nil)
        #expect(FileContent.identify(Data("%PDF-<html><script>alert(1)</script>".utf8)) == nil)
        #expect(FileContent.identify(Self.png + Data("<html><script>x</script>".utf8)) == nil)
        var badCRC = [UInt8](Self.png); badCRC[30] ^= 0xFF
        #expect(FileContent.identify(Data(badCRC)) == nil)
        #expect(FileContent.identify(Self.png.prefix(40)) == nil)
        #expect(FileContent.identify(Self.jpeg.dropLast(2)) == nil)
        #expect(FileContent.identify(Data([0xFF, 0xD8, 0xFF, 0xE0]) + Data("<html>".utf8)) == nil)
    }

    @Test("a PDF polyglot is refused as evidence and as a résumé; stored evidence downloads as an attachment with nosniff")
    func uploads() async throws {
        try await withTestApp { app in
            let s = try await TrainingRecordTests.setup(app)
            let id = try s.apprentice.requireID()
            let mentor = Browser(app)
            _ = try await mentor.signIn(s.world.mentorA.email)
            let refused = try await mentor.uploadForm("/apprentices/\(id)/skills/OS-05/assessments", fields: ["rating": "developing", "observed": "Checklist"],
                                                      file: ("evidence", "checklist.pdf", Self.polyglot))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("PDF, JPEG or PNG"))

            let stored = try await mentor.uploadForm("/apprentices/\(id)/skills/OS-05/assessments", fields: ["rating": "developing", "observed": "Checklist"],
                                                     file: ("evidence", "checklist.pdf", Make.pdf))
            #expect(stored.status == .seeOther)
            let name = try #require(try await SkillAssessment.query(on: app.db).filter(\.$evidenceFile != nil).first()?.evidenceFile)
            let download = try await mentor.get("/evidence/\(name)")
            #expect(download.status == .ok)
            #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
            #expect(download.headers.first(name: "X-Content-Type-Options") == "nosniff")

            let resume = try await Browser(app).uploadForm("/apply", fields: RecruitmentTests.application(), file: ("resume", "cv.pdf", Self.polyglot))
            #expect(resume.status == .unprocessableEntity)
            #expect(resume.text.contains("must be a PDF"))
        }
    }
}
