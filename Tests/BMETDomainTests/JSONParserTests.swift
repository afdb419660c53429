import Testing

@testable import BMETDomain

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws(JSONParser.SyntaxError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    private func syntaxError(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2.5e2, true, false, null], "b": {"c": "d"}, "e": ""} "#)
        #expect(
            value
                == .object([
                    "a": .array([.number(1), .number(-250), .bool(true), .bool(false), .null]),
                    "b": .object(["c": .string("d")]),
                    "e": .string(""),
                ]))
    }

    @Test func decodesEscapesAndUnicode() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t""#) == .string("a\"b\\c/d\n\t"))
        #expect(try parse(#""\u00e9\ud83d\ude00""#) == .string("é😀"))
        #expect(try parse("\"skill sets 2–10\"") == .string("skill sets 2–10"))
    }

    @Test func skipsAByteOrderMark() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == .object([:]))
    }

    @Test(arguments: [
        ("{\"a\": 1,}", "line 1, column 9: unexpected '}', expected a key in double quotes"),
        ("[1, 2,]", "line 1, column 7: unexpected ']', expected a value"),
        ("{\n  \"a\": 1,\n  \"a\": 2\n}", "line 3, column 3: duplicate key \"a\""),
        ("{\"a\" 1}", "line 1, column 6: unexpected '1', expected ':' after the key"),
        ("[01]", "line 1, column 2: numbers must not have leading zeros"),
        ("[1.]", "line 1, column 4: expected a digit after the decimal point"),
        ("[1e999]", "line 1, column 2: number 1e999 is too large"),
        ("\"abc", "line 1, column 1: unterminated string"),
        ("\"a\tb\"", "line 1, column 3: control character in a string; write it as an escape such as \\n"),
        ("\"\\x\"", "line 1, column 2: invalid escape '\\x'"),
        ("\"\\ud83d\"", "line 1, column 2: invalid Unicode escape (unpaired surrogate)"),
        ("{'a': 1}", "line 1, column 2: unexpected ''', expected a key in double quotes"),
        ("", "line 1, column 1: unexpected end of file, expected a value"),
        ("{} {}", "line 1, column 4: unexpected text after the JSON value"),
    ])
    func reportsWhereTheSyntaxIsWrong(text: String, expected: String) {
        #expect(syntaxError(text) == expected)
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1)
        #expect(syntaxError(deep)?.contains("nested more than") == true)
    }
}
