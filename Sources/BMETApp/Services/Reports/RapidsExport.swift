import BMETDomain
import Crypto
import Fluent
import Vapor

/// The RAPIDS export (docs/RAPIDS-EXPORT.md): new registrations as the apprentice bulk-upload file in the layout the
/// Council of State Governments publishes (`RapidsUploadLayout`), changed ones in the same layout apart, the reference
/// tabs its id columns point to, and the status events — validated first, sent once. Policy: valid records go out; an
/// apprentice with errors is held back (with their events) until fixed, and the page says so. Registrations are due once
/// all three parties have signed the agreement.
enum RapidsExport {
    /// `RapidsExportBatch.layout` of batches in the upload layout.
    static let uploadLayout = "rapids-upload"
    static var registrationColumns: [String] { RapidsUploadLayout.columns }
    static let eventColumns = [
        "event_id", "record_id", "full_name", "event_type", "event_date", "status_after", "exit_reason_code", "exit_reason",
        "during_probation", "from_employer", "to_employer", "note",
    ]
    /// The reference tabs: the platform's own layout (the published one names the tabs but not their columns).
    static let employerColumns = ["Employer ID", "Employer Name", "Street Address", "City", "State", "5-Digit Zip Code", "Telephone"]
    static let occupationColumns = ["Occupation ID", "Occupation Title", "RAPIDS Code", "O*NET-SOC Code", "Training Approach", "Term Months", "Sponsor"]
    static let rtiProviderColumns = ["RTI Provider ID", "RTI Provider Name"]
    static let wageScheduleColumns = ["Wage Schedule ID", "Occupation ID", "Employer ID", "Step", "Step Title", "Trigger", "Wage", "Wage Units"]
    /// A batch's files in the upload layout, in page order. The first and the last are the batch's own columns.
    static let uploadFiles = ["apprentices.csv", "apprentice-updates.csv", "employers.csv", "occupations.csv", "rti-providers.csv", "wage-schedules.csv", "events.csv"]
    /// Event kinds RAPIDS records, with the name the file gives them.
    static let eventTypes = ["completed": "completion", "cancel": "cancellation", "suspend": "suspension", "reinstate": "reinstatement", "transfer": "transfer"]

    /// What a registration row's id columns point to, for the reference tabs.
    struct References {
        let employer: Employer
        let standards: ProgramStandards
        let rtiProvider: String
        let wageScheduleID: String
        let wageSteps: [ApprenticeWageStep]
    }

    struct Registration {
        let apprentice: Apprentice
        let cells: [CSVWriter.Cell]
        let fingerprint: String
        var issues: [RapidsRules.Issue]
        let references: References
        /// Digits, when a readable SSN is on file (the layout wants each SSN once per file).
        let ssn: String?
        /// The latest export of this registration, if any.
        let lastSequence: Int
        let lastFingerprint: String?
        let lastExportedAt: Date?
        var isDue: Bool { issues.isEmpty && fingerprint != lastFingerprint }
        var isChange: Bool { lastFingerprint != nil }
    }

    struct Event {
        let event: ApprenticeEvent
        let cells: [CSVWriter.Cell]
        let fingerprint: String
    }

    struct Preview {
        var registrations: [Registration] = []
        /// Registered but not all signatures in yet: not due for RAPIDS.
        var awaitingAgreement: [Apprentice] = []
        var dueEvents: [Event] = []
        /// Events held back because their apprentice's registration has errors.
        var heldBackEvents = 0
        var invalid: [Registration] { registrations.filter { !$0.issues.isEmpty } }
        var due: [Registration] { registrations.filter(\.isDue) }
    }

    // MARK: Reading

