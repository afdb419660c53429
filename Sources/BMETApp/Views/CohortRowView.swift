import BMETDomain

/// One apprentice in a dashboard table.
struct CohortRowView: Encodable {
    let id: String; let name: String; let status: String; let mentor: String; let employer: String
    let hours: String; let hoursPercent: Int; let skills: String; let skillsPercent: Int
    let outlook: String; let outlookCode: String; let projected: String?
    let raiseDue: Bool; let reviewOverdue: Bool; let pending: Int; let requests: Int

    init(_ row: Cohort.Row) {
        let p = row.progress
        id = row.apprentice.id?.uuidString ?? ""
        name = row.apprentice.fullName
        status = row.apprentice.status.label
        mentor = row.apprentice.$mentor.value?.fullName ?? ""
        employer = row.apprentice.$employer.value?.name ?? ""
        hours = "\(Hours.text(p.totalHours)) of \(p.minimumHours.grouped)"
        hoursPercent = Int((p.hoursFraction * 100).rounded(.down))
        skills = "\(p.skillsSignedOff) of \(p.skillsTotal)"
        skillsPercent = p.skillsTotal == 0 ? 100 : p.skillsSignedOff * 100 / p.skillsTotal
        outlook = p.outlook.label
        outlookCode = p.outlook.code
        projected = p.projectedCompletion.map(ProgramCalendar.dayString)
        raiseDue = !p.wage.dueSteps.isEmpty
        reviewOverdue = row.review?.isOverdue ?? false
        pending = row.pendingEntries
        requests = row.openRequests
    }
}

extension CohortRowView {
    /// The same row from the progress read model.
    init(_ apprentice: Apprentice, summary s: ProgressSummaries.Row, pending: Int, requests: Int) {
        id = apprentice.id?.uuidString ?? ""
        name = apprentice.fullName
        status = apprentice.status.label
        mentor = apprentice.$mentor.value?.fullName ?? ""
        employer = apprentice.$employer.value?.name ?? ""
        hours = "\(Hours.text(Double(s.totalMinutes) / 60)) of \(s.minimumHours.grouped)"
        hoursPercent = s.hoursPermille / 10
        skills = "\(s.skillsSigned) of \(s.skillsTotal)"
        skillsPercent = s.skillsTotal == 0 ? 100 : s.skillsSigned * 100 / s.skillsTotal
        outlook = s.outlookLabel ?? ""
        outlookCode = s.outlookCode ?? ""
        projected = s.projectedCompletion
        raiseDue = s.raiseStep != nil
        reviewOverdue = s.reviewOverdue
        self.pending = pending
        self.requests = requests
    }
}
