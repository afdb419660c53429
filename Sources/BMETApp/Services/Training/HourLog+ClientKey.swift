import Foundation
import Vapor

/// A client key names one submission. The same key again with the same content is a retry and returns what was
/// stored; the same key with different content is a mistake that must not pass silently as success.
extension HourLog {
    static func requireSameSubmission(_ existing: HourEntry, day: String, set: String, minutes: Int, skills: [String],
                                      input: HourEntryInput, field: String) throws {
        let same = existing.entryDate == day && existing.skillSetCode == set && existing.minutes == minutes
            && existing.description == (input.description?.trimmed ?? "")
            && Set(existing.skillCodeList) == Set(skills)
            && existing.workOrder == input.workOrder?.trimmed.nilIfEmpty
        if !same { throw keyConflict(existing.clientKey, field: field) }
    }

    static func keyConflict(_ key: String, field: String) -> ValidationFailure {
        let message = "The client key \"\(key)\" was already used for a different entry. Send a new key for new hours, or the same content to retry."
        return ValidationFailure(errors: [field: message], message: message, status: .conflict)
    }
}
