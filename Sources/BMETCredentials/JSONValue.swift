import Foundation

/// Any JSON value. Credentials are built as typed `Codable` documents; this is the shape they travel in once
/// decoded from a token (the verifier reads unknown credentials through it) and the shape JWT claims are added in.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The member `key` of an object; nil for a missing member or a value that is not an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// A whole number, whether JSON wrote it as `5` or `5.0`.
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9e15: return Int(value)
        default: return nil
        }
    }

    /// A JSON-LD `type`: either one string or an array of strings.
    var typeNames: [String] {
        if let single = stringValue { return [single] }
        return arrayValue?.compactMap(\.stringValue) ?? []
    }
}

extension JSONValue {
    /// Converts any `Encodable` document to a JSON value, through the same encoder used for signing.
    init(encoding value: some Encodable) throws {
        let data = try CredentialJSON.encoder.encode(value)
        self = try CredentialJSON.decoder.decode(JSONValue.self, from: data)
    }

    /// Decodes a typed document from this value.
    func decoded<T: Decodable>(as type: T.Type) throws -> T {
        try CredentialJSON.decoder.decode(type, from: CredentialJSON.encoder.encode(self))
    }
}

/// The one JSON encoder of the library: sorted keys (stable bytes for the same document) and no escaped slashes
/// (URLs read as URLs in the token).
enum CredentialJSON {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static var prettyEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return encoder
    }

    static var decoder: JSONDecoder { JSONDecoder() }
}
