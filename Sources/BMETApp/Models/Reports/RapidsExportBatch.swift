import Fluent
import Vapor

/// One RAPIDS export: who made it, when, how many records, and its files — here the upload file (`registrations_*`:
/// `apprentices.csv`, or `registrations.csv` in batches made before the upload layout) and `events.csv`, the rest in
/// `RapidsExportFile`. The files hold SSNs, so they are stored sealed with the data key; their SHA-256 (of the plain
/// file) lets anyone check a copy sent to DOL.
final class RapidsExportBatch: Model, @unchecked Sendable {
    static let schema = "rapids_export_batches"

    @ID(key: .id) var id: UUID?
    /// 1, 2, 3… in export order, for people to refer to.
    @Field(key: "number") var number: Int
    @Parent(key: "created_by_id") var createdBy: User
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "registration_count") var registrationCount: Int
    @Field(key: "event_count") var eventCount: Int
    /// Valid records left out because other records had errors (0 when everything validated).
    @Field(key: "held_back_count") var heldBackCount: Int
    @Field(key: "registrations_sealed") var registrationsSealed: String
    @Field(key: "events_sealed") var eventsSealed: String
    @Field(key: "registrations_sha256") var registrationsSHA256: String
    @Field(key: "events_sha256") var eventsSHA256: String
    /// `RapidsExport.uploadLayout` for batches in the RAPIDS upload layout (the registrations column then holds
    /// `apprentices.csv`); nil for batches made before, in the platform's own layout.
    @OptionalField(key: "layout") var layout: String?
    @Children(for: \.$batch) var files: [RapidsExportFile]

    init() {}
}

/// One more file of a batch in the upload layout: the updates file and the reference tabs. Sealed like the others.
final class RapidsExportFile: Model, @unchecked Sendable {
    static let schema = "rapids_export_files"

    @ID(key: .id) var id: UUID?
    @Parent(key: "batch_id") var batch: RapidsExportBatch
    @Field(key: "name") var name: String
    /// Order on the page.
    @Field(key: "position") var position: Int
    @Field(key: "sealed") var sealed: String
    /// Of the plain file.
    @Field(key: "sha256") var sha256: String

    init() {}
}

/// "This record went out in that batch with this content." A registration is exported again when its fingerprint
/// changes; an event (never edited) once. `(record_kind, record_id, sequence)` is unique: two exports running at
/// once cannot both claim the same next version of a record, so nothing is sent twice.
final class RapidsExportMark: Model, @unchecked Sendable {
    static let schema = "rapids_export_marks"

    enum Kind: String, Codable, Sendable { case registration, event }

    @ID(key: .id) var id: UUID?
    @Parent(key: "batch_id") var batch: RapidsExportBatch
    @Enum(key: "record_kind") var recordKind: Kind
    /// The apprentice id for registrations, the event id for events.
    @Field(key: "record_id") var recordID: UUID
    @Field(key: "apprentice_id") var apprenticeID: UUID
    /// 1 for the first export of this record, 2 for the next change, …
    @Field(key: "sequence") var sequence: Int
    /// SHA-256 of the record's exported fields (keyed, so it reveals nothing about an SSN).
    @Field(key: "fingerprint") var fingerprint: String
    @Field(key: "exported_at") var exportedAt: Date

    init() {}
}
