import Fluent

/// The one ordered list of migrations, for SQLite and PostgreSQL alike.
enum AppMigrations {
    static let all: [any Migration] = [
        CreateEmployers(),
        CreateUsers(),
        CreateUserSessions(),
        CreateAPITokens(),
        CreateInvitations(),
        CreatePasswordResetTokens(),
        CreateLoginAttempts(),
        CreateOutboxMessages(),
        CreateProgramVersions(),
        CreateSkillSets(),
        CreateSkills(),
        CreateApplicants(),
        CreateApplicantEvents(),
        CreateFormSubmissions(),
        CreateEmployerInquiries(),
        CreateApprentices(),
        CreateApprenticeRecords(),
        UpdateInvitationsAddApprentice(),
        CreateHourEntries(),
        CreateSkillAssessments(),
        CreateInstructionAndCredentials(),
        CreateWageRaisesAndReviews(),
        CreateProgressAggregates(),
        CreateCompletionRequests(),
        CreateIssuedCredentials(),
        CreateAuditLog(),
        CreateRapidsExports(),
        CreateReportIndexes(),
        CreateScaleIndexes(),
        CreateNotifications(),
        CreateProgressSummaries(),
        CreateThrottleLocks(),
    ]
}
