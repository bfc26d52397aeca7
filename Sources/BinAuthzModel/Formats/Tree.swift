// SPDX-License-Identifier: Apache-2.0

/// A position in a source document, 1-based.
package struct SourceLocation: Hashable, Sendable {
    package var line: Int
    package var column: Int

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// A parsed JSON or YAML document, before it is mapped onto a resource type.
///
/// Both formats are read into this one shape so that the strict decoder (``TreeDecoder``) reports unknown
/// fields and type mismatches the same way, with a field path and — where the parser knows it — a line.
package struct TreeNode: Sendable {
    package indirect enum Value: Sendable {
        case null
        case bool(Bool)
        /// An integer as written (JSON number without fraction/exponent, YAML int).
        case integer(String)
        /// A non-integer number as written.
        case float(String)
        case string(String)
        /// A YAML 1.1 timestamp scalar (`2024-05-21T12:13:44Z` unquoted). gcloud's YAML loader turns these into
        /// datetimes, which it then refuses for string fields; so do we.
        case timestamp(String)
        case list([TreeNode])
        case map([(key: String, keyLocation: SourceLocation?, value: TreeNode)])
    }

    package var value: Value
    package var location: SourceLocation?
    /// Whether the value is a YAML scalar written without quotes that YAML 1.1 read as something other than a
    /// string (`yes`, `3`, `2024-05-21`): quoting it would have made it a string.
    package var isBareYAMLScalar = false

    package init(_ value: Value, at location: SourceLocation? = nil) {
        self.value = value
        self.location = location
    }

    /// A short noun for the value's type, used in type-mismatch messages ("found an integer").
    package var kindDescription: String {
        switch value {
        case .null: "null"
        case .bool(let b): "a boolean (\(b))"
        case .integer(let s): "an integer (\(s.prefix(40)))"
        case .float(let s): "a number (\(s.prefix(40)))"
        case .string: "a string"
        case .timestamp(let s): "a timestamp (\(s.prefix(40)))"
        case .list: "a list"
        case .map: "a mapping"
        }
    }

    /// The value of a mapping's field; `nil` when the node is not a mapping, the field is absent or it is null.
    package func field(_ name: String) -> TreeNode? {
        guard case .map(let entries) = value else { return nil }
        for entry in entries where entry.key == name {
            if case .null = entry.value.value { return nil }
            return entry.value
        }
        return nil
    }

    /// Whether the value is null (`~`, `null`, nothing at all).
    package var isNull: Bool {
        if case .null = value { return true }
        return false
    }

    /// The text of a string scalar, else `nil`.
    package var stringValue: String? {
        if case .string(let text) = value { return text }
        return nil
    }

    /// The text of field `name` when it is a string (or a YAML timestamp, read as written), `nil` when absent or
    /// null; a value of another type is an error at `path.name`. For the lenient readers of exported evidence.
    package func optionalString(_ name: String, path: String) throws(ModelError) -> String? {
        guard let value = field(name) else { return nil }
        switch value.value {
        case .string(let text), .timestamp(let text): return text
        default:
            throw ModelError(
                code: .typeMismatch, path: FieldPath.join(path, name), line: value.location?.line,
                message: value.mismatch(expected: "a string"))
        }
    }

    /// As ``optionalString(_:path:)``, for a boolean field.
    package func optionalBool(_ name: String, path: String) throws(ModelError) -> Bool? {
        guard let value = field(name) else { return nil }
        guard case .bool(let flag) = value.value else {
            throw ModelError(
                code: .typeMismatch, path: FieldPath.join(path, name), line: value.location?.line,
                message: value.mismatch(expected: "a boolean"))
        }
        return flag
    }

    /// `expected X, found Y` — and, when a string was expected and YAML read a bare scalar as something else
    /// (`yes`, `3`, `2019-06-01`), the fix: quote it.
    package func mismatch(expected: String) -> String {
        let found = "expected \(expected), found \(kindDescription)"
        return expected == "a string" && isBareYAMLScalar ? found + "; quote it to make it a string" : found
    }
}
