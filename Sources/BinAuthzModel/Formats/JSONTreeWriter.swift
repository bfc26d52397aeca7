// SPDX-License-Identifier: Apache-2.0

/// Writes a ``TreeNode`` as JSON: keys sorted, two-space indentation, `": "` separators, `/` unescaped,
/// non-ASCII text as UTF-8 — stable output suitable for diffs and for `curl --data-binary @file`.
package enum JSONTreeWriter {
    package static func write(_ node: TreeNode, pretty: Bool = true) -> String {
        var out = ""
        write(node, indent: 0, pretty: pretty, into: &out)
        if pretty { out += "\n" }
        return out
    }

    private static func write(_ node: TreeNode, indent: Int, pretty: Bool, into out: inout String) {
        switch node.value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let text), .float(let text): out += text
        case .string(let text), .timestamp(let text): writeString(text, into: &out)
        case .list(let items):
            guard !items.isEmpty else {
                out += "[]"
                return
            }
            out += "["
            for (offset, item) in items.enumerated() {
                if offset > 0 { out += "," }
                if pretty { newline(indent + 2, into: &out) }
                write(item, indent: indent + 2, pretty: pretty, into: &out)
            }
            if pretty { newline(indent, into: &out) }
            out += "]"
        case .map(let entries):
            guard !entries.isEmpty else {
                out += "{}"
                return
            }
            out += "{"
            let sorted = entries.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
            for (offset, entry) in sorted.enumerated() {
                if offset > 0 { out += "," }
                if pretty { newline(indent + 2, into: &out) }
                writeString(entry.key, into: &out)
                out += pretty ? ": " : ":"
                write(entry.value, indent: indent + 2, pretty: pretty, into: &out)
            }
            if pretty { newline(indent, into: &out) }
            out += "}"
        }
    }

    private static func newline(_ indent: Int, into out: inout String) {
        out += "\n"
        out += String(repeating: " ", count: indent)
    }

    package static func writeString(_ text: String, into out: inout String) {
        out += "\""
        // Copy runs of characters that need no escape in one go; long base64 values are mostly such a run.
        let scalars = text.unicodeScalars
        var runStart = scalars.startIndex
        var index = runStart
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let escaped: String?
            switch scalar {
            case "\"": escaped = "\\\""
            case "\\": escaped = "\\\\"
            case "\n": escaped = "\\n"
            case "\r": escaped = "\\r"
            case "\t": escaped = "\\t"
            case "\u{8}": escaped = "\\b"
            case "\u{C}": escaped = "\\f"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                escaped = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                escaped = nil
            }
            if let escaped {
                out.unicodeScalars.append(contentsOf: scalars[runStart..<index])
                out += escaped
                runStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        out.unicodeScalars.append(contentsOf: scalars[runStart..<index])
        out += "\""
    }
}
