/// Paths in issues: `skillSets[3].skills[0].title`, or `$` for the document itself.
enum IssuePath {
    static let root = "$"

    static func format(_ codingPath: [any CodingKey]) -> String {
        var path = ""
        for key in codingPath {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return path.isEmpty ? root : path
    }

    /// Whether one path is the other or lies inside it.
    static func overlaps(_ a: String, _ b: String) -> Bool {
        a == b || contains(a, b) || contains(b, a)
    }

    private static func contains(_ parent: String, _ child: String) -> Bool {
        parent == root || child.hasPrefix(parent + ".") || child.hasPrefix(parent + "[")
    }
}

/// A coding key for array positions and for fields no `CodingKeys` enum knows.
struct PathKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }
}
