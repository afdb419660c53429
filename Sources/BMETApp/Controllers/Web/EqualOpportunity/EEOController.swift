import BMETDomain
import Fluent
import Vapor

/// The sponsor's equal-opportunity duties under 29 CFR 30, for its EEO officers only: the utilization analysis with
/// availability, goals and the 7% disability goal; the disability self-identification invitations and answers; the
/// outreach log; the annual review. Other program administrators, employer staff, mentors and apprentices are refused.
struct EEOController: RouteCollection {
    static let pageSize = 50

    func boot(routes: any RoutesBuilder) throws {
        let officers = routes.grouped(RoleGuard(.programAdmin)).grouped(EEOOfficerGuard())
        officers.get("eeo", use: hub)
        officers.get("eeo", "utilization", use: utilization)
        officers.get("eeo", "utilization.csv", use: utilizationCSV)
        officers.post("eeo", "utilization", "availability", use: recordAvailability)
        officers.post("eeo", "utilization", "goals", use: setGoal)
        officers.get("eeo", "self-identification", use: answers)
        officers.get("eeo", "outreach", use: outreach)
        officers.post("eeo", "outreach", use: recordOutreach)
        officers.get("eeo", "reviews", use: reviews)
        officers.post("eeo", "reviews", use: signReview)
        officers.get("eeo", "reviews", ":reviewID", use: review)
    }

    // MARK: Hub

    @Sendable func hub(req: Request) async throws -> Response {
        let stages = try await SelfIdentification.stageCounts(on: req.db)
        let last = try await AnnualReviews.latest(on: req.db)
        let due = AnnualReviewChecklist.isDue(lastSigned: last?.signedAt, now: Date())
        let (occupations, states) = try await Utilization.scopes(on: req.db)
        var underUtilized = 0, missingAvailability: Utilization.Scope?
        // A sponsor has a handful of occupations and states; each analysis is two indexed counts.
        for occupation in occupations {
            for state in states {
                let scope = Utilization.Scope(occupationCode: occupation.code, state: state)
                let analysis = try await Utilization.analysis(scope, on: req.db)
                guard analysis.total > 0 else { continue }
                if !analysis.hasAvailability, missingAvailability == nil { missingAvailability = scope }
                underUtilized += analysis.underUtilized.count
            }
        }
        let outreachCount = try await OutreachActivity.query(on: req.db).count()
        let officers = try await User.query(on: req.db).filter(\.$isEEOOfficer == true).filter(\.$isActive == true).sort(\.$fullName).all().map(\.fullName)
        let step: EEOPages.Step = if let scope = missingAvailability {
            .init(text: "Enter the availability of women and of race and ethnic groups for \(scope.occupationCode) in \(scope.state), so the analysis can compare.",
                  href: Self.utilizationHref(scope), action: "Enter availability")
        } else if due {
            .init(text: last == nil ? "No annual review of personnel practices has been signed yet." : "The annual review of personnel practices is due.",
                  href: "/eeo/reviews", action: "Start the annual review")
        } else if underUtilized > 0 {
            .init(text: "\(underUtilized) group\(underUtilized == 1 ? " is" : "s are") under-utilized: set goals and plan outreach.", href: "/eeo/utilization", action: "See the analysis")
        } else {
            .init(text: "Everything is up to date. Log outreach activities as they happen.", href: "/eeo/outreach", action: "Log an activity")
        }
        return try await req.render("eeo/index", title: "Equal opportunity", EEOPages.Hub(
            nextStep: step, reviewDue: due, lastReview: last.map { "\(ProgramCalendar.dayString($0.signedAt)) by \($0.signedName)" },
            stages: stages.map(EEOPages.StageRow.init), outreachCount: outreachCount, underUtilized: underUtilized, officers: officers))
    }

    // MARK: Utilization analysis

    static func utilizationHref(_ scope: Utilization.Scope) -> String {
        "/eeo/utilization?occupation=\(scope.occupationCode.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&state=\(scope.state)"
    }

    /// The occupation and state asked for, defaulting to the first the program has; an unknown one is 404.
    private func scope(_ req: Request, occupation: String?, state: String?) async throws -> (Utilization.Scope, occupations: [(code: String, title: String)], states: [String]) {
        let (occupations, states) = try await Utilization.scopes(on: req.db)
        let typedCode = occupation?.trimmed ?? "", code = typedCode.isEmpty ? occupations.first?.code ?? "" : typedCode
        guard occupations.contains(where: { $0.code == code }) else { throw Abort(.notFound, reason: "The program has no occupation with this RAPIDS code.") }
        let typedState = state?.trimmed.uppercased() ?? "", chosenState = typedState.isEmpty ? states.first ?? "TX" : typedState
        guard USAddressRules.isValidState(chosenState) else { throw Abort(.notFound, reason: "Choose a U.S. state.") }
        return (Utilization.Scope(occupationCode: code, state: chosenState), occupations, states)
    }

