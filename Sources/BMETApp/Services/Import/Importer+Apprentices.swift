import BMETDomain
import Fluent
import SQLKit
import Vapor

extension Importer {
    /// Apprentices with their registration data, checked with the registration form's own rules
    /// (`Registrations.checkBirthDate`, `checkEducation`, the address rules, the wage schedule, the mentor ratio).
    /// Imported apprentices have no account yet: the sponsor or employer invites them from their record.
    static func planApprentices(_ rows: [ImportRow], actor: User, now: Date, into plan: inout ImportPlan, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw SQLRequired() }
        guard let version = try await ProgramVersion.query(on: db).sort(\.$versionNumber, .descending).first() else {
            plan.issues.append(ImportIssue(row: 1, column: "", message: "No program standards are loaded yet: load them first (bmet standards load)."))
            return
        }
        let standards = try StandardsLibrary.standards(of: version)
        let versionID = try version.requireID()
        let employers = try await refs(.employers, rows.map { $0["employer_ref"] }, on: sql)
        let mentors = try await refs(.people, rows.map { $0["mentor_ref"] }, on: sql)
        let mentorUsers = Dictionary(uniqueKeysWithValues: try await User.query(on: db).filter(\.$id ~~ Array(Set(mentors.values))).all().map { ($0.id!, $0) })
        let employerNames = Dictionary(uniqueKeysWithValues: try await Employer.query(on: db).filter(\.$id ~~ Array(Set(employers.values))).all().map { ($0.id!, $0.name) })
        var mentees: [UUID: Int] = [:]
        for mentorID in Set(mentors.values) {
            mentees[mentorID] = try await Apprentice.query(on: db).filter(\.$mentor.$id == mentorID)
                .filter(\.$status ~~ ApprenticeStatus.allCases.filter(\.isInProgram)).count()
        }
        var emails: [String: Int] = [:]
        let today = ProgramCalendar.today(now)
        let earliest = ProgramCalendar.calendar.date(byAdding: .month, value: -standards.termMonths, to: today)!
        let latest = ProgramCalendar.calendar.date(byAdding: .year, value: 1, to: today)!
        let statuses: [ApprenticeStatus] = [.pendingAgreement, .probation, .active]

