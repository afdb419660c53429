import BMETDomain
import Fluent
import Vapor

/// The page models of `DashboardController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension DashboardController {
    struct Figure: Encodable { let label: String; let value: Int; let href: String? }

    struct NextStep: Encodable { let text: String; let href: String; let action: String }

    struct View: Encodable {
        let greeting: String
        let role: String
        let employer: String?
        let figures: [Figure]
        let next: NextStep?
        let program: ProgramSummary?
        let mine: MyApprenticeship?
        let mentees: [ApprenticeRow]
        /// The apprentice's own progress.
        let progress: ProgressView?
        /// Mentor and employer: their apprentices with progress.
        let cohort: [CohortRowView]
        /// The next page of the cohort, when there is one.
        let cohortNext: String?
        /// Sponsor: every employer at a glance, a page at a time.
        let employers: [EmployerRow]
        let employersNext: String?
    }

    struct EmployerRow: Encodable {
        let id: String; let name: String; let state: String; let apprentices: Int; let atRisk: Int; let raisesDue: Int
        let reviewsOverdue: Int; let averagePercent: Int
    }

    /// The current program's schedule as bars, so everyone sees the shape of the two years.
    struct ProgramSummary: Encodable {
        struct Bar: Encodable { let title: String; let hours: Int; let percent: Int }
        /// `totalHours` is the schedule's plan (the program's "up to"); `minimumHours` is what completion needs.
        let id: String; let title: String; let versionNumber: Int; let totalHours: String; let minimumHours: String; let bars: [Bar]
    }

    struct MyApprenticeship: Encodable {
        let id: String; let program: String; let mentor: String; let mentorEmail: String; let employer: String
        let startDate: String; let probationEnd: String; let status: String
    }

    struct ApprenticeRow: Encodable { let id: String; let name: String; let status: String; let start: String }

    /// The decision in words, with the page to act on.
    static func words(for step: ApprenticeNextStep, apprenticeID id: UUID) -> NextStep {
        switch step {
        case .signAgreement:
            return NextStep(text: "Read and sign your apprenticeship agreement.", href: "/apprentices/\(id)/agreement", action: "Open the agreement")
        case .waitForSignatures(let missing):
            let names = missing.map { $0 == .employer ? "your employer" : "the sponsor" }
            let who = names.isEmpty ? "the last signature is being recorded" : names.joined(separator: " and ") + (names.count == 1 ? " signs" : " sign") + " next"
            return NextStep(text: "You signed your agreement; \(who).", href: "/apprentices/\(id)/agreement", action: "See the agreement")
        case .commentOnReview(let number):
            return NextStep(text: "Add your comments to progress review \(number), then sign it.", href: "/apprentices/\(id)/reviews", action: "Open the review")
        case .signReview(let number):
            return NextStep(text: "Sign progress review \(number).", href: "/apprentices/\(id)/reviews", action: "Open the review")
        case .fixRejectedHours(let count):
            return NextStep(text: "\(count) hour entr\(count == 1 ? "y was" : "ies were") rejected. Read your mentor's comment and fix and resubmit.",
                            href: "/apprentices/\(id)/hours", action: "See your hours")
        case .downloadCertificate:
            return NextStep(text: "Congratulations: you completed your apprenticeship. Download your certificate, your transcript and your digital credentials.",
                            href: "/apprentices/\(id)/completion", action: "Get your certificate")
        case .certificateRevoked:
            return NextStep(text: "Your certificate was revoked by the sponsor; the completion page gives the reason. Contact the program if you think this is wrong.",
                            href: "/apprentices/\(id)/completion", action: "See the reason")
        case .talkToEmployer(let status):
            return NextStep(text: "Your apprenticeship is \(status.label.lowercased()). Talk to your employer about what happens next.", href: "/apprentices/\(id)", action: "Open your record")
        case .waitForCompletion(let requested):
            return NextStep(text: requested ? "You meet every requirement and your employer put you forward: the sponsor reviews your completion."
                                            : "You meet every requirement. Your employer puts you forward for completion.",
                            href: "/apprentices/\(id)/completion", action: "See the checklist")
        case .logThisWeek:
            return NextStep(text: "Log this week's on-the-job hours: it takes a minute.", href: "/apprentices/\(id)/hours/week", action: "Log this week")
        case .prepareForExam(let name, let date):
            return NextStep(text: "Prepare for your \(name) exam on \(ProgramCalendar.dayString(date)).", href: "/apprentices/\(id)/credentials", action: "See your credentials")
        case .waitForAssessment(let skill, let since):
            return NextStep(text: "Your mentor has your request to assess \(skill) (asked \(ProgramCalendar.dayString(since))). Keep practising it meanwhile.",
                            href: "/apprentices/\(id)/skills/\(skill)", action: "Open the skill")
        case .askForAssessment:
            return NextStep(text: "Hours are logged for this week. Ask your mentor to assess a skill you have practised.", href: "/apprentices/\(id)/skills", action: "Open your skills")
        }
    }
}
