/// How completion is measured (29 CFR 29.5(b)(2)).
public enum TrainingApproach: String, Codable, Sendable, CaseIterable {
    /// Completion by hours of on-the-job learning.
    case timeBased = "time-based"
    /// Completion by demonstrated competencies.
    case competencyBased = "competency-based"
    /// A minimum of hours and demonstrated competencies.
    case hybrid
}
