import BMETDomain
import Foundation

/// Page models of the equal-opportunity pages (`Resources/Views/eeo/`), built from the services' results.
enum EEOPages {
    struct Hub: Encodable {
        let nextStep: Step
        let reviewDue: Bool
        let lastReview: String?
        let stages: [StageRow]
        let outreachCount: Int
        let underUtilized: Int
        let officers: [String]
    }

    struct Step: Encodable { let text: String; let href: String; let action: String }

    struct StageRow: Encodable {
        let label: String; let sent: Int; let answered: Int; let percent: Int
        init(_ count: SelfIdentification.StageCount) {
            label = count.stage.label; sent = count.sent; answered = count.answered
            percent = count.sent == 0 ? 0 : Int((Double(count.answered) / Double(count.sent) * 100).rounded())
        }
    }

    struct Utilization: Encodable {
        let occupations: [SelectOption]
        let states: [SelectOption]
        let occupation: String
        let state: String
        let occupationTitle: String
        let total: String
        let totalSuppressed: Bool
        let notIdentified: String
        let hasAvailability: Bool
        let source: String?
        let rows: [GroupRow]
        let flagged: [String]
        let chartSVG: String?
        let form: [FormGroup]
        let formSource: String
        let formYear: String
        let errors: FieldErrors
        let notice: String?
        let disability: [DisabilityRow]
        let disabilityChartSVG: String?
        let disabilityGoal: String
        let csvHref: String
    }

    struct GroupRow: Encodable {
        let code: String; let label: String; let availability: String; let count: String; let utilization: String
        let expected: String; let underUtilized: Bool; let shortfall: Int; let goal: String?
    }

    struct FormGroup: Encodable { let code: String; let label: String; let value: String; let error: String? }

    struct DisabilityRow: Encodable {
        let occupation: String; let title: String; let total: String; let withDisability: String; let notAnswered: String
        let rate: String; let belowGoal: Bool; let suppressed: Bool
    }

    struct Answers: Encodable {
        let stages: [StageRow]
        let rows: [AnswerRow]
        let olderHref: String?
        let newestHref: String?
    }

    struct AnswerRow: Encodable { let name: String; let kind: String; let stage: String; let answer: String; let when: String }

    struct OutreachPage: Encodable {
        let rows: [OutreachRow]
        let kinds: [SelectOption]
        let audiences: [Audience]
        let values: Outreach.Input
        let errors: FieldErrors
        let notice: String?
        let olderHref: String?
        let today: String
    }

    struct OutreachRow: Encodable { let date: String; let kind: String; let organization: String; let description: String; let groups: String; let recordedBy: String }
    struct Audience: Encodable { let code: String; let label: String; let checked: Bool }

    struct Reviews: Encodable {
        let due: Bool
        let status: String
        let items: [ChecklistItem]
        let periodStart: String
        let periodEnd: String
        let findings: String
        let actions: String
        let signedName: String
        let errors: FieldErrors
        let notice: String?
        let past: [PastReview]
        let retentionYears: Int
    }

    struct ChecklistItem: Encodable { let code: String; let text: String; let done: Bool; let note: String; let error: String? }
    struct PastReview: Encodable { let id: String; let period: String; let signedBy: String; let signedAt: String; let itemsDone: String }

    struct Review: Encodable {
        let period: String; let signedBy: String; let signedAt: String; let findings: String; let actions: String
        let items: [ReviewedItem]
    }

    struct ReviewedItem: Encodable { let text: String; let done: Bool; let note: String }

    /// The disability self-identification form reached from an invitation's link.
    struct SelfIdentify: Encodable {
        let token: String
        let choices: [SelectOption]
        let error: String?
        let thanks: String?
        let contactEmail: String
    }
}
