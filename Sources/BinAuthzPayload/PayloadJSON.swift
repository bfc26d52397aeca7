// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// Reading payload JSON with messages that name the member path.
enum PayloadJSON {
    /// The members of one JSON object, in document order.
    struct Members {
        var entries: [(key: String, keyLocation: SourceLocation?, value: TreeNode)]

        func member(_ key: String) -> TreeNode? {
            entries.first { $0.key == key }?.value
        }

        var keys: [String] { entries.map(\.key) }
    }

    /// Parses the payload and requires a JSON object at the top.
    static func parseObject(_ bytes: some Collection<UInt8>) throws(PayloadError) -> Members {
        let root: TreeNode
        do {
            root = try JSONTreeParser.parse(bytes)
        } catch {
            var reason = error.message
            if reason.hasPrefix("invalid JSON: ") { reason.removeFirst("invalid JSON: ".count) }
            if let line = error.line {
                reason += error.column.map { " (line \(line), column \($0))" } ?? " (line \(line))"
            }
            let lead =
                error.code == .duplicateKey
                ? "payload has a duplicate member name (ambiguous, so rejected)" : "payload is not JSON"
            throw PayloadError(code: .notJSON, message: "\(lead): \(reason)")
        }
        guard case .map(let entries) = root.value else {
            throw PayloadError(
                code: .typeMismatch,
                message: "payload is \(describe(root)), not a JSON object; expected "
                    + #"{"critical": {"identity": {…}, "image": {…}, "type": …}}"#)
        }
        return Members(entries: entries)
    }

    /// The object at `path`, or a missing-field / type-mismatch error.
    static func object(_ node: TreeNode?, path: String) throws(PayloadError) -> Members {
        guard let node else { throw PayloadError(code: .missingField, message: "\(path) is missing") }
        guard case .map(let entries) = node.value else {
            throw PayloadError(
                code: .typeMismatch, message: "\(path) is \(describe(node)); expected an object")
        }
        return Members(entries: entries)
    }

    /// The string at `path`, or a missing-field / type-mismatch error.
    static func string(_ node: TreeNode?, path: String) throws(PayloadError) -> String {
        guard let node else { throw PayloadError(code: .missingField, message: "\(path) is missing") }
        guard case .string(let value) = node.value else {
            throw PayloadError(code: .typeMismatch, message: "\(path) is \(describe(node)); expected a string")
        }
        return value
    }

    /// A short noun phrase for a JSON value: `a string`, `a number (12)`, `null`, `an array`.
    static func describe(_ node: TreeNode) -> String {
        switch node.value {
        case .null: "null"
        case .bool(let b): "a boolean (\(b))"
        case .integer(let s), .float(let s): "a number (\(s.prefix(40)))"
        case .string, .timestamp: "a string"
        case .list: "an array"
        case .map: "an object"
        }
    }
}
