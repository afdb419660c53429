/// Checks a decoded ``ProgramStandards`` against the registration rules (29 CFR 29) and for internal
/// consistency. Every broken rule becomes one ``StandardsIssue`` at the path of the field to fix.
///
/// One mistake should be reported once. So a rule that compares two fields runs only when the field it
/// compares against is usable: it decoded, and passed its own rules (which are checked first). A wrong
/// `termMonths` is reported once, not again by every wage step and the probation limit.
struct StandardsRules {
    /// 29 CFR 29.4: an apprenticeable occupation needs at least 2,000 hours of on-the-job learning.
    static let minimumOJLHoursForHourBasedPrograms = 2000
    /// 29 CFR 29.5: probation is at most a quarter of the term or one year, whichever is shorter.
    static let probationShareOfTerm = 0.25
    static let probationMaximumMonths = 12
    /// One year of full-time work, the usual measure of a year in hours.
    static let hoursPerYear = 2000

    private(set) var issues: [StandardsIssue] = []
    /// Paths that had a decoding problem; their placeholder values are not checked or compared against.
    private let undecodable: [String]

    init(checking standards: ProgramStandards, undecodablePaths: [String] = []) {
        undecodable = undecodablePaths
        checkIdentity(standards)
        checkTerm(standards)
        checkProbation(standards)
        checkRatingScale(standards.ratingScale)
        checkSkillSets(standards)
        checkCourses(standards.courses)
        checkCredentials(standards.credentials)
        checkWageSchedule(standards)
        checkMentorRatio(standards.mentorRatio)
        checkCertificateIssuers(standards.certificateIssuers)
        checkEntryAndApprovals(standards)
    }

    // MARK: - Sections

    private mutating func checkIdentity(_ s: ProgramStandards) {
        if s.schemaVersion != ProgramStandards.currentSchemaVersion {
            add("schemaVersion", "must be \(ProgramStandards.currentSchemaVersion)")
        }
        if requireText(s.programCode, at: "programCode"), !TextPatterns.isSlug(s.programCode) {
            add("programCode", "must be lower-case letters, digits and single hyphens, e.g. aami-bmet")
        }
        if requireText(s.version, at: "version"), !TextPatterns.isCode(s.version, maximumLength: 40) {
            add("version", "must be letters, digits, '.', '_' or '-' (at most 40), e.g. 2026.1")
        }
        requireText(s.title, at: "title")
        requireText(s.sponsor, at: "sponsor")
        optionalText(s.note, at: "note")

        requireText(s.occupation.title, at: "occupation.title")
        if requireText(s.occupation.rapidsCode, at: "occupation.rapidsCode"),
            !TextPatterns.isRAPIDSCode(s.occupation.rapidsCode)
        {
            add("occupation.rapidsCode", "must be four digits and one or two capital letters, e.g. 0888HY")
        }
        if requireText(s.occupation.onetSocCode, at: "occupation.onetSocCode"),
            !TextPatterns.isONetSOCCode(s.occupation.onetSocCode)
        {
            add("occupation.onetSocCode", "must look like 49-9062.00")
        }
    }

    private mutating func checkTerm(_ s: ProgramStandards) {
        requirePositive(s.termMonths, at: "termMonths")
        // The minimum depends on the approach: competency-based programs do not count hours.
        if isUsable("approach") {
            if s.approach == .competencyBased {
                if s.minimumOJLHours < 0 { add("minimumOJLHours", "must not be negative") }
            } else if s.minimumOJLHours < Self.minimumOJLHoursForHourBasedPrograms {
                let minimum = MessageFormat.count(Self.minimumOJLHoursForHourBasedPrograms)
                add("minimumOJLHours", "must be at least \(minimum) for a \(s.approach.rawValue) program (29 CFR 29.4)")
            }
        }
        if let maximum = s.maximumOJLHours, isUsable("minimumOJLHours"), maximum < s.minimumOJLHours {
            add("maximumOJLHours", "must be at least minimumOJLHours (\(MessageFormat.count(s.minimumOJLHours)))")
        }
        if s.annualInstructionHoursRecommended < 0 {
            add("annualInstructionHoursRecommended", "must not be negative")
        }
    }

