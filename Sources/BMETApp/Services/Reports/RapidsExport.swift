import BMETDomain
import Crypto
import Fluent
import Vapor

/// The RAPIDS-ready export (docs/RAPIDS-EXPORT.md): registrations and status events as CSV, validated first, sent
/// once. Policy: valid records go out; an apprentice with errors is held back (with their events) until fixed, and
/// the page says so. Registrations are due once all three parties have signed the agreement.
enum RapidsExport {
    static let registrationColumns = [
        "record_id", "first_name", "last_name", "full_name", "ssn", "birth_date", "sex", "ethnicity", "race", "veteran_status",
        "education_level", "employment_status", "career_connection", "disability", "guardian_name",
        "address_line1", "city", "state", "zip", "sponsor", "occupation_title", "rapids_occupation_code", "onet_soc_code",
        "program_version", "employer_name", "employer_state", "start_date", "probation_end_date", "expected_completion_date", "status",
    ]
    static let eventColumns = [
        "event_id", "record_id", "full_name", "event_type", "event_date", "status_after", "exit_reason_code", "exit_reason",
        "during_probation", "from_employer", "to_employer", "note",
    ]
    /// Event kinds RAPIDS records, with the name the file gives them.
    static let eventTypes = ["completed": "completion", "cancel": "cancellation", "suspend": "suspension", "reinstate": "reinstatement", "transfer": "transfer"]

    struct Registration {
        let apprentice: Apprentice
        let cells: [CSVWriter.Cell]
        let fingerprint: String
        let issues: [RapidsRules.Issue]
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
        var latest: [UUID: RapidsExportMark] = [:]
        var exportedEvents = Set<UUID>()
        for mark in try await RapidsExportMark.query(on: db).all() {
            switch mark.recordKind {
            case .registration: if (latest[mark.recordID]?.sequence ?? 0) < mark.sequence { latest[mark.recordID] = mark }
            case .event: exportedEvents.insert(mark.recordID)
            }
        }
        let key = fingerprintKey(app)
        var sendable = Set<UUID>()
        var byID: [UUID: Apprentice] = [:]
        for apprentice in apprentices {
            let id = try apprentice.requireID()
            byID[id] = apprentice
            if apprentice.status == .pendingAgreement { preview.awaitingAgreement.append(apprentice); continue }
            let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
            let registration = try registrationRow(apprentice, dataByApprentice[id], standards: standards, app: app, key: key, last: latest[id])
            preview.registrations.append(registration)
            if registration.issues.isEmpty { sendable.insert(id) }
        }
        let employers = Dictionary(try await Employer.query(on: db).all().compactMap { e in e.id.map { ($0, e.name) } }, uniquingKeysWith: { a, _ in a })
        let events = try await ApprenticeEvent.query(on: db).filter(\.$kind ~~ Array(eventTypes.keys)).sort(\.$createdAt).all()
        for event in events {
            guard let eventID = event.id, !exportedEvents.contains(eventID), let apprentice = byID[event.$apprentice.id] else { continue }
            guard sendable.contains(event.$apprentice.id) else { preview.heldBackEvents += 1; continue }
            preview.dueEvents.append(eventRow(event, apprentice: apprentice, employers: employers, key: key))
        }
        return preview
    }