    @Sendable func utilization(req: Request) async throws -> Response {
        let (scope, occupations, states) = try await scope(req, occupation: req.query[String.self, at: "occupation"], state: req.query[String.self, at: "state"])
        let notice: String? = switch req.query[String.self, at: "saved"] {
        case "availability": "The availability figures were recorded."
        case "goal": "The goal was recorded."
        default: nil
        }
        return try await renderUtilization(req, scope, occupations: occupations, states: states, notice: notice)
    }

    private func renderUtilization(_ req: Request, _ scope: Utilization.Scope, occupations: [(code: String, title: String)], states: [String],
                                   typed: [EEOGroup: String]? = nil, source: String? = nil, year: String? = nil,
                                   errors: FieldErrors = [:], notice: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let analysis = try await Utilization.analysis(scope, on: req.db)
        let disability = try await Utilization.disabilityGoal(cipher: req.application.dataCipher, on: req.db)
        let percent = { (value: Double?) in value.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        let rows = analysis.rows.map { row -> EEOPages.GroupRow in
            let suppressed = EqualOpportunityRules.isSuppressed(row.count)
            return EEOPages.GroupRow(
                code: row.group.rawValue, label: row.group.label,
                availability: row.availabilityTenths.map { EqualOpportunityRules.percentText(tenths: $0) } ?? "not entered",
                count: EqualOpportunityRules.shownCount(row.count),
                utilization: suppressed ? "suppressed" : percent(row.assessment?.utilization ?? (analysis.total == 0 ? nil : Double(row.count) / Double(analysis.total))),
                expected: row.assessment.map { String(format: "%.1f", $0.expected) } ?? "—",
                underUtilized: row.assessment?.underUtilized == true, shortfall: row.assessment?.shortfall ?? 0,
                goal: row.goalTenths.map { EqualOpportunityRules.percentText(tenths: $0) })
        }
        // The chart shows shares only where no small group could be read off it.
        let chart: String? = analysis.total == 0 || !analysis.hasAvailability ? nil : BarChart(
            id: "utilization", title: "Availability and utilization, \(scope.occupationCode) in \(scope.state)",
            summary: "For each group, its availability in the recruitment area beside its share of the program's apprentices. Groups of fewer than five are left at zero.",
            xLabel: "Group", yLabel: "Share", categories: analysis.rows.map(\.group.label),
            series: [
                .init(name: "Availability", values: analysis.rows.map { Double($0.availabilityTenths ?? 0) / 1000 }),
                .init(name: "Apprentices", values: analysis.rows.map { EqualOpportunityRules.isSuppressed($0.count) ? 0 : Double($0.count) / Double(max(1, analysis.total)) }),
            ], percent: true).svg
        let latest = try await Utilization.latestAvailability(scope, on: req.db)
        let form = EEOGroup.allCases.map { group in
            EEOPages.FormGroup(code: group.rawValue, label: group.label,
                               value: typed?[group] ?? latest[group].map { String(format: "%g", Double($0.percentTenths) / 10) } ?? "",
                               error: errors["availability[\(group.rawValue)]"])
        }
        let disabilityRows = disability.map { row in
            EEOPages.DisabilityRow(occupation: row.occupationCode, title: row.occupationTitle, total: String(row.total),
                                   withDisability: EqualOpportunityRules.shownCount(row.withDisability), notAnswered: String(row.notAnswered),
                                   rate: EqualOpportunityRules.isSuppressed(row.withDisability) ? "suppressed" : percent(row.rate),
                                   belowGoal: row.belowGoal, suppressed: EqualOpportunityRules.isSuppressed(row.withDisability))
        }
        let disabilityChart: String? = disability.isEmpty ? nil : BarChart(
            id: "disability", title: "Apprentices who self-identified a disability, against the 7% goal",
            summary: "For each occupation group, the share of apprentices who self-identified a disability beside the 7% goal of 29 CFR 30.7.",
            xLabel: "Occupation (RAPIDS code)", yLabel: "Share", categories: disability.map(\.occupationCode),
            series: [
                .init(name: "With a disability", values: disability.map { EqualOpportunityRules.isSuppressed($0.withDisability) ? 0 : ($0.rate ?? 0) }),
                .init(name: "Goal", values: disability.map { _ in EqualOpportunityRules.disabilityGoalPercent / 100 }),
            ], percent: true).svg
        let view = EEOPages.Utilization(
            occupations: occupations.map { SelectOption(value: $0.code, label: "\($0.code) — \($0.title)", selected: $0.code == scope.occupationCode) },
            states: SelectOption.states(selected: scope.state),
            occupation: scope.occupationCode, state: scope.state,
            occupationTitle: occupations.first { $0.code == scope.occupationCode }?.title ?? scope.occupationCode,
            total: String(analysis.total), totalSuppressed: EqualOpportunityRules.isSuppressed(analysis.total),
            notIdentified: EqualOpportunityRules.shownCount(analysis.notIdentified), hasAvailability: analysis.hasAvailability,
            source: analysis.source.map { "\($0), \(analysis.sourceYear.map(String.init) ?? "")" },
            rows: rows, flagged: analysis.underUtilized.map(\.group.label), chartSVG: chart,
            form: form, formSource: source ?? latest.values.first?.source ?? "", formYear: year ?? latest.values.first.map { String($0.sourceYear) } ?? "",
            errors: errors, notice: notice, disability: disabilityRows, disabilityChartSVG: disabilityChart,
            disabilityGoal: String(format: "%g%%", EqualOpportunityRules.disabilityGoalPercent),
            csvHref: Self.utilizationHref(scope).replacingOccurrences(of: "/eeo/utilization?", with: "/eeo/utilization.csv?"))
        return try await req.render("eeo/utilization", title: "Utilization analysis", view, status: status)
    }

    struct AvailabilityForm: Content {
        var occupation: String?
        var state: String?
        var availability: [String: String]?
        var source: String?
        var year: String?
    }

    @Sendable func recordAvailability(req: Request) async throws -> Response {
        let actor = try req.actor
        let form = try req.formInput(AvailabilityForm.self)
        let (scope, occupations, states) = try await scope(req, occupation: form.occupation, state: form.state)
        var typed: [EEOGroup: String] = [:]
        for group in EEOGroup.allCases { typed[group] = form.availability?[group.rawValue] ?? "" }
        do {
            try req.refuseFormProblems()
            try await Utilization.recordAvailability(scope, typed: typed, source: form.source ?? "", year: form.year ?? "", by: actor, on: req.db)
            return req.redirect(to: Self.utilizationHref(scope) + "&saved=availability")
        } catch let failure as ValidationFailure {
            return try await renderUtilization(req, scope, occupations: occupations, states: states, typed: typed, source: form.source, year: form.year,
                                               errors: failure.errors, status: .unprocessableEntity)
        }
    }

    @Sendable func setGoal(req: Request) async throws -> Response {
        struct Form: Content { var occupation: String?; var state: String?; var group: String?; var note: String? }
        let actor = try req.actor
        let form = try req.formInput(Form.self)
        let (scope, occupations, states) = try await scope(req, occupation: form.occupation, state: form.state)
        do {
            try req.refuseFormProblems()
            guard let group = form.group.flatMap(EEOGroup.init(rawValue:)) else { throw ValidationFailure(errors: ["group": "Choose a group."]) }
            try await Utilization.setGoal(scope, group: group, note: form.note ?? "", by: actor, on: req.db)
            return req.redirect(to: Self.utilizationHref(scope) + "&saved=goal")
        } catch let failure as ValidationFailure {
            return try await renderUtilization(req, scope, occupations: occupations, states: states, errors: failure.errors, status: .unprocessableEntity)
        }
    }

    @Sendable func utilizationCSV(req: Request) async throws -> Response {
        let (scope, _, _) = try await scope(req, occupation: req.query[String.self, at: "occupation"], state: req.query[String.self, at: "state"])
        let analysis = try await Utilization.analysis(scope, on: req.db)
        var csv = CSVWriter(header: ["Occupation", "State", "Group", "Availability %", "Apprentices in group", "Apprentices in all", "Utilization %",
                                     "Expected", "Under-utilized", "Goal %", "Availability source"])
        for row in analysis.rows {
            let suppressed = EqualOpportunityRules.isSuppressed(row.count)
            csv.append([.text(scope.occupationCode), .text(scope.state), .text(row.group.label),
                        row.availabilityTenths.map { .decimal(Double($0) / 10, places: 1) } ?? .empty,
                        suppressed ? .text(EqualOpportunityRules.shownCount(row.count)) : .int(row.count), .int(analysis.total),
                        suppressed || analysis.total == 0 ? .empty : .decimal(Double(row.count) / Double(analysis.total) * 100, places: 1),
                        row.assessment.map { .decimal($0.expected, places: 1) } ?? .empty,
                        .text(row.assessment?.underUtilized == true ? "yes" : "no"),
                        row.goalTenths.map { .decimal(Double($0) / 10, places: 1) } ?? .empty,
                        .text(analysis.source.map { "\($0) (\(analysis.sourceYear ?? 0))" } ?? "")])
        }
        return Response.csv(csv, name: "utilization-\(scope.occupationCode)-\(scope.state)")
    }

    // MARK: Self-identification answers (individual: EEO officers only, and each reading is audited)

    @Sendable func answers(req: Request) async throws -> Response {
        let actor = try req.actor
        let stages = try await SelfIdentification.stageCounts(on: req.db)
        let before = req.query[UUID.self, at: "before"]
        let query = DisabilitySelfIdentification.query(on: req.db).with(\.$invitation).with(\.$applicant).with(\.$apprentice)
            .sort(\.$answeredAt, .descending).sort(\.$id, .descending).limit(Self.pageSize + 1)
        if let before, let anchor = try await DisabilitySelfIdentification.find(before, on: req.db) {
            let at = anchor.answeredAt, id = try anchor.requireID()
            query.group(.or) { $0.filter(\.$answeredAt < at).group(.and) { $0.filter(\.$answeredAt == at).filter(\.$id < id) } }
        }
        let found = try await query.all()
        let shown = Array(found.prefix(Self.pageSize))
        let cipher = req.application.dataCipher
        let rows = try shown.map { row in
            EEOPages.AnswerRow(
                name: row.apprentice?.fullName ?? row.applicant?.fullName ?? "—",
                kind: row.apprentice != nil ? "Apprentice" : "Applicant",
                stage: row.invitation.stage.label,
                answer: DisabilityAnswer(rawValue: try cipher.open(row.answerSealed))?.shortLabel ?? "—",
                when: ProgramCalendar.dayString(row.answeredAt))
        }
        if !rows.isEmpty {
            try await AuditLog.record(.selfIdentificationsRead, .program, "Read \(rows.count) disability self-identification answer\(rows.count == 1 ? "" : "s")", by: actor, on: req.db)
        }
        return try await req.render("eeo/answers", title: "Disability self-identification", EEOPages.Answers(
            stages: stages.map(EEOPages.StageRow.init), rows: rows,
            olderHref: found.count > Self.pageSize ? shown.last.flatMap { $0.id }.map { "/eeo/self-identification?before=\($0)" } : nil,
            newestHref: before == nil ? nil : "/eeo/self-identification"))
    }

    // MARK: Outreach

    @Sendable func outreach(req: Request) async throws -> Response {
        try await renderOutreach(req, values: Outreach.Input(), notice: req.query[String.self, at: "saved"] == "1" ? "The activity was recorded." : nil)
    }

    private func renderOutreach(_ req: Request, values: Outreach.Input, errors: FieldErrors = [:], notice: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let before = req.query[String.self, at: "before"].flatMap { ProgramCalendar.day($0) != nil ? $0 : nil }
        let query = OutreachActivity.query(on: req.db).with(\.$recordedBy).sort(\.$activityDate, .descending).sort(\.$id, .descending).limit(Self.pageSize + 1)
        if let before { query.filter(\.$activityDate < before) }
        let found = try await query.all()
        let shown = Array(found.prefix(Self.pageSize))
        let chosen = Set(values.groups ?? [])
        return try await req.render("eeo/outreach", title: "Outreach and recruitment", EEOPages.OutreachPage(
            rows: shown.map { .init(date: $0.activityDate, kind: $0.kind.label, organization: $0.organization, description: $0.description,
                                    groups: Outreach.groupLabels($0.groupsReached), recordedBy: $0.recordedBy.fullName) },
            kinds: SelectOption.all(OutreachKind.self, selected: values.kind, label: \.label),
            audiences: Outreach.audiences.map { .init(code: $0.code, label: $0.label, checked: chosen.contains($0.code)) },
            values: values, errors: errors, notice: notice,
            // Older activities start the day before the last one shown; a day's activities always come on one page.
            olderHref: found.count > Self.pageSize ? shown.last.map { "/eeo/outreach?before=\($0.activityDate)" } : nil,
            today: ProgramCalendar.dayString(ProgramCalendar.today())), status: status)
    }

    @Sendable func recordOutreach(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.formInput(Outreach.Input.self)
        do {
            try req.refuseFormProblems()
            _ = try await Outreach.record(input, by: actor, on: req.db)
            return req.redirect(to: "/eeo/outreach?saved=1")
        } catch let failure as ValidationFailure {
            return try await renderOutreach(req, values: input, errors: failure.errors, status: .unprocessableEntity)
        }
    }

    // MARK: Annual review

    @Sendable func reviews(req: Request) async throws -> Response {
        try await renderReviews(req, input: AnnualReviews.Input(), notice: req.query[String.self, at: "signed"] == "1" ? "The review was signed and recorded." : nil)
    }

    private func renderReviews(_ req: Request, input: AnnualReviews.Input, errors: FieldErrors = [:], notice: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        let past = try await AnnualReview.query(on: req.db).sort(\.$signedAt, .descending).limit(Self.pageSize).all()
        let last = past.first
        let now = Date()
        let due = AnnualReviewChecklist.isDue(lastSigned: last?.signedAt, now: now)
        let today = ProgramCalendar.today(now)
        let nextDue = last.flatMap { ProgramCalendar.calendar.date(byAdding: .year, value: 1, to: $0.signedAt) }
        let statusText: String = if let last {
            due ? "Due: the last review was signed on \(ProgramCalendar.dayString(last.signedAt)) by \(last.signedName)."
                : "Up to date: signed on \(ProgramCalendar.dayString(last.signedAt)) by \(last.signedName). The next is due on \(nextDue.map(ProgramCalendar.dayString) ?? "")."
        } else { "Due: no review has been signed yet." }
        let defaultStart = ProgramCalendar.dayString(ProgramCalendar.calendar.date(byAdding: .year, value: -1, to: today) ?? today)
        return try await req.render("eeo/reviews", title: "Annual review", EEOPages.Reviews(
            due: due, status: statusText,
            items: AnnualReviewChecklist.items.map { item in
                .init(code: item.code, text: item.text, done: input.items?[item.code]?.done == "yes", note: input.items?[item.code]?.note ?? "",
                      error: errors["items[\(item.code)][note]"])
            },
            periodStart: input.periodStart ?? defaultStart, periodEnd: input.periodEnd ?? ProgramCalendar.dayString(today),
            findings: input.findings ?? "", actions: input.actions ?? "", signedName: input.signedName ?? actor.fullName,
            errors: errors, notice: notice,
            past: past.map { review in
                let answers = review.answers
                return .init(id: review.id?.uuidString ?? "", period: "\(review.periodStart) to \(review.periodEnd)", signedBy: review.signedName,
                             signedAt: ProgramCalendar.dayString(review.signedAt), itemsDone: "\(answers.filter(\.done).count) of \(answers.count)")
            },
            retentionYears: EqualOpportunityRules.retentionYears), status: status)
    }

    @Sendable func signReview(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.formInput(AnnualReviews.Input.self)
        do {
            try req.refuseFormProblems()
            _ = try await AnnualReviews.sign(input, by: actor, on: req.db)
            return req.redirect(to: "/eeo/reviews?signed=1")
        } catch let failure as ValidationFailure {
            return try await renderReviews(req, input: input, errors: failure.errors, status: .unprocessableEntity)
        }
    }

    @Sendable func review(req: Request) async throws -> Response {
        guard let id = req.parameters.get("reviewID", as: UUID.self),
              let review = try await AnnualReview.query(on: req.db).filter(\.$id == id).first() else { throw Abort(.notFound) }
        let texts = Dictionary(AnnualReviewChecklist.items.map { ($0.code, $0.text) }) { first, _ in first }
        return try await req.render("eeo/review", title: "Annual review \(review.periodStart) to \(review.periodEnd)", EEOPages.Review(
            period: "\(review.periodStart) to \(review.periodEnd)", signedBy: review.signedName,
            signedAt: ISODay.instant(review.signedAt).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC"),
            findings: review.findings, actions: review.actions.isEmpty ? "—" : review.actions,
            items: review.answers.map { .init(text: texts[$0.code] ?? $0.code, done: $0.done, note: $0.note) }))
    }
}
