import BMETDomain
import Fluent
import Vapor

/// What an employer types into the partner inquiry form.
struct InquiryInput: Content {
    var organization: String?
    var employerType: String?
    var contactName: String?
    var contactEmail: String?
    var contactPhone: String?
    var country: String?
    var addressLine1: String?
    var addressLine2: String?
    var city: String?
    var state: String?
    var zip: String?
    var apprenticesWanted: String?
    var message: String?
    var website: String?
}

/// Employer partner inquiries: the public form and the sponsor's pipeline to an active partner.
enum Inquiries {
    static let usOnlyMessage = "The BMET Apprenticeship partners with U.S.-based employers only. Enter your organization's U.S. address, or write to us if you operate in the United States."

    static func submit(_ input: InquiryInput, ip: String?, settings: AppSettings, on db: any Database, now: Date = Date()) async throws -> EmployerInquiry? {
        if let honeypot = input.website, !honeypot.trimmed.isEmpty { return nil }
        var errors = FieldErrors()
        Check.required(input.organization, "organization", "Organization name", into: &errors)
        let type = input.employerType.flatMap(EmployerType.init(rawValue:))
        if type == nil { errors["employerType"] = "Choose the kind of organization." }
        Check.required(input.contactName, "contactName", "Contact person", into: &errors)
        Check.email(input.contactEmail, "contactEmail", into: &errors)
        let country = input.country?.trimmed ?? "US"
        if country != "US" {
            errors["country"] = usOnlyMessage
        } else {
            let state = input.state?.trimmed.uppercased() ?? ""
            for (field, message) in USAddressRules.validate(line1: input.addressLine1?.trimmed ?? "", city: input.city?.trimmed ?? "", state: state, zip: input.zip?.trimmed ?? "", lineLimit: FieldLimits.limit(for: "addressLine1"), cityLimit: FieldLimits.limit(for: "city")) {
                errors[field == "line1" ? "addressLine1" : field] = message
            }
            if !(input.state ?? "").isEmpty, !USAddressRules.isValidState(state) { errors["state"] = usOnlyMessage }
        }
        let wanted = Int(input.apprenticesWanted?.trimmed ?? "")
        if wanted == nil || !(1...100).contains(wanted!) { errors["apprenticesWanted"] = "Enter how many apprentices you would like to train (1 to 100)." }
        if (input.message ?? "").count > FieldLimits.limit(for: "message") { errors["message"] = "At most \(FieldLimits.limit(for: "message")) characters." }
        guard errors.isEmpty, let type, let wanted else { throw ValidationFailure(errors: errors) }

        let email = Check.normalizedEmail(input.contactEmail)
        try await FormThrottle.check(form: "inquiry", keys: [email, ip], what: "inquiries", on: db, now: now)
        let inquiry = EmployerInquiry()
        inquiry.organization = input.organization?.trimmed ?? ""
        inquiry.employerType = type
        inquiry.contactName = input.contactName?.trimmed ?? ""
        inquiry.contactEmail = email
        inquiry.contactPhone = input.contactPhone?.trimmed.nilIfEmpty
        inquiry.addressLine1 = input.addressLine1?.trimmed ?? ""
        inquiry.addressLine2 = input.addressLine2?.trimmed.nilIfEmpty
        inquiry.city = input.city?.trimmed ?? ""
        inquiry.state = input.state?.trimmed.uppercased() ?? ""
        inquiry.zip = input.zip?.trimmed ?? ""
        inquiry.apprenticesWanted = wanted
        inquiry.message = input.message?.trimmed ?? ""
        inquiry.status = .new
        inquiry.createdAt = now
        inquiry.updatedAt = now
        try await db.writeTransaction { db in
            try await FormThrottle.claim(form: "inquiry", keys: [email, ip], what: "inquiries", on: db, now: now)
            try await inquiry.create(on: db)
            try await InquiryEvent(inquiryID: try inquiry.requireID(), from: nil, to: .new, note: "Sent through the partner inquiry form.", actorID: nil, at: now).create(on: db)
            try await Outbox.enqueue(to: email, subject: "Your BMET Apprenticeship partner inquiry",
                body: "Hello \(inquiry.contactName),\n\nThank you for your interest in training BMET apprentices at \(inquiry.organization). The program team will contact you about the partner agreement.\n\nQuestions? Write to \(settings.contactEmail).\n", on: db)
        }
        return inquiry
    }

    /// Moves an inquiry along; activation creates the partner employer and invites its administrator.
    static func move(_ inquiry: EmployerInquiry, to next: InquiryStatus, note: String?, by actor: User, app: Application, on db: any Database) async throws {
        guard inquiry.status.next.contains(next) else {
            throw ValidationFailure(errors: ["status": "An inquiry that is \(inquiry.status.label.lowercased()) cannot become \(next.label.lowercased())."])
        }
        let previous = inquiry.status
        try await db.writeTransaction { db in
            if next == .active {
                let employer = try await EmployerDirectory.create(EmployerInput(
                    name: inquiry.organization, addressLine1: inquiry.addressLine1, addressLine2: inquiry.addressLine2,
                    city: inquiry.city, state: inquiry.state, zip: inquiry.zip, phone: inquiry.contactPhone), by: actor, on: db)
                inquiry.$employer.id = try employer.requireID()
                if try await User.query(on: db).filter(\.$email == inquiry.contactEmail).first() == nil {
                    _ = try await Invitations.invite(InvitationInput(email: inquiry.contactEmail, fullName: inquiry.contactName,
                                                                     role: Role.employerAdmin.rawValue, employerID: employer.id),
                                                     by: actor, app: app, on: db)
                }
            }
            inquiry.status = next
            inquiry.updatedAt = Date()
            try await inquiry.update(on: db)
            try await InquiryEvent(inquiryID: try inquiry.requireID(), from: previous, to: next, note: note?.trimmed ?? "", actorID: actor.id).create(on: db)
        }
    }
}
