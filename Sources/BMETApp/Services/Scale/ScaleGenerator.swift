import BMETDomain
import Fluent
import Vapor

/// National-scale data for load tests and benchmarks: employers in every state, their staff and mentors, and
/// apprentices at every stage with up to two years of daily hours, assessments and re-assessments, instruction,
/// credentials, wage raises, reviews and status changes. Rows go in as multi-row inserts in large transactions;
/// the running totals (`ProgressAggregates`) are computed while generating, so `bmet verify aggregates` finds no drift.
enum ScaleGenerator {
    struct Options {
        var apprentices: Int
        var employers: Int
        var seed: UInt64 = 2026
        var password: String
        var standardsPath: String
        var today: Date = ProgramCalendar.today()
        /// Rows buffered before a transaction is written.
        var flushRows = 100_000
        /// Version-7 ids, so every primary-key index is appended to; random ones scatter each row over the whole index.
        var timeOrderedIDs = true
        /// SQLite page cache of the loading (writer) connection, in MiB.
        var cacheMiB = 256
    }

    struct Progress { let apprenticesDone: Int; let apprenticesTotal: Int; let rows: Int; let seconds: Double }

    struct Result {
        let counts: [(table: String, rows: Int)]
        let rows: Int
        let seconds: Double
        /// One row per generated table, to rebuild the same shape in the baseline.
        let templates: [String: (columns: [String], row: [any Encodable & Sendable])]
        /// Computing every progress summary after the load (not part of the load rate).
        var summarySeconds: Double = 0
        var rowsPerSecond: Double { seconds > 0 ? Double(rows) / seconds : 0 }
    }

    static let adminEmail = "admin@scale.bmet.example"

