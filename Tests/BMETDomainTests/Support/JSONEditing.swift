import Foundation

@testable import BMETDomain

/// Builds a standards file from a valid document with some fields removed or replaced, addressed by the same
/// paths the issues use (`skillSets[1].skills[0].title`).
enum JSONEdit {
    case remove
    case set(Any)
}

func standardsJSON(_ standards: ProgramStandards = .mock(), editing edits: [String: JSONEdit] = [:]) throws -> Data {
    var tree = try JSONSerialization.jsonObject(with: JSONEncoder().encode(standards))
    for (path, edit) in edits {
        tree = apply(edit, to: tree, at: pathComponents(path)[...])
    }
    return try JSONSerialization.data(withJSONObject: tree, options: [.sortedKeys])
}

/// Decodes and returns the issues, or none if the file was accepted.
func decodingIssues(_ data: Data) -> [StandardsIssue] {
    do {
        _ = try StandardsDocument.decode(data)
        return []
    } catch {
        return error.issues
    }
}

func decodingIssues(_ text: String) -> [StandardsIssue] { decodingIssues(Data(text.utf8)) }

private enum PathComponent {
    case key(String)
    case index(Int)
}

private func pathComponents(_ path: String) -> [PathComponent] {
    path.split(separator: ".").flatMap { part -> [PathComponent] in
        let pieces = part.split(separator: "[")
        let key: [PathComponent] = part.hasPrefix("[") ? [] : [.key(String(pieces[0]))]
        let indices = pieces.dropFirst(part.hasPrefix("[") ? 0 : 1).map { PathComponent.index(Int($0.dropLast())!) }
        return key + indices
    }
}

private func apply(_ edit: JSONEdit, to node: Any, at path: ArraySlice<PathComponent>) -> Any {
    guard let first = path.first else { return node }
    let isLast = path.count == 1
    switch first {
    case .key(let key):
        var object = node as! [String: Any]
        if isLast {
            if case .set(let value) = edit { object[key] = value } else { object[key] = nil }
        } else {
            object[key] = apply(edit, to: object[key]!, at: path.dropFirst())
        }
        return object
    case .index(let index):
        var array = node as! [Any]
        if isLast {
            if case .set(let value) = edit { array[index] = value } else { array.remove(at: index) }
        } else {
            array[index] = apply(edit, to: array[index], at: path.dropFirst())
        }
        return array
    }
}
