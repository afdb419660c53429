import Testing

@testable import BMETMail

struct SMTPConfigurationTests {
    @Test func missingOrEmptyHostMeansNoSMTP() throws {
        #expect(try SMTPConfiguration.fromEnvironment([:]) == nil)
        #expect(try SMTPConfiguration.fromEnvironment(["SMTP_HOST": "  ", "SMTP_PORT": "25"]) == nil)
    }

    @Test func readsEveryVariable() throws {
        let config = try #require(try SMTPConfiguration.fromEnvironment([
            "SMTP_HOST": "smtp.bmet.test",
            "SMTP_PORT": "2525",
            "SMTP_SECURITY": "STARTTLS",
            "SMTP_USERNAME": "mailer",
            "SMTP_PASSWORD": " pass word ",
            "SMTP_HELO_NAME": "app.bmet.test",
            "SMTP_TIMEOUT_SECONDS": "2.5",
        ]))
        #expect(config.host == "smtp.bmet.test")
        #expect(config.port == 2525)
        #expect(config.security == .startTLS)
        #expect(config.username == "mailer")
        #expect(config.password == " pass word ")
        #expect(config.heloName == "app.bmet.test")
        #expect(config.timeout == .milliseconds(2500))
        #expect(!config.description.contains("pass word"))
    }

    @Test func defaultsAreSecure() throws {
        let submission = try #require(try SMTPConfiguration.fromEnvironment(["SMTP_HOST": "smtp.bmet.test"]))
        #expect(submission.security == .startTLS)
        #expect(submission.port == 587)
        #expect(submission.username == nil && submission.password == nil)
        #expect(submission.timeout == .seconds(30))

        let implicit = try #require(try SMTPConfiguration.fromEnvironment(["SMTP_HOST": "h", "SMTP_PORT": "465"]))
        #expect(implicit.security == .tls)

        let plain = try #require(try SMTPConfiguration.fromEnvironment(["SMTP_HOST": "h", "SMTP_SECURITY": "none"]))
        #expect(plain.port == 25)
        let tls = try #require(try SMTPConfiguration.fromEnvironment(["SMTP_HOST": "h", "SMTP_SECURITY": "tls"]))
        #expect(tls.port == 465)
    }

    @Test(arguments: [
        (["SMTP_HOST": "h", "SMTP_PORT": "abc"], "SMTP_PORT"),
        (["SMTP_HOST": "h", "SMTP_PORT": "0"], "SMTP_PORT"),
        (["SMTP_HOST": "h", "SMTP_PORT": "70000"], "SMTP_PORT"),
        (["SMTP_HOST": "h", "SMTP_SECURITY": "ssl"], "SMTP_SECURITY"),
        (["SMTP_HOST": "h", "SMTP_USERNAME": "u"], "SMTP_PASSWORD"),
        (["SMTP_HOST": "h", "SMTP_PASSWORD": "p"], "SMTP_USERNAME"),
        (["SMTP_HOST": "smtp://h"], "SMTP_HOST"),
        (["SMTP_HOST": "h", "SMTP_TIMEOUT_SECONDS": "-1"], "SMTP_TIMEOUT_SECONDS"),
        (["SMTP_HOST": "h", "SMTP_HELO_NAME": "two words"], "SMTP_HELO_NAME"),
    ])
    func badValuesThrowAClearError(_ env: [String: String], variable: String) {
        let error = #expect(throws: SMTPError.self) { try SMTPConfiguration.fromEnvironment(env) }
        #expect(error?.kind == .invalidConfiguration)
        #expect(error?.description.contains(variable) == true)
    }

    @Test func badPasswordIsNeverEchoed() {
        let error = #expect(throws: SMTPError.self) {
            try SMTPConfiguration.fromEnvironment(["SMTP_HOST": "h", "SMTP_PASSWORD": "hunter2"])
        }
        #expect(error?.description.contains("hunter2") == false)
    }
}
