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
        // Copy runs of bytes that need no escape in one go (long base64 values are one run), as substrings:
        // `String.unicodeScalars.append(contentsOf:)` copied the whole output on every call, which made a report of
        // a thousand workloads take seconds.
        let utf8 = text.utf8
        var runStart = utf8.startIndex
        var index = runStart
        while index != utf8.endIndex {
            let byte = utf8[index]
            var escaped: String?
            var width = 1
            switch byte {
            case 0x22: escaped = "\\\""
            case 0x5C: escaped = "\\\\"
            case 0x0A: escaped = "\\n"
            case 0x0D: escaped = "\\r"
            case 0x09: escaped = "\\t"
            case 0x08: escaped = "\\b"
            case 0x0C: escaped = "\\f"
            case 0x00..<0x20:
                let hex = String(byte, radix: 16)
                escaped = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            case 0xE2:
                // U+2028 and U+2029 (E2 80 A8/A9) end lines in JavaScript: escaped, as before.
                let next = utf8.index(after: index)
                if next != utf8.endIndex, utf8[next] == 0x80 {
                    let last = utf8.index(after: next)
                    if last != utf8.endIndex, utf8[last] == 0xA8 || utf8[last] == 0xA9 {
                        escaped = utf8[last] == 0xA8 ? "\\u2028" : "\\u2029"
                        width = 3
                    }
                }
            default:
                break
            }
            if let escaped {
                out += text[runStart..<index]
                out += escaped
                index = utf8.index(index, offsetBy: width)
                runStart = index
            } else {
                index = utf8.index(after: index)
            }
        }
        out += text[runStart..<index]
        out += "\""
    }
}