    private mutating func checkProbation(_ s: ProgramStandards) {
        let months = s.probationaryPeriod.months
        let monthLimit = min(Double(s.termMonths) * Self.probationShareOfTerm, Double(Self.probationMaximumMonths))
        if requirePositive(months, at: "probationaryPeriod.months"), isUsable("termMonths"), Double(months) > monthLimit
        {
            add(
                "probationaryPeriod.months",
                "must be at most \(MessageFormat.number(monthLimit)): 25% of the \(s.termMonths)-month term or 12 months, whichever is shorter (29 CFR 29.5)"
            )
        }
        guard let hours = s.probationaryPeriod.hours else { return }
        let hourLimit = min(Double(s.minimumOJLHours) * Self.probationShareOfTerm, Double(Self.hoursPerYear))
        if requirePositive(hours, at: "probationaryPeriod.hours"), isUsable("minimumOJLHours"), s.minimumOJLHours > 0,
            Double(hours) > hourLimit
        {
            add(
                "probationaryPeriod.hours",
                "must be at most \(MessageFormat.number(hourLimit)): 25% of minimumOJLHours or one year (2,000 hours), whichever is less (29 CFR 29.5)"
            )
        }
    }

    private mutating func checkRatingScale(_ levels: [RatingLevel]) {
        guard !levels.isEmpty else {
            add("ratingScale", "must have at least one level")
            return
        }
        var codes = FirstSeen()
        for (index, level) in levels.enumerated() {
            let path = "ratingScale[\(index)]"
            checkCode(level.code, at: "\(path).code", among: &codes)
            requireText(level.label, at: "\(path).label")
            optionalText(level.description, at: "\(path).description")
        }
        if !levels.contains(where: \.signsOff) {
            add("ratingScale", "must have a level that signs a skill off (\"signsOff\": true)")
        }
    }

    private mutating func checkSkillSets(_ s: ProgramStandards) {
        guard !s.skillSets.isEmpty else {
            add("skillSets", "must have at least one skill set")
            return
        }
        var setCodes = FirstSeen()
        var skillCodes = FirstSeen()
        for (setIndex, skillSet) in s.skillSets.enumerated() {
            let path = "skillSets[\(setIndex)]"
            checkCode(skillSet.code, at: "\(path).code", among: &setCodes)
            requireText(skillSet.title, at: "\(path).title")
            requirePositive(skillSet.hours, at: "\(path).hours")
            optionalText(skillSet.description, at: "\(path).description")
            if skillSet.skills.isEmpty { add("\(path).skills", "must have at least one skill") }
            for (skillIndex, skill) in skillSet.skills.enumerated() {
                let skillPath = "\(path).skills[\(skillIndex)]"
                // Skill codes are unique across the document: ratings and sign-offs refer to a skill by code alone.
                checkCode(skill.code, at: "\(skillPath).code", among: &skillCodes)
                requireText(skill.title, at: "\(skillPath).title")
            }
        }
        checkScheduledHours(s)
    }

    private mutating func checkScheduledHours(_ s: ProgramStandards) {
        guard s.skillSets.indices.allSatisfy({ isUsable("skillSets[\($0)].hours") }) else { return }
        let total = s.totalSkillSetHours
        if isUsable("approach"), s.approach != .competencyBased, isUsable("minimumOJLHours"), total < s.minimumOJLHours
        {
            add(
                "skillSets",
                "hours add up to \(MessageFormat.count(total)), less than minimumOJLHours (\(MessageFormat.count(s.minimumOJLHours)))"
            )
        }
        if let maximum = s.maximumOJLHours, isUsable("maximumOJLHours"), total > maximum {
            add(
                "skillSets",
                "hours add up to \(MessageFormat.count(total)), more than maximumOJLHours (\(MessageFormat.count(maximum)))"
            )
        }
    }

    private mutating func checkCourses(_ courses: [Course]) {
        if courses.isEmpty { add("courses", "must have at least one related-instruction course (29 CFR 29.5)") }
        var codes = FirstSeen()
        for (index, course) in courses.enumerated() {
            let path = "courses[\(index)]"
            checkCode(course.code, at: "\(path).code", among: &codes)
            requireText(course.title, at: "\(path).title")
            requirePositive(course.hours, at: "\(path).hours")
            optionalText(course.description, at: "\(path).description")
        }
    }

