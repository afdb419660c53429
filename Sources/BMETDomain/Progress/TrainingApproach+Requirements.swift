extension TrainingApproach {
    /// Completion needs the minimum on-the-job hours.
    var requiresHours: Bool { self != .competencyBased }

    /// Completion needs every skill signed off and every required credential.
    var requiresCompetencies: Bool { self != .timeBased }
}
