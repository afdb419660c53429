import BMETDomain
import Fluent
import SQLKit
import Vapor

struct ProviderInput: Content {
    var name: String?
    var kind: String?
    var contactName: String?
    var contactEmail: String?
    var contactPhone: String?
}

struct EnrolmentInput: Content {
    /// On the sponsor's form: the apprentice, by the e-mail address of their registration.
    var apprenticeEmail: String?
    var courseCode: String?
    var date: String?
}

struct AttendanceInput: Content {
    var courseCode: String?
    var hours: String?
    var date: String?
}

/// The sponsor's related-instruction providers and the apprentices enrolled with them.
enum Providers {
    static func create(_ input: ProviderInput, by actor: User, on db: any Database) async throws -> Provider {
        guard actor.role == .programAdmin else { throw Abort(.forbidden, reason: "Only the program sponsor adds providers.") }
        var errors = FieldErrors()
        Check.required(input.name, "name", "The provider's name", into: &errors)
        let kind = Provider.Kind(rawValue: input.kind ?? "")
        if kind == nil { errors["kind"] = "Choose college or training provider." }
        Check.required(input.contactName, "contactName", "The contact's name", into: &errors)
        Check.email(input.contactEmail, "contactEmail", into: &errors)
        let phone = input.contactPhone?.trimmed.nilIfEmpty
        if let phone, phone.filter(\.isNumber).count < 10 { errors["contactPhone"] = "Enter a phone number with its area code, or leave it empty." }
        for (field, value) in [("name", input.name), ("contactName", input.contactName), ("contactPhone", input.contactPhone)] {
            if errors[field] == nil, (value?.trimmed.count ?? 0) > FieldLimits.limit(for: field) { errors[field] = "At most \(FieldLimits.limit(for: field)) characters." }
        }
        let name = input.name?.trimmed ?? ""
        if errors["name"] == nil, try await Provider.query(on: db).filter(\.$name == name).first() != nil {
            errors["name"] = "A provider with this name already exists."
        }
        guard errors.isEmpty, let kind else { throw ValidationFailure(errors: errors) }
        let provider = Provider()
        provider.name = name
        provider.kind = kind
        provider.contactName = input.contactName?.trimmed ?? ""
        provider.contactEmail = Check.normalizedEmail(input.contactEmail)
        provider.contactPhone = phone
        provider.$createdBy.id = try actor.requireID()
        provider.createdAt = Date()
        try await db.writeTransaction { db in
            try await provider.create(on: db)
            try await AuditLog.record(.providerAdded, .provider(provider.id), "Added the \(kind.label.lowercased()) \(name)", by: actor, on: db)
        }
        return provider
    }

    /// Enrols the apprentice with the provider for one course: the link, and the course's `enrolled` instruction
    /// record, in one transaction. A student who withdrew enrols again with a new record; the link stays.
    /// The sponsor enrols anyone; a provider's staff enrol only students they already see, with their own provider.
    static func enrol(_ apprentice: Apprentice, with provider: Provider, _ input: EnrolmentInput, by actor: User,
                      today: Date = ProgramCalendar.today(), on db: any Database) async throws -> ProviderEnrolment {
        let providerID = try provider.requireID(), apprenticeID = try apprentice.requireID()
        switch actor.role {
        case .programAdmin: break
        case .instructionProvider where actor.providerID == providerID: break
        default: throw Abort(.forbidden, reason: "You cannot enrol apprentices with this provider.")
        }
        try InstructionAndCredentials.requireOpen(apprentice)
        let standards = try await StandardsLibrary.standards(ofVersion: apprentice.$programVersion.id, on: db)
        var errors = FieldErrors()
        let course = standards.courses.first { $0.code == input.courseCode?.trimmed }
        if course == nil { errors["courseCode"] = "Choose a course of the apprentice's program." }
        let date = ProgramCalendar.day(input.date ?? "")
        if date == nil { errors["date"] = "Enter the date as YYYY-MM-DD." }
        else if let date, let limit = ProgramCalendar.calendar.date(byAdding: .year, value: 1, to: today), date > limit { errors["date"] = "Enter a date within the next year." }
        var existing: ProviderEnrolment?
        if let course {
            existing = try await ProviderEnrolment.query(on: db).filter(\.$provider.$id == providerID)
                .filter(\.$apprentice.$id == apprenticeID).filter(\.$courseCode == course.code).first()
            if existing != nil, let state = try await ProviderStudents.latestStatus(apprenticeID, course: course.code, on: db), state != .withdrawn {
                errors["courseCode"] = state == .completed ? "\(apprentice.fullName) has completed this course." : "\(apprentice.fullName) is already enrolled in this course."
            }
        }
        guard errors.isEmpty, let course, let date else { throw ValidationFailure(errors: errors) }
        let now = Date()
        let enrolment = existing ?? ProviderEnrolment()
        if existing == nil {
            enrolment.$provider.id = providerID
            enrolment.$apprentice.id = apprenticeID
            enrolment.courseCode = course.code
            enrolment.$enrolledBy.id = try actor.requireID()
            enrolment.enrolledAt = now
        }
        let record = InstructionRecord()
        record.$apprentice.id = apprenticeID
        record.courseCode = course.code
        record.status = .enrolled
        record.provider = provider.name
        record.eventDate = ProgramCalendar.dayString(date)
        record.$recordedBy.id = try actor.requireID()
        record.createdAt = now
        let isNew = existing == nil
        try await db.writeTransaction { db in
            try await TrainingLock.lock(apprenticeID, on: db)
            if isNew { try await enrolment.create(on: db) }
            try await record.create(on: db)
            try await AuditLog.record(.providerEnrolment, .apprentice(apprenticeID),
                                      "Enrolled \(apprentice.fullName) with \(provider.name) in \(course.title) from \(record.eventDate)", by: actor, on: db, now: now)
        }
        return enrolment
    }