    static func preview(app: Application, on db: any Database) async throws -> Preview {
        var preview = Preview()
        let apprentices = try await Apprentice.query(on: db).with(\.$employer).with(\.$programVersion).sort(\.$fullName).all()
        let data = try await RegistrationData.query(on: db).all()
        let dataByApprentice = Dictionary(data.map { ($0.$apprentice.id, $0) }, uniquingKeysWith: { first, _ in first })
        let wageSteps = Dictionary(grouping: try await ApprenticeWageStep.query(on: db).sort(\.$step).all(), by: \.$apprentice.id)
        var creditHours: [UUID: Int] = [:]
        for credit in try await PriorLearningCredit.query(on: db).all() { creditHours[credit.$apprentice.id, default: 0] += credit.hours }
        var latest: [UUID: RapidsExportMark] = [:]
        var exportedEvents = Set<UUID>()
        for mark in try await RapidsExportMark.query(on: db).all() {
            switch mark.recordKind {
            case .registration: if (latest[mark.recordID]?.sequence ?? 0) < mark.sequence { latest[mark.recordID] = mark }
            case .event: exportedEvents.insert(mark.recordID)
            }
        }
        // Disability comes from the person's own self-identification (29 CFR 30.11), kept apart from the registration
        // record; records registered before that existed keep what was entered at registration.
        let disability = try await SelfIdentification.currentAnswers(for: apprentices.map { (try $0.requireID(), $0.$applicant.id) },
                                                                     cipher: app.dataCipher, on: db)
        let key = fingerprintKey(app)
        var byID: [UUID: Apprentice] = [:]
        for apprentice in apprentices {
            let id = try apprentice.requireID()
            byID[id] = apprentice
            if apprentice.status == .pendingAgreement { preview.awaitingAgreement.append(apprentice); continue }
            let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
            preview.registrations.append(try registrationRow(apprentice, dataByApprentice[id], standards: standards, wageSteps: wageSteps[id] ?? [],
                                                             creditHours: creditHours[id] ?? 0, disability: disability[id]?.disclosure, app: app, key: key, last: latest[id]))
        }
        // The layout takes each SSN once: two records due together with one SSN (a person registered twice) wait for a person to look.
        let dueBySSN = Dictionary(grouping: preview.registrations.indices.filter { preview.registrations[$0].isDue && preview.registrations[$0].ssn != nil },
                                  by: { preview.registrations[$0].ssn! })
        for indices in dueBySSN.values where indices.count > 1 {
            for index in indices {
                preview.registrations[index].issues.append(.init(field: "ssn", label: "Social Security number",
                                                                 message: "Another apprentice record due for RAPIDS has the same SSN: correct the wrong one."))
            }
        }
        let sendable = Set(preview.registrations.filter { $0.issues.isEmpty }.compactMap(\.apprentice.id))
        let employers = Dictionary(try await Employer.query(on: db).all().compactMap { e in e.id.map { ($0, e.name) } }, uniquingKeysWith: { a, _ in a })
        let events = try await ApprenticeEvent.query(on: db).filter(\.$kind ~~ Array(eventTypes.keys)).sort(\.$createdAt).all()
        for event in events {
            guard let eventID = event.id, !exportedEvents.contains(eventID), let apprentice = byID[event.$apprentice.id] else { continue }
            guard sendable.contains(event.$apprentice.id) else { preview.heldBackEvents += 1; continue }
            preview.dueEvents.append(eventRow(event, apprentice: apprentice, employers: employers, key: key))
        }
        return preview
    }

