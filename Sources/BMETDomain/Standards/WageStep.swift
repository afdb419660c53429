/// One step of the progressively increasing wage schedule (29 CFR 29.5).
public struct WageStep: Codable, Sendable, Equatable {
    /// 1-based position in the schedule.
    public var step: Int
    public var title: String
    public var trigger: WageTrigger
    /// Nil when the employer sets the wage itself.
    public var percentOfJourneyworkerWage: Double?

    public init(step: Int, title: String, trigger: WageTrigger, percentOfJourneyworkerWage: Double? = nil) {
        self.step = step
        self.title = title
        self.trigger = trigger
        self.percentOfJourneyworkerWage = percentOfJourneyworkerWage
    }
}
