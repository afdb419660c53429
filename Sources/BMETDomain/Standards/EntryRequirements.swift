/// Who may start the program: the minimum age and when a high-school diploma or equivalent is needed.
///
/// The interest form and registration both read these, so a program that takes 16-year-olds still in school says so
/// in one place. 29 CFR 29.5(b)(10): the minimum age is not below 16.
public struct EntryRequirements: Codable, Sendable, Equatable {
    /// Age on the first day of the apprenticeship.
    public var minimumAge: Int
    /// True: a diploma or GED is required by the start date, so students may apply with the date they expect it.
    /// False: no diploma is required at all.
    public var diplomaByStart: Bool

    public init(minimumAge: Int, diplomaByStart: Bool) {
        self.minimumAge = minimumAge
        self.diplomaByStart = diplomaByStart
    }

    /// What a standards file without the section gets: the AAMI program's own rule.
    public static let standard = EntryRequirements(minimumAge: 16, diplomaByStart: true)
    /// 29 CFR 29.5(b)(10).
    public static let lowestMinimumAge = 16
}

/// Limits past which approving hours asks the mentor to confirm a second time: old entries and large batches are
/// where a mistaken click costs most.
public struct ApprovalLimits: Codable, Sendable, Equatable {
    /// Entries whose day is more than this many days before the approval.
    public var confirmOlderThanDays: Int
    /// Batches that add up to more than this many hours.
    public var confirmBatchOverHours: Int

    public init(confirmOlderThanDays: Int, confirmBatchOverHours: Int) {
        self.confirmOlderThanDays = confirmOlderThanDays
        self.confirmBatchOverHours = confirmBatchOverHours
    }

    public static let standard = ApprovalLimits(confirmOlderThanDays: 30, confirmBatchOverHours: 80)
}
