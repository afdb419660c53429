import Vapor

/// Web forms validate control characters and lengths as fields, like every other check: the handler decodes with
/// `formInput`, which keeps the refusals aside, and calls `refuseFormProblems()` first thing in the `do` block whose
/// `catch` already shows the form again with the person's input and a message by each field. Handlers that still
/// decode with `req.content` get the 422 error page from `InputCheckingDecoder`, so nothing slips through unchecked.
extension Request {
    struct FormProblemsKey: StorageKey { typealias Value = FieldErrors }

    /// The form's fields, with the characters `InputText` refuses taken out of URL-encoded values (so the page shown
    /// again holds nothing invisible); what was refused is kept for `refuseFormProblems()`.
    func formInput<T: Decodable>(_ type: T.Type) throws -> T {
        guard let body = body.data, body.readableBytes > 0, let contentType = headers.contentType else {
            storage[FormProblemsKey.self] = [:]
            return try content.decode(type)
        }
        let problems = InputText.offendingFields(in: body, contentType: contentType)
        var errors = FieldErrors()
        var cleaned = body
        if !problems.isEmpty {
            if contentType == .urlEncodedForm {
                cleaned = ByteBuffer(string: InputText.cleanedForm(body.getString(at: body.readerIndex, length: body.readableBytes) ?? ""))
            } else if contentType.type == "multipart", let boundary = contentType.parameters["boundary"] {
                cleaned = ByteBuffer(data: InputText.cleanedMultipart(Data(buffer: body), boundary: boundary))
            }
        }
        let removed = cleaned != body
        for (key, message) in problems {
            errors[InputText.errorKey(key)] = removed && message == InputText.fieldMessage ? InputText.removedMessage : message
        }
        storage[FormProblemsKey.self] = errors
        return try InputCheckingDecoder.unchecked(for: contentType).decode(type, from: cleaned, headers: headers)
    }

    /// Throws the refusals `formInput` found as a validation failure (422), naming each field.
    func refuseFormProblems() throws {
        guard let errors = storage[FormProblemsKey.self], !errors.isEmpty else { return }
        throw ValidationFailure(errors: errors, message: "Some fields need attention: " + errors.sorted { $0.key < $1.key }.map(\.value).joined(separator: " "))
    }
}

extension InputText {
    static let removedMessage = "This field held a control or text-direction character, which cannot be accepted. It has been taken out: check the text and send the form again."

    /// `rows[3][description]` → `rows.3.description`, the key forms show their errors under.
    static func errorKey(_ key: String) -> String {
        key.split(whereSeparator: { $0 == "[" || $0 == "]" }).filter { !$0.isEmpty }.joined(separator: ".")
    }

    /// A multipart form with every refused character taken out of its text parts; file parts are copied as they are.
    static func cleanedMultipart(_ body: Data, boundary: String) -> Data {
        let delimiter = Data("--\(boundary)".utf8), headerEnd = Data("\r\n\r\n".utf8)
        var starts: [Range<Data.Index>] = []
        var from = body.startIndex
        while let found = body.range(of: delimiter, in: from..<body.endIndex) {
            starts.append(found)
            from = found.upperBound
        }
        guard starts.count > 1 else { return body }
        var result = Data(body[..<starts[0].upperBound])
        for (index, start) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1].lowerBound : body.endIndex
            let part = body[start.upperBound..<end]
            // A text part is "\r\n" headers "\r\n\r\n" value "\r\n" before the next delimiter.
            guard index + 1 < starts.count, let split = part.range(of: headerEnd), part.count >= 2,
                  let head = String(data: part[..<split.lowerBound], encoding: .utf8), !head.contains("filename="),
                  split.upperBound <= part.endIndex - 2 else {
                result += part
                if index + 1 < starts.count { result += body[starts[index + 1]] }
                continue
            }
            let name = head.range(of: #"name="([^"]*)""#, options: .regularExpression).map { String(head[$0].dropFirst(6).dropLast()) } ?? ""
            let multiLine = multiLineFields.contains(baseName(name))
            let value = String(decoding: part[split.upperBound..<(part.endIndex - 2)], as: UTF8.self)
            let kept = String(String.UnicodeScalarView(value.unicodeScalars.filter { !isRefused($0, multiLine: multiLine) }))
            result += part[..<split.upperBound]
            result += Data(kept.utf8)
            result += part[(part.endIndex - 2)...]
            result += body[starts[index + 1]]
        }
        return result
    }

    /// A URL-encoded form with every refused character taken out of its values (names are left as they are).
    static func cleanedForm(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return formPairs(text).map { key, value in
            let multiLine = multiLineFields.contains(baseName(key))
            let kept = String(String.UnicodeScalarView(value.unicodeScalars.filter { !isRefused($0, multiLine: multiLine) }))
            func encode(_ part: String) -> String { part.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
            return encode(key) + "=" + encode(kept)
        }.joined(separator: "&")
    }
}
