import Foundation
import Vapor

/// Characters no field may hold: NUL and the other C0 controls (PostgreSQL refuses NUL outright, SQLite cuts
/// text at it, so what is stored would no longer be what was hashed or checked), DEL, and the Unicode bidi
/// overrides and isolates that make a name or an address display as something else.
/// Tab, newline and carriage return are allowed only in fields that are multi-line (textareas).
enum InputText {
    /// Field names (the last part of `entries[0][description]`) whose values may span lines.
    static let multiLineFields: Set<String> = [
        "actions", "apprenticeComments", "comment", "description", "findings", "goals", "mentorComments", "message", "note", "observed", "statement",
    ]

    static func isRefused(_ scalar: Unicode.Scalar, multiLine: Bool) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: !multiLine
        case 0x00...0x1F, 0x7F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    static func isAcceptable(_ text: String, multiLine: Bool) -> Bool {
        !text.unicodeScalars.contains { isRefused($0, multiLine: multiLine) }
    }

    /// The field's own name, without the array and object brackets around it.
    static func baseName(_ key: String) -> String {
        let parts = key.split(whereSeparator: { $0 == "[" || $0 == "]" }).filter { !$0.isEmpty }
        return parts.last(where: { Int($0) == nil }).map(String.init) ?? key
    }

    static let fieldMessage = "This field holds a control or text-direction character that cannot be accepted. Remove it and try again."

    /// Offending parts of the URL: the path and the query string's fields.
    static func offendingFields(in url: URI) -> [(String, String)] {
        var fields: [(String, String)] = []
        if !isAcceptable(url.path.removingPercentEncoding ?? url.path, multiLine: false) { fields.append(("path", fieldMessage)) }
        if let query = url.query { fields += offending(pairs: formPairs(query)) }
        return fields
    }

    /// Offending fields of a body: a form, JSON, or the text parts of a multipart upload.
    static func offendingFields(in body: ByteBuffer?, contentType type: HTTPMediaType?) -> [(String, String)] {
        guard let body, body.readableBytes > 0, let type else { return [] }
        if type == .urlEncodedForm {
            return offending(pairs: formPairs(body.getString(at: body.readerIndex, length: body.readableBytes) ?? ""))
        } else if type.subType == "json" || type.subType.hasSuffix("+json") {
            var fields: [(String, String)] = []
            if let value = try? JSONSerialization.jsonObject(with: Data(buffer: body), options: [.fragmentsAllowed]) {
                walk(json: value, field: "body", into: &fields)
            }
            return fields
        } else if type.type == "multipart", let boundary = type.parameters["boundary"] {
            return offending(pairs: multipartTextPairs(body, boundary: boundary))
        }
        return []
    }

    /// Throws the 422 that names every offending field and why (problem+json for the API, a page for people).
    static func refuse(_ problems: [(String, String)]) throws {
        guard !problems.isEmpty else { return }
        var errors = FieldErrors()
        for (field, message) in problems { errors[field] = message }
        throw ValidationFailure(errors: errors, message: "Some fields cannot be accepted: "
            + errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: " "))
    }

    /// Offending fields with their message: a refused character, or more characters than the field's limit.
    private static func offending(pairs: [(String, String)]) -> [(String, String)] {
        pairs.compactMap { key, value in
            let name = baseName(key)
            return problem(key: key, name: name, value: value)
        }
    }

    private static func problem(key: String, name: String, value: String) -> (String, String)? {
        if !isAcceptable(key, multiLine: false) || !isAcceptable(value, multiLine: multiLineFields.contains(name)) { return (key, fieldMessage) }
        let limit = FieldLimits.limit(for: name)
        if value.count > limit { return (key, "At most \(limit) characters.") }
        return nil
    }

    private static func walk(json: Any, field: String, into problems: inout [(String, String)]) {
        switch json {
        case let text as String:
            if let found = problem(key: field, name: field, value: text) { problems.append(found) }
        case let array as [Any]:
            for item in array { walk(json: item, field: field, into: &problems) }
        case let object as [String: Any]:
            for (key, value) in object {
                if !isAcceptable(key, multiLine: false) { problems.append((field, fieldMessage)) }
                walk(json: value, field: key, into: &problems)
            }
        default:
            break
        }
    }

    /// `a=1&b=x%00y` as decoded pairs (`+` is a space in forms).
    static func formPairs(_ text: String) -> [(String, String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The text parts of a multipart body (parts with a file name are files and are checked by their own rules).
    private static func multipartTextPairs(_ body: ByteBuffer, boundary: String) -> [(String, String)] {
        let bytes = Array(body.readableBytesView)
        let text = String(decoding: bytes, as: UTF8.self)
        return text.components(separatedBy: "--" + boundary).compactMap { part in
            guard let split = part.range(of: "\r\n\r\n") else { return nil }
            let head = part[..<split.lowerBound]
            guard !head.contains("filename="),
                  let nameRange = head.range(of: #"name="([^"]*)""#, options: .regularExpression) else { return nil }
            let name = String(head[nameRange].dropFirst(6).dropLast())
            var value = String(part[split.upperBound...])
            if value.hasSuffix("\r\n") { value.removeLast(1) }  // "\r\n" is one Character in Swift
            return (name, value)
        }
    }
}

/// Refuses a URL (path or query) holding a character from `InputText`'s list, before any handler sees it. Bodies are
/// checked where they are decoded: JSON, web forms and multipart forms by `InputCheckingDecoder`, or, for the forms
/// that show such a refusal by its field, by `Request.formInput`.
struct InputTextMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try InputText.refuse(InputText.offendingFields(in: req.url))
        return try await next.respond(to: req)
    }
}

/// The decoder every JSON, form and multipart body goes through: refuses offending text before decoding it.
struct InputCheckingDecoder: ContentDecoder {
    let inner: any ContentDecoder

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
        try decode(decodable, from: body, headers: headers, userInfo: [:])
    }

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders, userInfo: [CodingUserInfoKey: any Sendable]) throws -> D {
        try InputText.refuse(InputText.offendingFields(in: body, contentType: headers.contentType ?? .json))
        return try inner.decode(decodable, from: body, headers: headers, userInfo: userInfo)
    }

    static let checkedTypes: [HTTPMediaType] = [.json, .urlEncodedForm, .formData]

    /// Puts the check in front of the configured decoders (once, however often the app is configured).
    static func install() throws {
        for type in checkedTypes {
            let current = try ContentConfiguration.global.requireDecoder(for: type)
            guard !(current is InputCheckingDecoder) else { continue }
            ContentConfiguration.global.use(decoder: InputCheckingDecoder(inner: current), for: type)
        }
    }

    /// The configured decoder without the check, for callers that report offending fields themselves.
    static func unchecked(for type: HTTPMediaType) throws -> any ContentDecoder {
        let decoder = try ContentConfiguration.global.requireDecoder(for: type)
        return (decoder as? InputCheckingDecoder)?.inner ?? decoder
    }
}