    private static func registrationRow(_ apprentice: Apprentice, _ data: RegistrationData?, standards: ProgramStandards, wageSteps: [ApprenticeWageStep],
                                        creditHours: Int, disability: DisabilityDisclosure?, app: Application, key: SymmetricKey, last: RapidsExportMark?) throws -> Registration {
        var ssn: String?
        var ssnReadable: Bool?
        if let sealed = data?.ssnCiphertext {
            if let digits = try? app.dataCipher.open(sealed), SSNRules.isPlausible(digits) {
                ssn = digits
                ssnReadable = true
            } else { ssnReadable = false }
        }
        let races = (data?.races ?? "").split(separator: ",").map(String.init)
        let entry = wageSteps.first
        let issues = RapidsRules.issues(.init(
            fullName: apprentice.fullName, firstName: data?.firstName, middleName: data?.middleName, lastName: data?.lastName, suffix: data?.suffix,
            hasRegistrationData: data != nil, addressLine1: data?.addressLine1 ?? "", city: data?.city ?? "",
            state: data?.state ?? "", zip: data?.zip ?? "", birthDate: data?.birthDate ?? "", startDate: apprentice.startDate,
            races: races, guardianName: data?.guardianName, ssnReadable: ssnReadable, rapidsCode: standards.occupation.rapidsCode,
            education: data?.education, careerConnection: data?.careerConnection, priorWageCents: data?.priorWageCents, priorWageUnit: data?.priorWageUnit,
            entryWageCents: entry?.hourlyRateCents, studentStatus: data?.studentStatus, rtiProvider: data?.rtiProvider,
            wioaParticipant: data?.wioaParticipant, wioaType: data?.wioaType, ojtFundingSources: data?.ojtFundingSources))
        let names = RapidsRules.nameParts(fullName: apprentice.fullName, first: data?.firstName, last: data?.lastName)
        let provider = (data?.rtiProvider ?? "").trimmed
        let scheduleID = wageScheduleID(rapidsCode: standards.occupation.rapidsCode, employer: apprentice.$employer.id, steps: wageSteps)
        let yesNo: (Bool?) -> String = { $0.map { $0 ? "1" : "0" } ?? "" }
        let text: [String] = [
            RapidsUploadLayout.date(apprentice.startDate) ?? "", names.first, names.last, data?.middleName ?? "", data?.suffix ?? "",
            ssn ?? "", RapidsUploadLayout.date(data?.birthDate ?? "") ?? "",
            data.map { RapidsUploadLayout.gender($0.sex) } ?? "", data.map { RapidsUploadLayout.employmentStatus($0.employmentStatus) } ?? "",
            data?.addressLine1 ?? "", data?.city ?? "", data?.state ?? "", String((data?.zip ?? "").prefix(5)),
            "", apprentice.email, apprentice.$employer.id.uuidString,
            data.map { RapidsUploadLayout.ethnicity($0.ethnicity) } ?? "",
        ] + RapidsUploadLayout.raceFlags(races.compactMap(Race.init(rawValue:))) + [
            data.map { RapidsUploadLayout.veteran($0.veteranStatus) } ?? "", (disability ?? data?.disability).map { RapidsUploadLayout.disability($0) } ?? "",
            data.flatMap { RapidsUploadLayout.education($0.education) } ?? "",
            standards.occupation.rapidsCode, provider.isEmpty ? "" : rtiProviderID(provider),
            String(creditHours), String(data?.relatedTrainingCreditHours ?? 0),
            data?.priorWageCents.map(RapidsUploadLayout.wholeDollars) ?? "", data?.priorWageUnit ?? "",
            entry.map { RapidsUploadLayout.wholeDollars($0.hourlyRateCents) } ?? "", WageUnit.hourly.rawValue, scheduleID,
            "", // the program has no career lattice
            data.flatMap { RapidsUploadLayout.careerConnection($0.careerConnection) } ?? "",
            yesNo(data?.wioaParticipant), data?.wioaParticipant == true ? (data?.wioaType ?? "") : "",
            data.map { RapidsUploadLayout.careerLinkage($0.careerConnection) } ?? "",
            yesNo(data?.taaParticipant), data?.ojtFundingSources ?? "", data?.studentStatus ?? "",
        ]
        let cells = text.map(CSVWriter.Cell.text)
        return Registration(apprentice: apprentice, cells: cells, fingerprint: fingerprint(cells, key: key), issues: issues,
                            references: .init(employer: apprentice.employer, standards: standards, rtiProvider: provider, wageScheduleID: scheduleID, wageSteps: wageSteps),
                            ssn: ssn, lastSequence: last?.sequence ?? 0, lastFingerprint: last?.fingerprint, lastExportedAt: last?.exportedAt)
    }

    /// Stable ids for the tabs, made from what they name, so a row's fingerprint changes only when its content does.
    static func rtiProviderID(_ name: String) -> String {
        "RTI-" + sha256(Data(name.trimmed.lowercased().utf8)).prefix(10)
    }

    static func wageScheduleID(rapidsCode: String, employer: UUID, steps: [ApprenticeWageStep]) -> String {
        let content = ([rapidsCode, employer.uuidString] + steps.map { "\($0.step):\($0.title):\($0.hourlyRateCents)" }).joined(separator: "|")
        return "WS-" + sha256(Data(content.utf8)).prefix(10)
    }