    static func run(_ options: Options, app: Application, progress: (Progress) -> Void = { _ in },
                    indexes: (Int, Int) -> Void = { _, _ in }, summaries: @escaping (Int, Int) -> Void = { _, _ in }) async throws -> Result {
        let db = app.db
        guard options.apprentices > 0, options.employers > 0 else { throw CommandFailure("Give at least one apprentice and one employer.") }
        if try await User.query(on: db).filter(\.$email == adminEmail).first() != nil {
            throw CommandFailure("This database already holds scale data (\(adminEmail) exists); generate into an empty database.")
        }
        let clock = ContinuousClock()
        let began = clock.now
        let hash = try await app.password.async.hash(options.password).get()
        let admin = User(email: adminEmail, fullName: "Scale Program Admin", passwordHash: hash, role: .programAdmin, employerID: nil)
        try await admin.create(on: db)
        let version: ProgramVersion
        if let current = try await ProgramVersion.query(on: db).sort(\.$versionNumber, .descending).first() {
            version = current
        } else {
            guard let data = FileManager.default.contents(atPath: options.standardsPath) else {
                throw CommandFailure("Cannot read the standards file at \(options.standardsPath).")
            }
            version = try await StandardsLibrary.load(data, loadedBy: admin, on: db)
        }
        let context = Context(options: options, standards: try StandardsLibrary.standards(of: version), versionID: try version.requireID(),
                              adminID: try admin.requireID(), passwordHash: hash)
        let writer = BulkWriter(db: db)
        var rng = SeededRandom(seed: options.seed, timeOrderedFrom: options.timeOrderedIDs ? options.today : nil)
        if try db.sql().dialect.name == "sqlite" {
            // The writer's connection is the one that loads; the server's connections keep their own, smaller cache.
            try await db.writeTransaction { try await $0.sql().raw("PRAGMA cache_size = \(unsafeRaw: String(-1024 * options.cacheMiB))").run() }
        }
        let staff = generateEmployers(context, into: writer, rng: &rng)
        try await writer.flush()

        let deferred = try await DeferredIndexes.drop(on: db)
        do {
            for index in 0..<options.apprentices {
                generateApprentice(index, context, staff: staff, into: writer, rng: &rng)
                if writer.pendingRows >= options.flushRows || index == options.apprentices - 1 {
                    try await writer.flush()
                    progress(Progress(apprenticesDone: index + 1, apprenticesTotal: options.apprentices, rows: writer.writtenRows,
                                      seconds: seconds(clock.now - began)))
                }
            }
        } catch {
            // A failed load still leaves a database with its indexes (and the rows written so far).
            try? await deferred.rebuild(on: db)
            throw error
        }
        try await deferred.rebuild(on: db, progress: indexes)
        if try db.sql().dialect.name == "sqlite" {
            try await db.writeTransaction { try await $0.sql().raw("PRAGMA cache_size = -16384").run() }
        }
        let loaded = seconds(clock.now - began)
        // Every apprentice's progress summary, computed from what was loaded (in batches, one read per table).
        let summaryStart = clock.now
        try await ProgressSummaries.refreshStale(on: db, progress: summaries)
        return Result(counts: writer.counts, rows: writer.writtenRows, seconds: loaded, templates: writer.templates,
                      summarySeconds: seconds(clock.now - summaryStart))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    // MARK: Setup

    /// What every apprentice's generation needs, computed once.
    struct Context {
        let options: Options
        let standards: ProgramStandards
        let versionID: UUID
        let adminID: UUID
        let passwordHash: String
        let days: DayTable
        /// Minutes of approved time after which each skill set gives way to the next (scaled to a two-year, 8-hour-day pace).
        let setThresholds: [(code: String, upTo: Int)]

        init(options: Options, standards: ProgramStandards, versionID: UUID, adminID: UUID, passwordHash: String) {
            self.options = options
            self.standards = standards
            self.versionID = versionID
            self.adminID = adminID
            self.passwordHash = passwordHash
            days = DayTable(today: options.today, daysBack: 900)
            let total = max(1, standards.totalSkillSetHours)
            var running = 0
            var thresholds: [(code: String, upTo: Int)] = []
            for set in standards.skillSets {
                running += set.hours
                // 500 working days × 8 h cover the schedule's share of each set.
                thresholds.append((code: set.code, upTo: running * 4000 * 60 / total))
            }
            setThresholds = thresholds
        }
    }

    /// Day strings, week keys and weekdays for every day of the generated span, so the inner loops never touch `Calendar`.
    struct DayTable {
        let origin: Date
        let todayIndex: Int
        let strings: [String]
        let weekKeys: [String]
        let isWeekday: [Bool]

        init(today: Date, daysBack: Int) {
            let calendar = ProgramCalendar.calendar
            origin = ProgramCalendar.adding(days: -daysBack, to: today)
            todayIndex = daysBack
            var strings: [String] = [], weeks: [String] = [], weekdays: [Bool] = []
            for offset in 0...(daysBack + 800) { // terms end up to two years ahead
                let day = ProgramCalendar.adding(days: offset, to: origin)
                strings.append(ProgramCalendar.dayString(day))
                weeks.append(ProgramCalendar.dayString(ProgressEngine.weekStart(of: day)))
                let weekday = calendar.component(.weekday, from: day)
                weekdays.append(weekday != 1 && weekday != 7)
            }
            self.strings = strings
            weekKeys = weeks
            isWeekday = weekdays
        }

        func date(_ index: Int, seconds: Int = 0) -> Date { origin.addingTimeInterval(Double(index) * 86_400 + Double(seconds)) }
        func index(of date: Date) -> Int { Int((date.timeIntervalSince(origin) / 86_400).rounded(.down)) }
    }

    struct Staff {
        struct Employer { let id: UUID; let place: (state: String, city: String, zip: String); let adminID: UUID; let mentorIDs: [UUID] }
        let employers: [Employer]
    }

    private static func generateEmployers(_ context: Context, into writer: BulkWriter, rng: inout SeededRandom) -> Staff {
        let options = context.options
        let ratio = context.standards.mentorRatio
        let now = context.days.date(context.days.todayIndex - 800)
        var employers: [Staff.Employer] = []
        for e in 0..<options.employers {
            let place = ScaleCatalog.places[e % ScaleCatalog.places.count]
            let id = rng.uuid()
            let name = "\(place.city) \(ScaleCatalog.employerKinds[(e / ScaleCatalog.places.count) % ScaleCatalog.employerKinds.count]) \(e / ScaleCatalog.places.count + 1)"
            writer.add(Employer.schema, ["id", "name", "address_line1", "city", "state", "zip", "phone", "created_by_id", "created_at"],
                       [id, name, "\(100 + e % 900) \(rng.pick(ScaleCatalog.streets))", place.city, place.state, place.zip,
                        "(555) 01\(String(format: "%02d", e % 100))-\(String(format: "%04d", e % 10_000))", context.adminID, now])
            let adminID = rng.uuid()
            addUser(adminID, email: "hr\(e)@scale.bmet.example", name: personName(&rng), role: .employerAdmin, employerID: id, context, writer, at: now)
            // Enough mentors for the standards' ratio, with one spare.
            let apprenticesHere = options.apprentices / options.employers + (e < options.apprentices % options.employers ? 1 : 0)
            let mentorCount = max(1, (apprenticesHere * ratio.mentors + ratio.apprentices - 1) / max(1, ratio.apprentices) + 1)
            var mentors: [UUID] = []
            for m in 0..<mentorCount {
                let mentorID = rng.uuid()
                addUser(mentorID, email: "mentor\(e)-\(m)@scale.bmet.example", name: personName(&rng), role: .mentor, employerID: id, context, writer, at: now)
                mentors.append(mentorID)
            }
            employers.append(.init(id: id, place: place, adminID: adminID, mentorIDs: mentors))
        }
        return Staff(employers: employers)
    }

    private static func addUser(_ id: UUID, email: String, name: String, role: Role, employerID: UUID?, _ context: Context, _ writer: BulkWriter, at: Date) {
        writer.add(User.schema, ["id", "email", "full_name", "password_hash", "role", "employer_id", "is_active", "created_at"],
                   [id, email, name, context.passwordHash, role.rawValue, employerID, true, at])
    }

    private static func personName(_ rng: inout SeededRandom) -> String {
        "\(rng.pick(ScaleCatalog.firstNames)) \(rng.pick(ScaleCatalog.lastNames))"
    }

    // MARK: One apprentice

    private static func generateApprentice(_ index: Int, _ context: Context, staff: Staff, into writer: BulkWriter, rng: inout SeededRandom) {
        let days = context.days
        let standards = context.standards
        let today = days.todayIndex
        let employer = staff.employers[index % staff.employers.count]
        let ratio = max(1, context.standards.mentorRatio.apprentices)
        let mentorID = employer.mentorIDs[(index / staff.employers.count / ratio) % employer.mentorIDs.count]
        let id = rng.uuid()

        // Where this apprenticeship stands: a stage from a fixed spread of buckets (so even a small run has every stage),
        // a start date that fits it, and the last day of training on record.
        let bucket = (index * 37 + 11) % 100
        var status: ApprenticeStatus
        let startIndex: Int
        switch bucket {
        case 0..<2: status = .pendingAgreement; startIndex = today - rng.int(0...20)
        case 2..<9: status = .cancelled; startIndex = today - rng.int(60...760)
        case 9..<11: status = .suspended; startIndex = today - rng.int(90...700)
        case 11..<21: status = .completed; startIndex = today - rng.int(735...790)
        default: status = .active; startIndex = today - rng.int(22...728)
        }
        let start = days.date(startIndex)
        let probationEnd = days.index(of: ProgramCalendar.probationEnd(start: start, months: standards.probationaryPeriod.months))
        let termEnd = days.index(of: ProgramCalendar.termEnd(start: start, months: standards.termMonths))
        var stopIndex = today - 1
        var cancelReason: CancellationReason?
        switch status {
        case .cancelled: stopIndex = rng.int(startIndex + 20...min(termEnd, today - 2))
        case .suspended: stopIndex = rng.int(max(startIndex + 30, today - 60)...today - 2)
        case .completed: stopIndex = termEnd
        case .active: if today <= probationEnd { status = .probation }
        default: break
        }
        if status == .cancelled { cancelReason = rng.pick(CancellationReason.allCases.filter { $0 != .deceased }) }
        let statusBefore: ApprenticeStatus? = status == .suspended ? (stopIndex > probationEnd ? .active : .probation) : nil
        let signedIndex = startIndex - rng.int(3...7)
        let registeredIndex = signedIndex - rng.int(3...10)
        let hasAccount = status != .pendingAgreement || rng.chance(0.5)
        let userID: UUID? = hasAccount ? rng.uuid() : nil
        let name = personName(&rng)
        let email = "apprentice\(index)@scale.bmet.example"
        if let userID {
            addUser(userID, email: email, name: name, role: .apprentice, employerID: employer.id, context, writer, at: days.date(registeredIndex, seconds: 40_000))
        }
        writer.add(Apprentice.schema, ["id", "user_id", "program_version_id", "employer_id", "mentor_id", "full_name", "email", "start_date",
                                       "probation_end", "term_end", "status", "status_before_suspension", "registered_by_id", "registered_at", "agreement_completed_at"],
                   [id, userID, context.versionID, employer.id, mentorID, name, email, days.strings[startIndex], days.strings[probationEnd],
                    days.strings[termEnd], status.rawValue, statusBefore?.rawValue, employer.adminID, days.date(registeredIndex, seconds: 36_000),
                    status == .pendingAgreement ? nil : days.date(signedIndex, seconds: 50_000)])
        // The progress read model's row, out of date until the generator computes it after the load.
        writer.add(ProgressSummaries.schema, ["apprentice_id", "generation", "summarized_generation", "employer_id"], [id, 1, 0, employer.id])

        // ETA-671 data, wage plan, prior-learning credit for existing employees.
        let existingEmployee = rng.chance(0.06)
        // Only answers the forms offer today, and what the RAPIDS upload layout needs, so the RAPIDS page on generated
        // data shows what a real program's would.
        let nameParts = name.split(separator: " ").map(String.init)
        writer.add(RegistrationData.schema, ["id", "apprentice_id", "address_line1", "city", "state", "zip", "birth_date", "sex", "ethnicity", "races",
                                             "veteran_status", "education", "employment_status", "career_connection", "disability",
                                             "first_name", "last_name", "prior_wage_cents", "prior_wage_unit", "student_status", "rti_provider"],
                   [rng.uuid(), id, "\(rng.int(10...9999)) \(rng.pick(ScaleCatalog.streets))", employer.place.city, employer.place.state, employer.place.zip,
                    "\(rng.int(1975...2006))-\(String(format: "%02d", rng.int(1...12)))-\(String(format: "%02d", rng.int(1...28)))",
                    rng.pick(Sex.allCases).rawValue, rng.pick(Ethnicity.allCases).rawValue, rng.pick(Race.allCases).rawValue,
                    rng.pick(VeteranStatus.allCases).rawValue, rng.pick(EducationLevel.choices).rawValue,
                    (existingEmployee ? EmploymentStatus.existingEmployee : .newEmployee).rawValue, rng.pick(CareerConnection.choices).rawValue,
                    rng.pick(DisabilityDisclosure.allCases).rawValue,
                    nameParts.first ?? name, nameParts.last ?? name, existingEmployee ? rng.int(28...40) * 50 : rng.int(0...36) * 50,
                    WageUnit.hourly.rawValue, StudentStatus.notApplicable.rawValue, ScaleCatalog.instructionProvider])
        var rateCents = rng.int(34...44) * 50
        var plannedRates: [Int: Int] = [:]
        for step in standards.wageSchedule {
            plannedRates[step.step] = rateCents
            writer.add(ApprenticeWageStep.schema, ["id", "apprentice_id", "step", "title", "trigger_summary", "hourly_rate_cents"],
                       [rng.uuid(), id, step.step, step.title, step.trigger.summary, rateCents])
            rateCents += rng.int(2...4) * 25
        }
        if existingEmployee, let first = standards.skillSets.first {
            writer.add(PriorLearningCredit.schema, ["id", "apprentice_id", "skill_set_code", "hours", "skill_codes", "reason", "granted_by_id", "created_at"],
                       [rng.uuid(), id, first.code, min(80, first.hours), first.skills.prefix(3).map(\.code).joined(separator: ","),
                        "Existing employee: hospital safety orientation completed before enrolment.", employer.adminID, days.date(registeredIndex, seconds: 36_100)])
        }

        // History: registration, signatures, probation, and how it ended.
        addEvent(id, "registered", from: nil, to: .pendingAgreement, note: "Registered at this employer, starting \(days.strings[startIndex]).",
                 toEmployer: employer.id, actor: employer.adminID, at: days.date(registeredIndex, seconds: 36_000), rng: &rng, writer)
        let parties: [(AgreementSignature.Party, UUID?)] = [(.apprentice, userID), (.employer, employer.adminID), (.sponsor, context.adminID)]
        for (offset, (party, signer)) in parties.enumerated() {
            guard let signer, status != .pendingAgreement || party == .apprentice else { continue }
            writer.add(AgreementSignature.schema, ["id", "apprentice_id", "party", "typed_name", "signer_id", "signed_at"],
                       [rng.uuid(), id, party.rawValue, party == .apprentice ? name : "Signed for the \(party.label.lowercased())", signer,
                        days.date(signedIndex, seconds: 40_000 + offset * 600)])
        }
        if status != .pendingAgreement {
            addEvent(id, "agreement_signed", from: .pendingAgreement, to: .probation, note: "Signed by the apprentice, the employer and the sponsor; probation starts.",
                     actor: nil, at: days.date(signedIndex, seconds: 50_000), rng: &rng, writer)
            if probationEnd < min(stopIndex, today - 1) {
                addEvent(id, ApprenticeRecords.Action.endProbation.rawValue, from: .probation, to: .active, note: "Probation completed.",
                         actor: employer.adminID, at: days.date(probationEnd + 1, seconds: 32_000), rng: &rng, writer)
            }
            let before: ApprenticeStatus = stopIndex > probationEnd ? .active : .probation
            switch status {
            case .cancelled:
                addEvent(id, ApprenticeRecords.Action.cancel.rawValue, from: before, to: .cancelled, reason: cancelReason, duringProbation: before == .probation,
                         note: "Left the program.", actor: employer.adminID, at: days.date(stopIndex + 1, seconds: 30_000), rng: &rng, writer)
            case .suspended:
                addEvent(id, ApprenticeRecords.Action.suspend.rawValue, from: before, to: .suspended, note: "Extended medical leave.",
                         actor: employer.adminID, at: days.date(stopIndex + 1, seconds: 30_000), rng: &rng, writer)
            case .completed:
                addEvent(id, "completed", from: .active, to: .completed, note: "Completion approved by the sponsor.",
                         actor: context.adminID, at: days.date(min(termEnd + 5, today - 1), seconds: 30_000), rng: &rng, writer)
            default: break
            }
        }
        guard status != .pendingAgreement, let userID else { return }

        let training = Training(apprenticeID: id, userID: userID, mentorID: mentorID, employerAdminID: employer.adminID, startIndex: startIndex,
                                stopIndex: min(stopIndex, today - 1), running: status == .probation || status == .active, plannedRates: plannedRates)
        generateTraining(training, context, into: writer, rng: &rng)
    }

    private static func addEvent(_ apprenticeID: UUID, _ kind: String, from: ApprenticeStatus?, to: ApprenticeStatus, reason: CancellationReason? = nil,
                                 duringProbation: Bool = false, note: String, toEmployer: UUID? = nil, actor: UUID?, at: Date,
                                 rng: inout SeededRandom, _ writer: BulkWriter) {
        writer.add(ApprenticeEvent.schema, ["id", "apprentice_id", "kind", "from_status", "to_status", "reason", "during_probation", "note",
                                            "to_employer_id", "actor_id", "created_at"],
                   [rng.uuid(), apprenticeID, kind, from?.rawValue, to.rawValue, reason?.rawValue, duringProbation, note, toEmployer, actor, at])
    }

    // MARK: Training record

    private struct Training {
        let apprenticeID: UUID
        let userID: UUID
        let mentorID: UUID
        let employerAdminID: UUID
        let startIndex: Int
        /// The last day with training on record.
        let stopIndex: Int
        /// Probation or active: the last days' hours still wait for the mentor.
        let running: Bool
        let plannedRates: [Int: Int]
    }

    private static let entryColumns = ["id", "apprentice_id", "entry_date", "skill_set_code", "minutes", "description", "skill_codes", "work_order",
                                       "client_key", "status", "created_by_id", "created_at"]
    private static let decisionColumns = ["id", "entry_id", "action", "comment", "actor_id", "created_at"]

    private static func generateTraining(_ t: Training, _ context: Context, into writer: BulkWriter, rng: inout SeededRandom) {
        let days = context.days
        let standards = context.standards
        let today = days.todayIndex
        let id = t.apprenticeID
        var bySet: [String: (minutes: Int, entries: Int)] = [:]
        var byWeek: [String: Int] = [:]
        var loggedMinutes = 0
        var approvedMinutes = 0
        /// The day each skill set was first worked in, and the day approved time crossed each hour mark.
        var setEntered: [String: Int] = [:]
        var hoursReached: [Int: Int] = [:]
        var entryNumber = 0

        if t.stopIndex >= t.startIndex {
            for day in t.startIndex...t.stopIndex where days.isWeekday[day] {
                if rng.chance(0.04) { continue } // sick day, holiday, training off site
                let current = context.setThresholds.first { loggedMinutes < $0.upTo }?.code ?? context.setThresholds.last!.code
                if setEntered[current] == nil { setEntered[current] = day }
                let split: [Int] = rng.chance(0.25) ? [480] : rng.pick([[240, 240], [300, 180], [360, 120], [270, 210]])
                for (part, minutes) in split.enumerated() {
                    // The second part of a day often goes to safety or documentation work of an earlier set.
                    let code = part == 1 && rng.chance(0.3) ? context.setThresholds[rng.int(0...max(0, (context.setThresholds.firstIndex { $0.code == current } ?? 0)))].code : current
                    let set = standards.skillSet(code: code)
                    let skills = set.map { set in set.skills.isEmpty ? "" : set.skills[rng.int(0...set.skills.count - 1)].code } ?? ""
                    let entryID = rng.uuid()
                    let pendingWindow = t.running && day >= today - 10
                    let entryStatus: HourEntry.Status = pendingWindow ? .pending : rng.chance(0.012) ? .rejected : .approved
                    entryNumber += 1
                    writer.add(HourEntry.schema, entryColumns,
                               [entryID, id, days.strings[day], code, minutes, rng.pick(ScaleCatalog.tasks[code] ?? ScaleCatalog.generalTasks), skills,
                                rng.chance(0.5) ? "WO-\(rng.int(10_000...99_999))" : nil, "scale-\(entryNumber)", entryStatus.rawValue, t.userID,
                                days.date(day, seconds: 57_600 + rng.int(0...7_200))])
                    loggedMinutes += minutes
                    guard entryStatus != .pending else { continue }
                    let decidedAt = days.date(min(day + rng.int(1...4), today - 1), seconds: 32_400 + rng.int(0...3_600))
                    writer.add(HourDecision.schema, decisionColumns,
                               [rng.uuid(), entryID, entryStatus == .approved ? HourDecision.Action.approve.rawValue : HourDecision.Action.reject.rawValue,
                                entryStatus == .approved ? "" : "Those hours were on the other unit's work list; log them against the right skill set.",
                                t.mentorID, decidedAt])
                    if entryStatus == .approved {
                        bySet[code, default: (0, 0)].minutes += minutes
                        bySet[code, default: (0, 0)].entries += 1
                        byWeek[days.weekKeys[day], default: 0] += minutes
                        let before = approvedMinutes / 60
                        approvedMinutes += minutes
                        for mark in [2000, 4000] where before < mark && approvedMinutes / 60 >= mark { hoursReached[mark] = day }
                    }
                }
            }
        }
        for (code, total) in bySet.sorted(by: { $0.key < $1.key }) {
            writer.add(SkillSetTotal.schema, ["id", "apprentice_id", "skill_set_code", "approved_minutes", "approved_entries"],
                       [rng.uuid(), id, code, total.minutes, total.entries])
        }
        for (week, minutes) in byWeek.sorted(by: { $0.key < $1.key }) {
            writer.add(WeekTotal.schema, ["id", "apprentice_id", "week_start", "approved_minutes"], [rng.uuid(), id, week, minutes])
        }

        generateAssessments(t, context, setEntered: setEntered, into: writer, rng: &rng)
        let credentialPassed = generateInstructionAndCredentials(t, context, into: writer, rng: &rng)
        generateWagesAndReviews(t, context, hoursReached: hoursReached, credentialPassed: credentialPassed, into: writer, rng: &rng)
    }

    /// Skills of each set worked in are rated while the apprentice is in it, often more than once (developing, then proficient).
    private static func generateAssessments(_ t: Training, _ context: Context, setEntered: [String: Int], into writer: BulkWriter, rng: inout SeededRandom) {
        let days = context.days
        let scale = context.standards.ratingScale
        guard let top = scale.last(where: \.signsOff) ?? scale.last else { return }
        let middle = scale.count >= 2 ? scale[scale.count - 2] : top
        let lowest = scale.first ?? top
        let entered = setEntered.sorted { $0.value < $1.value }
        for (position, (code, firstDay)) in entered.enumerated() {
            guard let set = context.standards.skillSet(code: code) else { continue }
            let lastDay = position + 1 < entered.count ? entered[position + 1].value : t.stopIndex
            let span = max(1, lastDay - firstDay)
            for skill in set.skills where rng.chance(0.62) {
                let ladder: [RatingLevel]
                switch rng.int(0...99) {
                case 0..<40: ladder = [top]
                case 40..<75: ladder = [middle, top]
                case 75..<87: ladder = [lowest, middle, top]
                default: ladder = [middle]
                }
                var day = firstDay + rng.int(0...span)
                var state: (rating: RatingLevel, count: Int, at: Date)?
                for level in ladder {
                    guard day <= t.stopIndex else { break }
                    let at = days.date(day, seconds: 50_400 + rng.int(0...7_200))
                    writer.add(SkillAssessment.schema, ["id", "apprentice_id", "skill_code", "rating_code", "rating_label", "signs_off", "observed",
                                                        "assessor_id", "created_at"],
                               [rng.uuid(), t.apprenticeID, skill.code, level.code, level.label, level.signsOff, rng.pick(ScaleCatalog.observations), t.mentorID, at])
                    state = (level, (state?.count ?? 0) + 1, at)
                    day += rng.int(7...45)
                }
                if let state {
                    writer.add(SkillState.schema, ["id", "apprentice_id", "skill_code", "rating_code", "signs_off", "assessment_count", "last_assessed_at"],
                               [rng.uuid(), t.apprenticeID, skill.code, state.rating.code, state.rating.signsOff, state.count, state.at])
                } else if t.running && rng.chance(0.3) {
                    // Not rated yet: the apprentice asked for it.
                    writer.add(AssessmentRequest.schema, ["id", "apprentice_id", "skill_code", "note", "requested_at"],
                               [rng.uuid(), t.apprenticeID, skill.code, "I did this on my own this week; could you watch me next time?",
                                days.date(min(t.stopIndex, days.todayIndex - 1), seconds: 60_000)])
                }
            }
        }
    }

    /// Courses one after another (enrolled, then completed), and the program's credentials planned, scheduled and passed.
    /// Returns the day each credential was passed.
    private static func generateInstructionAndCredentials(_ t: Training, _ context: Context, into writer: BulkWriter, rng: inout SeededRandom) -> [String: Int] {
        let days = context.days
        for (number, course) in context.standards.courses.enumerated() {
            let enrolled = t.startIndex + 20 + number * 130 + rng.int(0...20)
            guard enrolled <= t.stopIndex else { break }
            addInstruction(t, course.code, .enrolled, day: enrolled, hours: nil, grade: nil, days, &rng, writer)
            let completed = enrolled + rng.int(75...110)
            if completed <= t.stopIndex {
                addInstruction(t, course.code, .completed, day: completed, hours: course.hours, grade: rng.pick(["A", "A", "B", "B", "C"]), days, &rng, writer)
            }
        }
        var passed: [String: Int] = [:]
        for (number, credential) in context.standards.credentials.enumerated() {
            let planned = t.startIndex + 30 + number * 200
            guard planned <= t.stopIndex else { break }
            addCredential(t, credential.code, .planned, day: planned, eventDay: nil, expires: nil, days, &rng, writer)
            var exam = planned + rng.int(100...160)
            guard exam - 20 <= t.stopIndex else { continue }
            addCredential(t, credential.code, .scheduled, day: exam - 20, eventDay: exam, expires: nil, days, &rng, writer)
            guard exam <= t.stopIndex else { continue }
            if rng.chance(0.12) {
                addCredential(t, credential.code, .failed, day: exam + 2, eventDay: exam, expires: nil, days, &rng, writer)
                exam += rng.int(45...75)
                guard exam <= t.stopIndex else { continue }
            }
            let expires = credential.validityYears.map { ProgramCalendar.dayString(ProgramCalendar.adding(years: $0, to: days.date(exam))) }
            addCredential(t, credential.code, .passed, day: exam + 2, eventDay: exam, expires: expires, days, &rng, writer)
            passed[credential.code] = exam + 2
        }
        return passed
    }

    private static func addInstruction(_ t: Training, _ course: String, _ status: InstructionRecord.Status, day: Int, hours: Int?, grade: String?,
                                       _ days: DayTable, _ rng: inout SeededRandom, _ writer: BulkWriter) {
        writer.add(InstructionRecord.schema, ["id", "apprentice_id", "course_code", "status", "provider", "event_date", "hours", "grade", "recorded_by_id", "created_at"],
                   [rng.uuid(), t.apprenticeID, course, status.rawValue, "Community College HTM program", days.strings[day], hours, grade, t.mentorID,
                    days.date(min(day + 1, days.todayIndex - 1), seconds: 36_000)])
    }

    private static func addCredential(_ t: Training, _ code: String, _ status: CredentialStatus, day: Int, eventDay: Int?, expires: String?,
                                      _ days: DayTable, _ rng: inout SeededRandom, _ writer: BulkWriter) {
        writer.add(CredentialRecord.schema, ["id", "apprentice_id", "credential_code", "status", "event_date", "expires_on", "note", "recorded_by_id", "created_at"],
                   [rng.uuid(), t.apprenticeID, code, status.rawValue, eventDay.map { days.strings[$0] }, expires,
                    status == .failed ? "Retake booked." : "", t.userID, days.date(min(day, days.todayIndex - 1), seconds: 45_000)])
    }

    /// Raises in schedule order, each once its trigger was met; quarterly reviews signed by all three, the latest sometimes overdue.
    private static func generateWagesAndReviews(_ t: Training, _ context: Context, hoursReached: [Int: Int], credentialPassed: [String: Int],
                                                into writer: BulkWriter, rng: inout SeededRandom) {
        let days = context.days
        var previous = t.startIndex
        for step in context.standards.wageSchedule {
            let met: Int?
            switch step.trigger.kind {
            case .start: met = t.startIndex
            case .months: met = step.trigger.value.map { days.index(of: ProgramCalendar.adding(months: $0, to: days.date(t.startIndex))) }
            case .hours: met = step.trigger.value.flatMap { hoursReached[$0] }
            case .credential: met = step.trigger.credential.flatMap { credentialPassed[$0] }
            case .skills: met = nil
            }
            guard let met else { break }
            let effective = max(previous, met) + (step.trigger.kind == .start ? 0 : rng.int(1...10))
            guard effective <= t.stopIndex else { break }
            writer.add(WageRaise.schema, ["id", "apprentice_id", "step", "effective_date", "hourly_rate_cents", "note", "recorded_by_id", "created_at"],
                       [rng.uuid(), t.apprenticeID, step.step, days.strings[effective], t.plannedRates[step.step] ?? 0,
                        step.trigger.kind == .start ? "Starting wage, from the registration." : "Step reached: \(step.title).", t.employerAdminID,
                        days.date(effective, seconds: 39_600)])
            previous = effective
        }
        var number = 1
        while true {
            let end = days.index(of: ProgressReviews.periodEnd(number, start: days.date(t.startIndex)))
            let written = end + rng.int(2...12)
            guard written <= t.stopIndex, written < days.todayIndex else { break }
            if t.running && written > days.todayIndex - 30 && rng.chance(0.15) { break } // this one is late
            let reviewID = rng.uuid()
            let at = days.date(written, seconds: 54_000)
            writer.add(ProgressReview.schema, ["id", "apprentice_id", "period_number", "period_end", "mentor_comments", "apprentice_comments", "goals",
                                               "created_by_id", "created_at", "completed_at"],
                       [reviewID, t.apprenticeID, number, days.strings[end], "Steady progress on the work list; documentation is careful.",
                        "I want more time on repairs.", "Finish the current skill set and book the next exam.", t.mentorID, at, at])
            let signers: [(ReviewSignature.Party, UUID)] = [(.mentor, t.mentorID), (.apprentice, t.userID), (.employer, t.employerAdminID)]
            for (offset, (party, signer)) in signers.enumerated() {
                writer.add(ReviewSignature.schema, ["id", "review_id", "party", "signer_id", "signed_at"],
                           [rng.uuid(), reviewID, party.rawValue, signer, at.addingTimeInterval(Double(offset * 600))])
            }
            number += 1
        }
    }
}
