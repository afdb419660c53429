import Foundation

/// Hours and sign-offs of the work process schedule, kept in whole minutes so messages never round wrongly.
struct OnTheJobTotals: Sendable {
    var skillSets: [ApprenticeProgress.SkillSetProgress] = []
    var approvedMinutes = 0
    var creditedHours = 0
    var skillsTotal = 0
    var skillsCredited = 0
    /// Signed off by a rating and not credited: the skills earned during the program, which give the pace.
    var skillsRated = 0
    /// Skills neither signed off nor credited, in schedule order.
    var unsignedSkills: [String] = []

    var totalMinutes: Int { approvedMinutes + creditedHours * 60 }
    var skillsSignedOff: Int { skillsTotal - unsignedSkills.count }
}

extension ProgressEngine {
    /// Walks the schedule rather than the input, so codes the standards do not know are ignored.
    static func onTheJob(_ snapshot: TrainingRecordSnapshot) -> OnTheJobTotals {
        let signingOff = Set(snapshot.standards.ratingScale.filter(\.signsOff).map(\.code))
        var totals = OnTheJobTotals()
        for skillSet in snapshot.standards.skillSets {
            let approvedMinutes = snapshot.approvedMinutesBySkillSet[skillSet.code] ?? 0
            let creditedHours = snapshot.creditedHoursBySkillSet[skillSet.code] ?? 0
            let totalHours = Double(approvedMinutes) / 60 + Double(creditedHours)
            var signedOff = 0
            var credited = 0
            for skill in skillSet.skills {
                let isCredited = snapshot.creditedSkills.contains(skill.code)
                let isRated = snapshot.skillRatings[skill.code].map(signingOff.contains) ?? false
                if isCredited { credited += 1 }
                if isRated && !isCredited { totals.skillsRated += 1 }
                if isCredited || isRated {
                    signedOff += 1
                } else {
                    totals.unsignedSkills.append(skill.code)
                }
            }
            totals.skillSets.append(
                ApprenticeProgress.SkillSetProgress(
                    code: skillSet.code,
                    title: skillSet.title,
                    requiredHours: skillSet.hours,
                    approvedHours: Double(approvedMinutes) / 60,
                    creditedHours: creditedHours,
                    totalHours: totalHours,
                    fraction: fraction(totalHours, of: skillSet.hours),
                    skillsTotal: skillSet.skills.count,
                    skillsSignedOff: signedOff,
                    skillsCredited: credited
                ))
            totals.approvedMinutes += approvedMinutes
            totals.creditedHours += creditedHours
            totals.skillsTotal += skillSet.skills.count
            totals.skillsCredited += credited
        }
        return totals
    }
}