    private static func registrationRow(_ apprentice: Apprentice, _ data: RegistrationData?, standards: ProgramStandards, app: Application,
                                        key: SymmetricKey, last: RapidsExportMark?) throws -> Registration {
        var ssn = ""
        var ssnReadable: Bool?
        if let sealed = data?.ssnCiphertext {
            if let digits = try? app.dataCipher.open(sealed), SSNRules.isPlausible(digits) {
                ssn = "\(digits.prefix(3))-\(digits.dropFirst(3).prefix(2))-\(digits.suffix(4))"
                ssnReadable = true
            } else { ssnReadable = false }
        }
        let names = apprentice.fullName.split(whereSeparator: \.isWhitespace).map(String.init)
        let issues = RapidsRules.issues(.init(
            fullName: apprentice.fullName, hasRegistrationData: data != nil, addressLine1: data?.addressLine1 ?? "", city: data?.city ?? "",
            state: data?.state ?? "", zip: data?.zip ?? "", birthDate: data?.birthDate ?? "", startDate: apprentice.startDate,
            races: (data?.races ?? "").split(separator: ",").map(String.init), guardianName: data?.guardianName, ssnReadable: ssnReadable,
            rapidsCode: standards.occupation.rapidsCode))
        let cells: [CSVWriter.Cell] = [
            .text(apprentice.id?.uuidString ?? ""), .text(names.first ?? ""), .text(names.count > 1 ? names.last! : ""), .text(apprentice.fullName),
            .text(ssn), .text(data?.birthDate ?? ""), .text(data?.sex.rawValue ?? ""), .text(data?.ethnicity.rawValue ?? ""),
            .text((data?.races ?? "").replacingOccurrences(of: ",", with: ";")), .text(data?.veteranStatus.rawValue ?? ""),
            .text(data?.education.rawValue ?? ""), .text(data?.employmentStatus.rawValue ?? ""), .text(data?.careerConnection.rawValue ?? ""),
            .text(data?.disability.rawValue ?? ""), .text(data?.guardianName ?? ""),
            .text(data?.addressLine1 ?? ""), .text(data?.city ?? ""), .text(data?.state ?? ""), .text(data?.zip ?? ""),
            .text(standards.sponsor), .text(standards.occupation.title), .text(standards.occupation.rapidsCode), .text(standards.occupation.onetSocCode),
            .text("\(apprentice.programVersion.versionLabel) (v\(apprentice.programVersion.versionNumber))"),
            .text(apprentice.employer.name), .text(apprentice.employer.state),
            .text(apprentice.startDate), .text(apprentice.probationEnd), .text(apprentice.termEnd), .text(rapidsStatus(apprentice.status)),
        ]
        return Registration(apprentice: apprentice, cells: cells, fingerprint: fingerprint(cells, key: key), issues: issues,
                            lastSequence: last?.sequence ?? 0, lastFingerprint: last?.fingerprint, lastExportedAt: last?.exportedAt)
    }

    private static func eventRow(_ event: ApprenticeEvent, apprentice: Apprentice, employers: [UUID: String], key: SymmetricKey) -> Event {
        let cells: [CSVWriter.Cell] = [
            .text(event.id?.uuidString ?? ""), .text(apprentice.id?.uuidString ?? ""), .text(apprentice.fullName),
            .text(eventTypes[event.kind] ?? event.kind), .day(event.createdAt), .text(rapidsStatus(event.toStatus)),
            .text(event.reason?.rawValue ?? ""), .text(event.reason?.label ?? ""),
            .text(event.kind == "cancel" ? (event.duringProbation ? "Y" : "N") : ""),
            .text(event.$fromEmployer.id.flatMap { employers[$0] } ?? ""), .text(event.$toEmployer.id.flatMap { employers[$0] } ?? ""),
            .text(event.note),
        ]
        return Event(event: event, cells: cells, fingerprint: fingerprint(cells, key: key))
    }

    /// RAPIDS knows active, suspended, cancelled and completed; probation is active there.
    static func rapidsStatus(_ status: ApprenticeStatus) -> String {
        switch status {
        case .pendingAgreement: "pending"
        case .probation, .active: "active"
        case .suspended: "suspended"
        case .cancelled: "cancelled"
        case .completed: "completed"
        }
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
        var registrations = CSVWriter(header: registrationColumns)
        for row in due { registrations.append(row.cells) }
        var events = CSVWriter(header: eventColumns)
        for row in preview.dueEvents { events.append(row.cells) }
        let batch = RapidsExportBatch()
        batch.number = (try await RapidsExportBatch.query(on: db).max(\.$number) ?? 0) + 1
        batch.$createdBy.id = try actor.requireID()
        batch.createdAt = now
        batch.registrationCount = due.count
        batch.eventCount = preview.dueEvents.count
        batch.heldBackCount = preview.invalid.count
        batch.registrationsSealed = try app.dataCipher.seal(registrations.text)
        batch.eventsSealed = try app.dataCipher.seal(events.text)
        batch.registrationsSHA256 = sha256(registrations.data)
        batch.eventsSHA256 = sha256(events.data)
        try await batch.create(on: db)
        let batchID = try batch.requireID()
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

    /// One of a batch's two files, unsealed, as it was exported.
    static func file(_ batch: RapidsExportBatch, _ name: String, app: Application) throws -> Data? {
        switch name {
        case "registrations.csv": Data(try app.dataCipher.open(batch.registrationsSealed).utf8)
        case "events.csv": Data(try app.dataCipher.open(batch.eventsSealed).utf8)
        default: nil
        }
    }
}
