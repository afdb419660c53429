/// The probationary period, credited toward completion. 29 CFR 29.5 caps it at 25% of the term or one year,
/// whichever is shorter.
public struct ProbationaryPeriod: Codable, Sendable, Equatable {
    public var months: Int
    /// The same period in on-the-job hours, for programs that count it in hours.
    public var hours: Int?

    public init(months: Int, hours: Int? = nil) {
        self.months = months
        self.hours = hours
    }
}