    /// The reference tabs for the registrations of one batch: each employer, occupation, provider and schedule they name, once.
    static func referenceTabs(_ rows: [Registration]) -> [(name: String, writer: CSVWriter)] {
        var employers = CSVWriter(header: employerColumns), occupations = CSVWriter(header: occupationColumns)
        var providers = CSVWriter(header: rtiProviderColumns), schedules = CSVWriter(header: wageScheduleColumns)
        var seen = Set<String>()
        func first(_ key: String) -> Bool { seen.insert(key).inserted }
        for row in rows.sorted(by: { $0.apprentice.fullName < $1.apprentice.fullName }) {
            let ref = row.references, employerID = ref.employer.id?.uuidString ?? "", occupation = ref.standards.occupation
            if first("employer:" + employerID) {
                employers.append([.text(employerID), .text(ref.employer.name), .text(ref.employer.addressLine1), .text(ref.employer.city),
                                  .text(ref.employer.state), .text(String(ref.employer.zip.prefix(5))), .text(ref.employer.phone ?? "")])
            }
            if first("occupation:" + occupation.rapidsCode) {
                occupations.append([.text(occupation.rapidsCode), .text(occupation.title), .text(occupation.rapidsCode), .text(occupation.onetSocCode),
                                    .text(ref.standards.approach.rawValue), .int(ref.standards.termMonths), .text(ref.standards.sponsor)])
            }
            if !ref.rtiProvider.isEmpty, first("provider:" + rtiProviderID(ref.rtiProvider)) {
                providers.append([.text(rtiProviderID(ref.rtiProvider)), .text(ref.rtiProvider)])
            }
            if first("schedule:" + ref.wageScheduleID) {
                let triggers = Dictionary(ref.standards.wageSchedule.map { ($0.step, $0.trigger.summary) }, uniquingKeysWith: { a, _ in a })
                for step in ref.wageSteps {
                    schedules.append([.text(ref.wageScheduleID), .text(occupation.rapidsCode), .text(employerID), .int(step.step), .text(step.title),
                                      .text(triggers[step.step] ?? step.triggerSummary), .decimal(Double(step.hourlyRateCents) / 100, places: 2), .text(WageUnit.hourly.rawValue)])
                }
            }
        }
        return [("employers.csv", employers), ("occupations.csv", occupations), ("rti-providers.csv", providers), ("wage-schedules.csv", schedules)]
    }

    private static func eventRow(_ event: ApprenticeEvent, apprentice: Apprentice, employers: [UUID: String], key: SymmetricKey) -> Event {
        let cells: [CSVWriter.Cell] = [
            .text(event.id?.uuidString ?? ""), .text(apprentice.id?.uuidString ?? ""), .text(apprentice.fullName),
            .text(eventTypes[event.kind] ?? event.kind), .day(event.createdAt), .text(event.toStatus.rapidsStatus.rawValue),
            .text(event.reason?.rawValue ?? ""), .text(event.reason?.label ?? ""),
            .text(event.kind == "cancel" ? (event.duringProbation ? "Y" : "N") : ""),
            .text(event.$fromEmployer.id.flatMap { employers[$0] } ?? ""), .text(event.$toEmployer.id.flatMap { employers[$0] } ?? ""),
            .text(event.note),
        ]
        return Event(event: event, cells: cells, fingerprint: fingerprint(cells, key: key))
    }