    /// Hours attended so far in a course the student takes with the actor's provider (not yet completed or
    /// withdrawn): appended with who and when. Progress counts a course's hours only at its completion.
    static func recordAttendance(_ apprentice: Apprentice, _ input: AttendanceInput, by actor: User,
                                 today: Date = ProgramCalendar.today(), on db: any Database) async throws -> ProviderAttendance {
        let apprenticeID = try apprentice.requireID()
        let provider = try await ProviderStudents.provider(of: actor, on: db)
        try InstructionAndCredentials.requireOpen(apprentice)
        var errors = FieldErrors()
        let code = input.courseCode?.trimmed ?? ""
        let enrolment = try await ProviderEnrolment.query(on: db).filter(\.$provider.$id == provider.requireID())
            .filter(\.$apprentice.$id == apprenticeID).filter(\.$courseCode == code).first()
        if enrolment == nil { errors["courseCode"] = "Choose a course this student takes with \(provider.name)." }
        else if try await ProviderStudents.latestStatus(apprenticeID, course: code, on: db) != .enrolled {
            errors["courseCode"] = "This course is not in progress: enrol the student again first."
        }
        let hours = Int(input.hours?.trimmed ?? "")
        if hours == nil || hours! <= 0 || hours! > 1000 { errors["hours"] = "Enter the hours attended (1–1,000)." }
        let date = ProgramCalendar.day(input.date ?? "")
        if date == nil { errors["date"] = "Enter the date as YYYY-MM-DD." }
        else if let date, date > today { errors["date"] = "Attendance cannot be dated in the future." }
        guard errors.isEmpty, let enrolment, let hours, let date else { throw ValidationFailure(errors: errors) }
        let attendance = ProviderAttendance()
        attendance.$enrolment.id = try enrolment.requireID()
        attendance.$apprentice.id = apprenticeID
        attendance.hours = hours
        attendance.throughDate = ProgramCalendar.dayString(date)
        attendance.$recordedBy.id = try actor.requireID()
        attendance.createdAt = Date()
        try await db.writeTransaction { db in
            // Attendance does not count toward progress: the row lock alone, the summary stays as it is.
            try await TrainingLock.lock(apprenticeID, movesProgress: false, on: db)
            try await attendance.create(on: db)
            try await AuditLog.record(.providerAttendance, .apprentice(apprenticeID),
                                      "\(provider.name) recorded \(hours) h attended by \(apprentice.fullName) in \(code) through \(attendance.throughDate)", by: actor, on: db)
        }
        return attendance
    }
}

extension AuditLog.Subject {
    static func provider(_ id: UUID?) -> AuditLog.Subject { AuditLog.Subject(type: "provider", id: id?.uuidString) }
}