        for row in rows {
            var errors = FieldErrors()
            Check.required(row["full_name"], "fullName", "Full legal name", into: &errors)
            Check.email(row["email"], into: &errors)
            let email = Check.normalizedEmail(row["email"])
            let employerID = employers[row["employer_ref"]]
            if employerID == nil { plan.issue(row, "employer_ref", "No employer was imported as \(row["employer_ref"]); import the employers file first.") }
            let mentorID = mentors[row["mentor_ref"]]
            if let mentorID, let mentor = mentorUsers[mentorID], let employerID {
                if mentor.role != .mentor || mentor.employerID != employerID || !mentor.isActive {
                    plan.issue(row, "mentor_ref", "\(row["mentor_ref"]) is not a mentor at \(employerNames[employerID] ?? "this employer").")
                } else {
                    mentees[mentorID, default: 0] += 1
                    if !standards.mentorRatio.allows(apprentices: mentees[mentorID]!, mentors: 1) {
                        plan.issue(row, "mentor_ref", "\(mentor.fullName) would mentor \(mentees[mentorID]!) apprentices; the standards allow \(standards.mentorRatio.apprentices) per \(standards.mentorRatio.mentors) mentor.")
                    }
                }
            } else if mentorID == nil {
                plan.issue(row, "mentor_ref", "No person was imported as \(row["mentor_ref"]); import the people file first.")
            }
            let start = ProgramCalendar.day(row["start_date"])
            if let start {
                if start > latest { errors["startDate"] = "The start date is more than a year away." }
                if start < earliest { errors["startDate"] = "The start date is more than the program's \(standards.termMonths) months ago." }
            } else { errors["startDate"] = "Enter the start date as YYYY-MM-DD." }
            let status = ApprenticeStatus(rawValue: row["status"].lowercased())
            if status == nil || !statuses.contains(status!) { plan.issue(row, "status", "Choose pending_agreement, probation or active.") }

            for (field, message) in USAddressRules.validate(line1: row["address_line1"], city: row["city"], state: row["state"].uppercased(), zip: row["zip"],
                                                            lineLimit: FieldLimits.limit(for: "addressLine1"), cityLimit: FieldLimits.limit(for: "city")) {
                errors[field == "line1" ? "addressLine1" : field] = message
            }
            let birth = Registrations.checkBirthDate(row["birth_date"], guardianName: row["guardian_name"], start: start ?? today, entry: standards.entry, into: &errors)
            let sex = Sex(rawValue: row["sex"].lowercased())
            if sex == nil { plan.issue(row, "sex", "Choose one of: \(Sex.allCases.map(\.rawValue).joined(separator: ", ")).") }
            let ethnicity = Ethnicity(rawValue: row["ethnicity"].lowercased())
            if ethnicity == nil { plan.issue(row, "ethnicity", "Choose one of: \(Ethnicity.allCases.map(\.rawValue).joined(separator: ", ")).") }
            let raceTexts = row["races"].lowercased().split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let races = raceTexts.compactMap(Race.init(rawValue:))
            if races.isEmpty || races.count != raceTexts.count { plan.issue(row, "races", "One or more of \(Race.allCases.map(\.rawValue).joined(separator: ", ")), separated by ';'.") }
            let veteran = VeteranStatus(rawValue: row["veteran_status"].lowercased())
            if veteran == nil { plan.issue(row, "veteran_status", "Choose one of: \(VeteranStatus.allCases.map(\.rawValue).joined(separator: ", ")).") }
            let education = EducationLevel(rawValue: row["education"].lowercased()).flatMap { EducationLevel.choices.contains($0) ? $0 : nil }
            if let education { Registrations.checkEducation(education, entry: standards.entry, expected: nil, into: &errors) }
            else { plan.issue(row, "education", "Choose one of: \(EducationLevel.choices.map(\.rawValue).joined(separator: ", ")).") }
            let employment = EmploymentStatus(rawValue: row["employment_status"].lowercased())
            if employment == nil { plan.issue(row, "employment_status", "Choose one of: \(EmploymentStatus.allCases.map(\.rawValue).joined(separator: ", ")).") }
            let career = CareerConnection(rawValue: row["career_connection"].lowercased()).flatMap { CareerConnection.choices.contains($0) ? $0 : nil }
            if career == nil { plan.issue(row, "career_connection", "Choose one of: \(CareerConnection.choices.map(\.rawValue).joined(separator: ", ")).") }

            // Wages: one rate per step of the schedule, never going down.
            let rateTexts = row["wage_rates"].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            var rates: [Int] = []
            if rateTexts.count != standards.wageSchedule.count {
                plan.issue(row, "wage_rates", "Give \(standards.wageSchedule.count) hourly rates (one per wage step) separated by ';'; this row has \(rateTexts.count).")
            } else {
                for text in rateTexts {
                    guard let cents = Money.cents(text), cents >= 725, cents <= 20_000 else {
                        plan.issue(row, "wage_rates", "\(text) is not an hourly rate between $7.25 and $200."); rates = []; break
                    }
                    if let previous = rates.last, cents < previous { plan.issue(row, "wage_rates", "A later step cannot pay less than the one before."); rates = []; break }
                    rates.append(cents)
                }
            }
            if errors["email"] == nil {
                if let first = emails[email] { plan.issue(row, "email", "Row \(first) has the same e-mail.") }
                else if try await Apprentice.query(on: db).filter(\.$email == email).filter(\.$status ~~ ApprenticeStatus.allCases.filter(\.isInProgram)).first() != nil {
                    plan.issue(row, "email", "An apprentice with this e-mail is already in the program.")
                }
            }
            emails[email] = emails[email] ?? row.line
            for (field, message) in errors.sorted(by: { $0.key < $1.key }) { plan.issue(row, column(field == "startDate" ? "start_date" : field), message) }

            guard let start, let birth, let status, let sex, let ethnicity, let veteran, let education, let employment, let career,
                  let employerID, let mentorID, rates.count == standards.wageSchedule.count else { continue }
            let id = UUID()
            let startText = ProgramCalendar.dayString(start)
            plan.add(Apprentice.schema, ["id", "user_id", "program_version_id", "employer_id", "mentor_id", "full_name", "email", "start_date",
                                         "probation_end", "term_end", "status", "status_before_suspension", "registered_by_id", "registered_at", "agreement_completed_at"],
                     [id, UUID?.none, versionID, employerID, mentorID, row["full_name"], email, startText,
                      ProgramCalendar.dayString(ProgramCalendar.probationEnd(start: start, months: standards.probationaryPeriod.months)),
                      ProgramCalendar.dayString(ProgramCalendar.termEnd(start: start, months: standards.termMonths)),
                      status.rawValue, String?.none, actor.id, now, status == .pendingAgreement ? Date?.none : now])
            // The summary row every apprentice has; out of date until its first read or the refresh after the import.
            plan.add(ProgressSummaries.schema, ["apprentice_id", "generation", "summarized_generation", "employer_id"], [id, 1, 0, employerID])
            plan.add(RegistrationData.schema, ["id", "apprentice_id", "address_line1", "city", "state", "zip", "birth_date", "sex", "ethnicity", "races",
                                               "veteran_status", "education", "employment_status", "career_connection", "disability", "guardian_name"],
                     [UUID(), id, row["address_line1"], row["city"], row["state"].uppercased(), row["zip"], ProgramCalendar.dayString(birth), sex.rawValue,
                      ethnicity.rawValue, races.map(\.rawValue).joined(separator: ","), veteran.rawValue, education.rawValue, employment.rawValue,
                      career.rawValue, DisabilityDisclosure.undisclosed.rawValue, row["guardian_name"].nilIfEmpty])
            for (step, cents) in zip(standards.wageSchedule, rates) {
                plan.add(ApprenticeWageStep.schema, ["id", "apprentice_id", "step", "title", "trigger_summary", "hourly_rate_cents"],
                         [UUID(), id, step.step, step.title, step.trigger.summary, cents])
            }
            if let first = standards.wageSchedule.first, first.trigger.kind == .start, let rate = rates.first {
                plan.add(WageRaise.schema, ["id", "apprentice_id", "step", "effective_date", "hourly_rate_cents", "note", "recorded_by_id", "created_at"],
                         [UUID(), id, first.step, startText, rate, "Starting wage, from the import.", actor.id, now])
            }
            plan.add(ApprenticeEvent.schema, ["id", "apprentice_id", "kind", "from_status", "to_status", "reason", "during_probation", "note",
                                              "to_employer_id", "actor_id", "created_at"],
                     [UUID(), id, "imported", String?.none, status.rawValue, String?.none, false,
                      "Imported at \(employerNames[employerID] ?? "the employer"), starting \(startText)" + (status == .pendingAgreement ? "." : "; the agreement was signed outside the platform."),
                      employerID, actor.id, now])
            plan.refs.append((row["apprentice_ref"], id))
            plan.apprentices.insert(id)
        }
    }
}
