import BMETDomain
import Fluent
import SQLKit
import Vapor

extension Importer {
    /// Industry credential records (each a step: planned, scheduled, passed, failed), appended as staff record them.
    static func planCredentials(_ rows: [ImportRow], actor: User, now: Date, into plan: inout ImportPlan, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw SQLRequired() }
        let apprenticeIDs = try await refs(.apprentices, rows.map { $0["apprentice_ref"] }, on: sql)
        var versions: [UUID: UUID] = [:]
        for apprentice in try await Apprentice.query(on: db).filter(\.$id ~~ Array(Set(apprenticeIDs.values))).all() {
            versions[try apprentice.requireID()] = apprentice.$programVersion.id
        }
        var standards: [UUID: ProgramStandards] = [:]
        for versionID in Set(versions.values) { standards[versionID] = try await StandardsLibrary.standards(ofVersion: versionID, on: db) }
        let today = ProgramCalendar.dayString(ProgramCalendar.today(now))
        for row in rows {
            guard let id = apprenticeIDs[row["apprentice_ref"]], let program = versions[id].flatMap({ standards[$0] }) else {
                plan.issue(row, "apprentice_ref", "No apprentice was imported as \(row["apprentice_ref"]); import the apprentices file first."); continue
            }
            let code = row["credential"].lowercased()
            if !program.credentials.contains(where: { $0.code == code }) {
                plan.issue(row, "credential", "\(code) is not a credential of the program (\(program.credentials.map(\.code).joined(separator: ", "))).")
            }
            let status = CredentialStatus(rawValue: row["status"].lowercased())
            if status == nil { plan.issue(row, "status", "Choose planned, scheduled, passed or failed.") }
            let date = row["date"].isEmpty ? nil : ProgramCalendar.day(row["date"]).map(ProgramCalendar.dayString)
            if !row["date"].isEmpty && date == nil { plan.issue(row, "date", "Enter the date as YYYY-MM-DD.") }
            else if date == nil && status != nil && status != .planned { plan.issue(row, "date", "A \(status!.rawValue) credential needs its exam date.") }
            else if let date, (status == .passed || status == .failed), date > today { plan.issue(row, "date", "\(date) is in the future.") }
            let expires = row["expires_on"].isEmpty ? nil : ProgramCalendar.day(row["expires_on"]).map(ProgramCalendar.dayString)
            if !row["expires_on"].isEmpty {
                if expires == nil { plan.issue(row, "expires_on", "Enter the date as YYYY-MM-DD.") }
                else if status != .passed { plan.issue(row, "expires_on", "Only a passed credential expires.") }
                else if let date, let expires, expires <= date { plan.issue(row, "expires_on", "The expiry comes after the exam date.") }
            }
            if row["note"].count > FieldLimits.limit(for: "note") { plan.issue(row, "note", "At most \(FieldLimits.limit(for: "note")) characters.") }
            guard let status else { continue }
            let recordID = UUID()
            plan.add(CredentialRecord.schema, ["id", "apprentice_id", "credential_code", "status", "event_date", "expires_on", "note", "recorded_by_id", "created_at"],
                     [recordID, id, code, status.rawValue, date, expires, row["note"].isEmpty ? "Imported." : row["note"], actor.id, now])
            plan.refs.append((row["credential_ref"], recordID))
            plan.apprentices.insert(id)
        }
    }
}