    /// Keyed with a key derived from the data key, so a fingerprint cannot be used to guess an SSN.
    static func fingerprintKey(_ app: Application) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: app.dataCipher.key, info: Data("rapids-export-fingerprint".utf8), outputByteCount: 32)
    }

    static func fingerprint(_ cells: [CSVWriter.Cell], key: SymmetricKey) -> String {
        let line = cells.map(CSVWriter.field).joined(separator: ",")
        return HMAC<SHA256>.authenticationCode(for: Data(line.utf8), using: key).map { String(format: "%02x", $0) }.joined()
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Exporting

    /// One export at a time in this process (SQLite would refuse the second writer rather than make it wait).
    private static let exportMutex = AsyncMutex()

    enum Outcome: Sendable {
        case exported(RapidsExportBatch)
        case nothingToExport
    }

    /// Exports every due record in one batch and marks each. If another export claims the same records first,
    /// the database refuses the second claim and this one starts again from what is still due.
    static func export(by actor: User, app: Application, on db: any Database, now: Date = Date()) async throws -> Outcome {
        guard actor.role == .programAdmin else { throw Abort(.forbidden, reason: "Only the sponsor exports to RAPIDS.") }
        return try await exportMutex.withLock {
            var attempt = 0
            while true {
                attempt += 1
                do {
                    return try await db.writeTransaction { tx in try await exportOnce(by: actor, app: app, on: tx, now: now) }
                } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 4 {
                    continue // another server claimed these records first: start again from what is still due
                }
            }
        }
    }

    private static func exportOnce(by actor: User, app: Application, on db: any Database, now: Date) async throws -> Outcome {
        let preview = try await preview(app: app, on: db)
        let due = preview.due
        guard !due.isEmpty || !preview.dueEvents.isEmpty else { return .nothingToExport }
        var uploads = CSVWriter(header: registrationColumns), updates = CSVWriter(header: registrationColumns)
        for row in due { if row.isChange { updates.append(row.cells) } else { uploads.append(row.cells) } }
        var events = CSVWriter(header: eventColumns)
        for row in preview.dueEvents { events.append(row.cells) }
        let extra = [("apprentice-updates.csv", updates)] + referenceTabs(due)
        let batch = RapidsExportBatch()
        batch.number = (try await RapidsExportBatch.query(on: db).max(\.$number) ?? 0) + 1
        batch.$createdBy.id = try actor.requireID()
        batch.createdAt = now
        batch.layout = uploadLayout
        batch.registrationCount = due.count
        batch.eventCount = preview.dueEvents.count
        batch.heldBackCount = preview.invalid.count
        batch.registrationsSealed = try app.dataCipher.seal(uploads.text)
        batch.eventsSealed = try app.dataCipher.seal(events.text)
        batch.registrationsSHA256 = sha256(uploads.data)
        batch.eventsSHA256 = sha256(events.data)
        try await batch.create(on: db)
        let batchID = try batch.requireID()
        for (position, (name, writer)) in extra.enumerated() {
            let file = RapidsExportFile()
            file.$batch.id = batchID
            file.name = name
            file.position = position + 1
            file.sealed = try app.dataCipher.seal(writer.text)
            file.sha256 = sha256(writer.data)
            try await file.create(on: db)
        }
        for row in due {
            try await mark(batchID, .registration, record: try row.apprentice.requireID(), apprentice: try row.apprentice.requireID(),
                           sequence: row.lastSequence + 1, fingerprint: row.fingerprint, now: now, on: db)
        }
        for row in preview.dueEvents {
            try await mark(batchID, .event, record: try row.event.requireID(), apprentice: row.event.$apprentice.id,
                           sequence: 1, fingerprint: row.fingerprint, now: now, on: db)
        }
        try await AuditLog.record(.personalDataExported, .program,
                                  "RAPIDS export batch \(batch.number): \(due.count) registration(s), \(preview.dueEvents.count) status event(s)", by: actor, on: db, now: now)
        return .exported(batch)
    }

    private static func mark(_ batchID: UUID, _ kind: RapidsExportMark.Kind, record: UUID, apprentice: UUID, sequence: Int, fingerprint: String,
                             now: Date, on db: any Database) async throws {
        let mark = RapidsExportMark()
        mark.$batch.id = batchID
        mark.recordKind = kind
        mark.recordID = record
        mark.apprenticeID = apprentice
        mark.sequence = sequence
        mark.fingerprint = fingerprint
        mark.exportedAt = now
        try await mark.create(on: db)
    }

    /// A batch's files by name, with their SHA-256, in page order: the upload layout's seven, or the two of batches
    /// made before in the platform's own layout.
    static func fileList(_ batch: RapidsExportBatch, on db: any Database) async throws -> [(name: String, sha256: String)] {
        guard batch.layout == uploadLayout else { return [("registrations.csv", batch.registrationsSHA256), ("events.csv", batch.eventsSHA256)] }
        let files = try await RapidsExportFile.query(on: db).filter(\.$batch.$id == batch.requireID()).sort(\.$position).all()
        return [("apprentices.csv", batch.registrationsSHA256)] + files.map { ($0.name, $0.sha256) } + [("events.csv", batch.eventsSHA256)]
    }

    /// One of a batch's files, unsealed, as it was exported; nil for a name the batch does not have.
    static func file(_ batch: RapidsExportBatch, _ name: String, app: Application, on db: any Database) async throws -> Data? {
        let main = batch.layout == uploadLayout ? "apprentices.csv" : "registrations.csv"
        switch name {
        case main: return Data(try app.dataCipher.open(batch.registrationsSealed).utf8)
        case "events.csv": return Data(try app.dataCipher.open(batch.eventsSealed).utf8)
        default:
            guard batch.layout == uploadLayout,
                  let file = try await RapidsExportFile.query(on: db).filter(\.$batch.$id == batch.requireID()).filter(\.$name == name).first()
            else { return nil }
            return Data(try app.dataCipher.open(file.sealed).utf8)
        }
    }
}
