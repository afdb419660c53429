import BMETDomain
import Fluent
import Vapor

/// The page models of `InquiriesController`'s pages and the queries that fill them; the controller turns a request into
/// one of these and renders it.
extension InquiriesController {
    struct DetailView: Encodable {
        struct Event: Encodable { let when: String; let to: String; let note: String; let who: String }
        struct Option: Encodable { let value: String; let label: String }
        let id: String; let organization: String; let type: String; let contact: String; let email: String; let phone: String?
        let address: [String]; let wanted: Int; let message: String; let status: String
        let employerID: String?; let events: [Event]; let moves: [Option]; let errors: FieldErrors
    }

    static func detail(_ inquiry: EmployerInquiry, errors: FieldErrors = [:], on db: any Database) async throws -> DetailView {
        let events = try await InquiryEvent.query(on: db).filter(\.$inquiry.$id == inquiry.requireID()).with(\.$actor).sort(\.$createdAt).all()
        return DetailView(
            id: try inquiry.requireID().uuidString, organization: inquiry.organization, type: inquiry.employerType.label,
            contact: inquiry.contactName, email: inquiry.contactEmail, phone: inquiry.contactPhone,
            address: [inquiry.addressLine1, inquiry.addressLine2, "\(inquiry.city), \(inquiry.state) \(inquiry.zip)"].compactMap { $0 },
            wanted: inquiry.apprenticesWanted, message: inquiry.message, status: inquiry.status.label,
            employerID: inquiry.$employer.id?.uuidString,
            events: events.map { .init(when: DateText.dateTime($0.createdAt), to: $0.toStatus.label, note: $0.note, who: $0.actor?.fullName ?? "The employer") },
            moves: inquiry.status.next.map { .init(value: $0.rawValue, label: $0 == .active ? "Active partner — create the employer and invite its administrator" : $0.label) },
            errors: errors)
    }
}
