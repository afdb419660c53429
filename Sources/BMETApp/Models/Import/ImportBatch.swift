import Fluent
import Vapor

/// One import of one CSV file: who, when, which file, which kind, how hours were taken, what it made, and its undo.
final class ImportBatch: Model, @unchecked Sendable {
    static let schema = "import_batches"

    enum Mode: String, Codable, Sendable, CaseIterable {
        /// Hours kept as approved history, marked imported.
        case approved
        /// Hours summed into credit for prior learning per skill set.
        case priorLearning = "prior-learning"
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "file_name") var fileName: String
    @Field(key: "mode") var mode: String
    @Field(key: "row_count") var rowCount: Int
    @Field(key: "created_count") var createdCount: Int
    @Field(key: "unchanged_count") var unchangedCount: Int
    @Parent(key: "created_by_id") var createdBy: User
    @Field(key: "created_at") var createdAt: Date
    @OptionalParent(key: "undone_by_id") var undoneBy: User?
    @OptionalField(key: "undone_at") var undoneAt: Date?

    init() {}
}

/// An external id of an imported row and the record it became, so a re-import finds it and an undo removes it.
final class ImportRef: Model, @unchecked Sendable {
    static let schema = "import_refs"

    @ID(key: .id) var id: UUID?
    @Parent(key: "batch_id") var batch: ImportBatch
    @Field(key: "kind") var kind: String
    @Field(key: "external_id") var externalID: String
    @Field(key: "record_id") var recordID: UUID

    init() {}
}
