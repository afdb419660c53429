// The three container kinds behind ``TreeDecoder``. Each primitive overload the protocols require goes
// through the one generic path, so type checks live only in `SingleValueTreeContainer`.

struct KeyedTreeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]
    let log: IssueLog?
    let keysRead: KeysRead

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool {
        keysRead.names.insert(key.stringValue)
        return members[key.stringValue] != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool { member(key) == nil }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try required(type, forKey: key) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = member(key) else { return nil }
        return try TreeDecoder(value: value, codingPath: codingPath + [key], log: log).decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try decoder(forKey: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(forKey: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder(forKey: PathKey(stringValue: "super")) }

    func superDecoder(forKey key: Key) throws -> any Decoder { decoder(forKey: key) }

    /// The member for `key`, treating `null` as absent.
    private func member(_ key: some CodingKey) -> JSONValue? {
        keysRead.names.insert(key.stringValue)
        guard let value = members[key.stringValue], value != .null else { return nil }
        return value
    }

    private func required<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder(forKey: key).decode(type)
    }

    private func decoder(forKey key: some CodingKey) -> TreeDecoder {
        let path = codingPath + [key]
        guard let value = member(key) else {
            log?.add("is required", at: path)
            return TreeDecoder(value: nil, codingPath: path, log: nil)
        }
        return TreeDecoder(value: value, codingPath: path, log: log)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try required(type, forKey: key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try required(type, forKey: key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try required(type, forKey: key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try required(type, forKey: key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try required(type, forKey: key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try required(type, forKey: key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try required(type, forKey: key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try required(type, forKey: key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try required(type, forKey: key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try required(type, forKey: key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try required(type, forKey: key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try required(type, forKey: key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try required(type, forKey: key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try required(type, forKey: key) }
}

struct UnkeyedTreeContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    let log: IssueLog?
    private(set) var currentIndex = 0

    init(elements: [JSONValue], codingPath: [any CodingKey], log: IssueLog?) {
        self.elements = elements
        self.codingPath = codingPath
        self.log = log
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }

    private mutating func next() throws -> TreeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any.self, .init(codingPath: codingPath, debugDescription: "has fewer elements than expected"))
        }
        defer { currentIndex += 1 }
        return TreeDecoder(
            value: elements[currentIndex], codingPath: codingPath + [PathKey(intValue: currentIndex)], log: log)
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next().decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next().decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next().decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().decode(type) }
}

/// Where primitive values are type-checked. A wrong value is reported and replaced by zero, `false` or `""`.
struct SingleValueTreeContainer: SingleValueDecodingContainer {
    let value: JSONValue?
    let codingPath: [any CodingKey]
    let log: IssueLog?

    func decodeNil() -> Bool { value == nil || value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        if case .bool(let bool)? = value { return bool }
        reportMismatch(expected: "true or false")
        return false
    }

    func decode(_ type: String.Type) throws -> String {
        if case .string(let string)? = value { return string }
        reportMismatch(expected: "a string")
        return ""
    }

    func decode(_ type: Double.Type) throws -> Double { number() }
    func decode(_ type: Float.Type) throws -> Float { Float(number()) }
    func decode(_ type: Int.Type) throws -> Int { integer() }
    func decode(_ type: Int8.Type) throws -> Int8 { integer() }
    func decode(_ type: Int16.Type) throws -> Int16 { integer() }
    func decode(_ type: Int32.Type) throws -> Int32 { integer() }
    func decode(_ type: Int64.Type) throws -> Int64 { integer() }
    func decode(_ type: UInt.Type) throws -> UInt { integer() }
    func decode(_ type: UInt8.Type) throws -> UInt8 { integer() }
    func decode(_ type: UInt16.Type) throws -> UInt16 { integer() }
    func decode(_ type: UInt32.Type) throws -> UInt32 { integer() }
    func decode(_ type: UInt64.Type) throws -> UInt64 { integer() }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try TreeDecoder(value: value, codingPath: codingPath, log: log).decode(type)
    }

    private func number() -> Double {
        if case .number(let number)? = value { return number }
        reportMismatch(expected: "a number")
        return 0
    }

    private func integer<T: FixedWidthInteger>() -> T {
        guard case .number(let number)? = value else {
            reportMismatch(expected: "a whole number")
            return 0
        }
        guard let integer = T(exactly: number) else {
            log?.add("must be a whole number, not \(number)", at: codingPath)
            return 0
        }
        return integer
    }

    private func reportMismatch(expected: String) {
        TreeDecoder(value: value, codingPath: codingPath, log: log).reportMismatch(expected: expected)
    }
}