    private mutating func checkCredentials(_ credentials: [CredentialRequirement]) {
        var codes = FirstSeen()
        for (index, credential) in credentials.enumerated() {
            let path = "credentials[\(index)]"
            checkCode(credential.code, at: "\(path).code", among: &codes)
            requireText(credential.name, at: "\(path).name")
            requireText(credential.issuer, at: "\(path).issuer")
            optionalText(credential.exam, at: "\(path).exam")
            if let years = credential.validityYears { requirePositive(years, at: "\(path).validityYears") }
            optionalText(credential.note, at: "\(path).note")
        }
    }

    private mutating func checkWageSchedule(_ s: ProgramStandards) {
        guard !s.wageSchedule.isEmpty else {
            add(
                "wageSchedule",
                "must have at least one step (29 CFR 29.5 requires a progressively increasing wage schedule)")
            return
        }
        var previousPercent: (step: Int, percent: Double)?
        var previousValue: [WageTrigger.Kind: (step: Int, value: Int)] = [:]
        for (index, step) in s.wageSchedule.enumerated() {
            let path = "wageSchedule[\(index)]"
            if step.step != index + 1 {
                add("\(path).step", "must be \(index + 1): steps are numbered 1, 2, 3… in order")
            }
            requireText(step.title, at: "\(path).title")
            checkTrigger(step.trigger, at: "\(path).trigger", isFirst: index == 0, in: s)

            // Later steps may not move the apprentice backwards: no earlier milestone, no lower wage.
            let valuePath = "\(path).trigger.value"
            if let value = step.trigger.value, isUsable("\(path).trigger.kind"), isUsable(valuePath) {
                if let earlier = previousValue[step.trigger.kind], value <= earlier.value {
                    add(valuePath, "must be more than step \(earlier.step)'s \(MessageFormat.count(earlier.value))")
                }
                previousValue[step.trigger.kind] = (index + 1, value)
            }
            let percentPath = "\(path).percentOfJourneyworkerWage"
            if let percent = step.percentOfJourneyworkerWage, isUsable(percentPath) {
                if percent <= 0 || percent > 100 {
                    add(percentPath, "must be more than 0 and at most 100")
                } else {
                    if let earlier = previousPercent, percent < earlier.percent {
                        add(
                            percentPath,
                            "must not be lower than step \(earlier.step)'s \(MessageFormat.number(earlier.percent))% (the schedule must increase)"
                        )
                    }
                    previousPercent = (index + 1, percent)
                }
            }
        }
    }

    private mutating func checkTrigger(_ trigger: WageTrigger, at path: String, isFirst: Bool, in s: ProgramStandards) {
        guard isUsable("\(path).kind") else { return }
        if isFirst, trigger.kind != .start {
            add("\(path).kind", "must be \"start\": step 1 is the starting wage")
        } else if !isFirst, trigger.kind == .start {
            add("\(path).kind", "can be \"start\" only on step 1")
        }
        switch trigger.kind {
        case .start:
            forbid(trigger.value, "value", at: path, kind: trigger.kind)
            forbid(trigger.credential, "credential", at: path, kind: trigger.kind)
        case .hours, .months, .skills:
            forbid(trigger.credential, "credential", at: path, kind: trigger.kind)
            guard let value = trigger.value else {
                add("\(path).value", "is required for a \"\(trigger.kind.rawValue)\" trigger")
                return
            }
            guard requirePositive(value, at: "\(path).value") else { return }
            let limit: (value: Int, name: String)? =
                switch trigger.kind {
                case .hours: isUsable("maximumOJLHours") ? s.maximumOJLHours.map { ($0, "maximumOJLHours") } : nil
                case .months: isUsable("termMonths") ? (s.termMonths, "termMonths") : nil
                default: isDecoded("skillSets") ? (s.totalSkillCount, "the number of skills") : nil
                }
            if let limit, value > limit.value {
                add("\(path).value", "must be at most \(limit.name) (\(MessageFormat.count(limit.value)))")
            }
        case .credential:
            forbid(trigger.value, "value", at: path, kind: trigger.kind)
            guard let code = trigger.credential, TextPatterns.hasText(code) else {
                add("\(path).credential", "is required for a \"credential\" trigger")
                return
            }
            let codesUsable =
                isDecoded("credentials") && s.credentials.indices.allSatisfy { isUsable("credentials[\($0)].code") }
            if codesUsable, !s.credentials.contains(where: { $0.code == code }) {
                add("\(path).credential", "\"\(code)\" is not the code of an entry in credentials")
            }
        }
    }

