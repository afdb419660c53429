/// A `Decoder` over a ``JSONValue`` tree that does not stop at the first problem.
///
/// `JSONDecoder` throws at the first missing field, so a file with ten mistakes would take ten rounds to fix.
/// This decoder records each problem with its path, substitutes a placeholder (`""`, `0`, `[]`, an empty
/// object) and carries on, so one pass reports everything. It reuses the types' synthesized `Decodable`
/// conformances, so the field list lives in one place. It also reports fields no type reads: a misspelt
/// optional field would otherwise be silently ignored.
struct TreeDecoder: Decoder {
    /// Nil while building a placeholder for a value that is missing or of the wrong type.
    let value: JSONValue?
    let codingPath: [any CodingKey]
    /// Nil while building a placeholder: its problem has already been reported once.
    let log: IssueLog?
    private let keysRead = KeysRead()

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(value: JSONValue?, codingPath: [any CodingKey], log: IssueLog?) {
        self.value = value
        self.codingPath = codingPath
        self.log = log
    }

    /// Decodes `root`, returning the value (nil only if no placeholder could be built) and every issue found.
    static func decode<T: Decodable>(_ type: T.Type, from root: JSONValue) -> (value: T?, issues: [StandardsIssue]) {
        let log = IssueLog()
        let value = try? TreeDecoder(value: root, codingPath: [], log: log).decode(type)
        return (value, log.issues)
    }

    /// A value for something already reported, so decoding can go on.
    static func placeholder<T: Decodable>(_ type: T.Type, at codingPath: [any CodingKey]) throws -> T {
        try TreeDecoder(value: nil, codingPath: codingPath, log: nil).decode(type)
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let keywordType = T.self as? any DecodableKeyword.Type, let keyword = try decodeKeyword(keywordType) as? T {
            return keyword
        }
        do {
            let result = try T(from: self)
            reportUnreadKeys()
            return result
        } catch {
            // A placeholder that cannot be built has nothing left to fall back on.
            guard let log else { throw error }
            log.add(Self.message(for: error), at: codingPath)
            return try Self.placeholder(type, at: codingPath)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members)? = value else {
            reportMismatch(expected: "an object")
            return KeyedDecodingContainer(
                KeyedTreeContainer(members: [:], codingPath: codingPath, log: nil, keysRead: keysRead))
        }
        keysRead.opened = true
        return KeyedDecodingContainer(
            KeyedTreeContainer(members: members, codingPath: codingPath, log: log, keysRead: keysRead))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements)? = value else {
            reportMismatch(expected: "an array")
            return UnkeyedTreeContainer(elements: [], codingPath: codingPath, log: nil)
        }
        return UnkeyedTreeContainer(elements: elements, codingPath: codingPath, log: log)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueTreeContainer(value: value, codingPath: codingPath, log: log)
    }

    func reportMismatch(expected: String) {
        guard let value, let log else { return }
        log.add("must be \(expected), not \(value.typeDescription)", at: codingPath)
    }

    private func decodeKeyword<K: DecodableKeyword>(_ type: K.Type) throws -> K {
        if case .string(let name)? = value, let keyword = K(rawValue: name) { return keyword }
        if let value, let log {
            let allowed = K.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            let found = if case .string(let name) = value { "\"\(name)\"" } else { value.typeDescription }
            log.add("must be one of \(allowed), not \(found)", at: codingPath)
        }
        guard let first = K.allCases.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(K.self) has no cases"))
        }
        return first
    }

    private func reportUnreadKeys() {
        guard let log, keysRead.opened, case .object(let members)? = value else { return }
        for name in members.keys.sorted() where !keysRead.names.contains(name) {
            log.add("is not a field of this schema (check the spelling)", at: codingPath + [PathKey(stringValue: name)])
        }
    }

    private static func message(for error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.valueNotFound(_, let context),
            DecodingError.typeMismatch(_, let context), DecodingError.keyNotFound(_, let context):
            context.debugDescription
        default:
            "\(error)"
        }
    }
}

/// The issues found in one decoding pass. Used by one pass on one thread, so it needs no locking.
final class IssueLog {
    private(set) var issues: [StandardsIssue] = []

    func add(_ message: String, at codingPath: [any CodingKey]) {
        issues.append(StandardsIssue(path: IssuePath.format(codingPath), message: message))
    }
}

/// The keys a type read from an object, shared by every container made from one decoder.
final class KeysRead {
    var opened = false
    var names: Set<String> = []
}
