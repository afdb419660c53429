/// The shapes of codes and identifiers in a standards document. Plain character checks rather than regular
/// expressions: they are short, and `Regex` values cannot be shared as static constants under strict concurrency.
enum TextPatterns {
    /// Lower-case letters and digits in hyphen-separated words: `aami-bmet`.
    static func isSlug(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.split(separator: "-", omittingEmptySubsequences: false).allSatisfy { word in
                !word.isEmpty && word.unicodeScalars.allSatisfy { isLowercaseLetter($0) || isDigit($0) }
            }
    }

    /// A code used in records, URLs and exports: a letter or digit, then letters, digits, `.`, `_` or `-`.
    static func isCode(_ text: String, maximumLength: Int = 32) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= maximumLength,
            isLetter(first) || isDigit(first)
        else { return false }
        return text.unicodeScalars.allSatisfy { isLetter($0) || isDigit($0) || "._-".unicodeScalars.contains($0) }
    }

    /// RAPIDS occupation code: four digits and one or two upper-case letters, e.g. `0888HY`, `0888CB`.
    static func isRAPIDSCode(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard (5...6).contains(scalars.count) else { return false }
        return scalars[..<4].allSatisfy(isDigit) && scalars[4...].allSatisfy(isUppercaseLetter)
    }

    /// O*NET-SOC code: `49-9062.00`.
    static func isONetSOCCode(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 10, scalars[2] == "-", scalars[7] == "." else { return false }
        return [0, 1, 3, 4, 5, 6, 8, 9].allSatisfy { isDigit(scalars[$0]) }
    }

    /// Not empty once spaces and line breaks are trimmed.
    static func hasText(_ text: String) -> Bool {
        text.contains { !$0.isWhitespace }
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
    static func isLowercaseLetter(_ scalar: Unicode.Scalar) -> Bool { ("a"..."z").contains(scalar) }
    static func isUppercaseLetter(_ scalar: Unicode.Scalar) -> Bool { ("A"..."Z").contains(scalar) }
    static func isLetter(_ scalar: Unicode.Scalar) -> Bool { isLowercaseLetter(scalar) || isUppercaseLetter(scalar) }
}