    private mutating func checkEntryAndApprovals(_ s: ProgramStandards) {
        if let entry = s.entryRequirements, entry.minimumAge < EntryRequirements.lowestMinimumAge || entry.minimumAge > 30 {
            add("entryRequirements.minimumAge", "must be between \(EntryRequirements.lowestMinimumAge) (29 CFR 29.5) and 30")
        }
        if let limits = s.approvalLimits {
            if limits.confirmOlderThanDays < 1 || limits.confirmOlderThanDays > 366 {
                add("approvalLimits.confirmOlderThanDays", "must be between 1 and 366")
            }
            if limits.confirmBatchOverHours < 1 || limits.confirmBatchOverHours > 1000 {
                add("approvalLimits.confirmBatchOverHours", "must be between 1 and 1,000")
            }
        }
    }

    private mutating func checkMentorRatio(_ ratio: MentorRatio) {
        requirePositive(ratio.apprentices, at: "mentorRatio.apprentices")
        requirePositive(ratio.mentors, at: "mentorRatio.mentors")
    }

    private mutating func checkCertificateIssuers(_ issuers: [String]) {
        if issuers.isEmpty { add("certificateIssuers", "must name at least one issuer") }
        var seen = FirstSeen()
        for (index, issuer) in issuers.enumerated() {
            let path = "certificateIssuers[\(index)]"
            if requireText(issuer, at: path), let first = seen.record(issuer, at: path) {
                add(path, "repeats \(first)")
            }
        }
    }

    // MARK: - Helpers

    private mutating func add(_ path: String, _ message: String) {
        guard isDecoded(path) else { return }
        issues.append(StandardsIssue(path: path, message: message))
    }

    private func isDecoded(_ path: String) -> Bool {
        !undecodable.contains { IssuePath.overlaps($0, path) }
    }

    /// Whether a field can be compared against: it decoded, and no rule checked so far found it wrong.
    private func isUsable(_ path: String) -> Bool {
        isDecoded(path) && !issues.contains { IssuePath.overlaps($0.path, path) }
    }

    @discardableResult
    private mutating func requireText(_ text: String, at path: String) -> Bool {
        guard TextPatterns.hasText(text) else {
            add(path, "must not be empty")
            return false
        }
        return true
    }

    /// Optional text may be left out, but not given as blank.
    private mutating func optionalText(_ text: String?, at path: String) {
        if let text { requireText(text, at: path) }
    }

    @discardableResult
    private mutating func requirePositive(_ value: Int, at path: String) -> Bool {
        guard value > 0 else {
            add(path, "must be greater than 0")
            return false
        }
        return true
    }

    private mutating func checkCode(_ code: String, at path: String, among seen: inout FirstSeen) {
        guard requireText(code, at: path) else { return }
        if !TextPatterns.isCode(code) {
            add(path, "must be letters, digits, '.', '_' or '-' (at most 32), starting with a letter or digit")
        }
        if let first = seen.record(code, at: path) {
            add(path, "duplicate code \"\(code)\" (first used at \(first))")
        }
    }

    private mutating func forbid<T>(_ value: T?, _ field: String, at path: String, kind: WageTrigger.Kind) {
        if value != nil { add("\(path).\(field)", "must be left out for a \"\(kind.rawValue)\" trigger") }
    }
}

/// Remembers where each value was first seen, to report duplicates with a pointer to the original.
private struct FirstSeen {
    private var paths: [String: String] = [:]

    /// Records `value` at `path`; returns the earlier path if it was already seen.
    mutating func record(_ value: String, at path: String) -> String? {
        if let first = paths[value] { return first }
        paths[value] = path
        return nil
    }
}
