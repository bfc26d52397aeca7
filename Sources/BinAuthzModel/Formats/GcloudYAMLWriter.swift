// SPDX-License-Identifier: Apache-2.0

/// Writes a ``TreeNode`` as YAML the way gcloud's resource printer does (`gcloud … policy export`,
/// `gcloud … attestors describe`): ruamel.yaml in block style, keys sorted at every level, list items at the
/// parent key's indent, strings with newlines as `|` literal blocks, plain scalars folded past column 80, and
/// quotes only where a plain scalar would be misread.
///
/// gcloud prints with YAML 1.2 rules but reads with YAML 1.1 rules, so it prints `description: yes` unquoted and
/// then refuses its own output on import (`yes` is a boolean in 1.1). By default this writer also quotes strings
/// that YAML 1.1 would mistype, so every document it writes reads back unchanged; with `exact` it prints what
/// gcloud prints, byte for byte (`policy export`, `attestors describe`).
package struct GcloudYAMLWriter {
    private var out = ""
    private var column = 0
    private let exact: Bool
    /// Whether the last scalar written was a `|+` block, after which ruamel ends the document with `...`.
    private var openEnded = false
    private static let bestWidth = 80

    private init(exact: Bool) { self.exact = exact }

    package static func write(_ node: TreeNode, exact: Bool = false) -> String {
        var writer = GcloudYAMLWriter(exact: exact)
        writer.writeRoot(node)
        if writer.openEnded { writer.out += "...\n" }
        return writer.out
    }

    // MARK: Structure

    private mutating func writeRoot(_ node: TreeNode) {
        switch node.value {
        case .map(let entries) where !entries.isEmpty:
            writeMapEntries(entries, indent: 0, firstInline: false)
        case .list(let items) where !items.isEmpty:
            writeListItems(items, indent: 0, firstInline: false)
        case .map:
            // gcloud's printer writes an empty message as `{}`; an empty document would read back as nothing.
            emit("{}")
            newline()
        case .list:
            emit("[]")
            newline()
        default:
            writeScalarValue(node, indent: 0)
            newline()
        }
    }

    private static func sorted(_ entries: [(key: String, keyLocation: SourceLocation?, value: TreeNode)])
        -> [(key: String, keyLocation: SourceLocation?, value: TreeNode)]
    {
        entries.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
    }

    private mutating func writeMapEntries(
        _ entries: [(key: String, keyLocation: SourceLocation?, value: TreeNode)], indent: Int, firstInline: Bool
    ) {
        for (offset, entry) in Self.sorted(entries).enumerated() {
            if offset > 0 || !firstInline { pad(to: indent) }
            if Self.isSimpleKey(entry.key) {
                emit(Self.renderKey(entry.key, exact: exact))
                emit(":")
                writeValue(entry.value, indent: indent)
            } else {
                writeComplexEntry(key: entry.key, value: entry.value, indent: indent)
            }
        }
    }

    /// ruamel `check_simple_key`: non-empty, on one line, and shorter than 128 characters counting the `!!str`
    /// tag the serializer attaches to every string.
    private static func isSimpleKey(_ key: String) -> Bool {
        let analysis = ScalarAnalysis(key)
        return key.unicodeScalars.count + 5 < 128 && !analysis.empty && !analysis.multiline
    }

    /// The explicit form ruamel uses for keys that cannot be simple: `? key` then `: value`.
    private mutating func writeComplexEntry(key: String, value: TreeNode, indent: Int) {
        emit("? ")
        writeString(key, indent: indent + 2, allowLiteral: false)
        newline()
        pad(to: indent)
        emit(": ")
        writeAfterIndicator(value, indent: indent + 2)
    }

    /// Writes a node that starts on the line of a `- ` or `: ` indicator: a collection continues on that line and
    /// below at `indent`, anything else is the rest of the line.
    private mutating func writeAfterIndicator(_ node: TreeNode, indent: Int) {
        switch node.value {
        case .map(let entries) where !entries.isEmpty:
            writeMapEntries(entries, indent: indent, firstInline: true)
        case .list(let items) where !items.isEmpty:
            writeListItems(items, indent: indent, firstInline: true)
        case .map:
            emit("{}")
            newline()
        case .list:
            emit("[]")
            newline()
        default:
            writeScalarValue(node, indent: indent)
            newline()
        }
    }

    /// Writes the value after `key:` (or after `- `), then ends the line.
    private mutating func writeValue(_ node: TreeNode, indent: Int) {
        switch node.value {
        case .map(let entries):
            if entries.isEmpty {
                emit(" {}")
                newline()
            } else {
                newline()
                writeMapEntries(entries, indent: indent + 2, firstInline: false)
            }
        case .list(let items):
            if items.isEmpty {
                emit(" []")
                newline()
            } else {
                newline()
                writeListItems(items, indent: indent, firstInline: false)
            }
        default:
            emit(" ")
            writeScalarValue(node, indent: indent + 2)
            newline()
        }
    }

    private mutating func writeListItems(_ items: [TreeNode], indent: Int, firstInline: Bool) {
        for (offset, item) in items.enumerated() {
            if offset > 0 || !firstInline { pad(to: indent) }
            emit("- ")
            writeAfterIndicator(item, indent: indent + 2)
        }
    }

    // MARK: Scalars

    private mutating func writeScalarValue(_ node: TreeNode, indent: Int) {
        switch node.value {
        case .null: emit("null")
        case .bool(let b): emit(b ? "true" : "false")
        case .integer(let text), .float(let text): emit(text)
        case .string(let text), .timestamp(let text): writeString(text, indent: indent)
        case .map, .list: break  // handled by the structure writers
        }
    }

    private mutating func writeString(_ text: String, indent: Int, allowLiteral: Bool = true) {
        if allowLiteral && text.unicodeScalars.contains("\n") && Self.fitsLiteralBlock(text) {
            writeLiteral(text, indent: indent)
            return
        }
        let analysis = ScalarAnalysis(text)
        if analysis.allowBlockPlain && !analysis.empty && !analysis.multiline
            && Self.isImplicitString(text, exact: exact)
        {
            writeFolded(text, indent: indent, quote: nil)
        } else if text.unicodeScalars.contains("'") || Self.containsLineBreak(text) || !analysis.allowSingleQuoted {
            writeDoubleQuoted(text, indent: indent)
        } else {
            writeFolded(text, indent: indent, quote: "'")
        }
    }

    /// Whether a multi-line string survives a `|` block unchanged. gcloud's printer uses a block for every string
    /// with a newline, but a block cannot hold other line breaks (`\r`, NEL, U+2028/9: a reader turns them into
    /// `\n`), control characters or tabs (a tab opening a line reads as bad indentation); such strings (a PGP key
    /// with CRLF line ends, say) are written double-quoted.
    private static func fitsLiteralBlock(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { ch in
            let v = ch.value
            if v == 0x2028 || v == 0x2029 || v == 0xFEFF { return false }
            return ch == "\n" || (0x20...0x7E).contains(v) || (0xA0...0xD7FF).contains(v)
                || (0xE000...0xFFFD).contains(v) || (0x10000...0x10FFFF).contains(v)
        }
    }

    /// Whether the text holds a YAML line break. ruamel single-quotes strings with NEL or U+2028/9 (it only checks
    /// for `\n`), and a reader folds those breaks into spaces; double quotes keep them as escapes.
    private static func containsLineBreak(_ text: String) -> Bool {
        text.unicodeScalars.contains { ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains($0) }
    }

    /// A plain scalar that reads back as a string in YAML 1.2 (gcloud's printer) and, unless `exact`, also in 1.1
    /// (gcloud's loader).
    private static func isImplicitString(_ text: String, exact: Bool) -> Bool {
        YAMLScalarResolution.resolve(text, version: .v1_2) == .string
            && (exact || YAMLScalarResolution.resolve(text, version: .v1_1) == .string)
    }

    private static func renderKey(_ key: String, exact: Bool) -> String {
        let analysis = ScalarAnalysis(key)
        if analysis.allowBlockPlain && !analysis.empty && !analysis.multiline && isImplicitString(key, exact: exact) {
            return key
        }
        if key.unicodeScalars.contains("'") || containsLineBreak(key) || !analysis.allowSingleQuoted {
            var writer = GcloudYAMLWriter(exact: exact)
            writer.writeDoubleQuoted(key, indent: 0, split: false)
            return writer.out
        }
        return "'" + key.replacing("'", with: "''") + "'"
    }

    /// Plain or single-quoted text, folded at single spaces once past column 80 (ruamel `write_plain` /
    /// `write_single_quoted`).
    private mutating func writeFolded(_ text: String, indent: Int, quote: String?) {
        if let quote { emit(quote) }
        let scalars = Array(text.unicodeScalars)
        var start = 0
        var end = 0
        var spaces = false
        while end <= scalars.count {
            let ch: Unicode.Scalar? = end < scalars.count ? scalars[end] : nil
            if spaces {
                if ch != " " {
                    let atEdge = quote != nil && (start == 0 || end == scalars.count)
                    if start + 1 == end && column > Self.bestWidth && !atEdge {
                        newline()
                        pad(to: indent)
                    } else {
                        emit(String(String.UnicodeScalarView(scalars[start..<end])))
                    }
                    start = end
                }
            } else if ch == nil || ch == " " || (quote != nil && ch == "'") {
                if start < end {
                    emit(String(String.UnicodeScalarView(scalars[start..<end])))
                    start = end
                }
            }
            if quote != nil, ch == "'" {
                emit("''")
                start = end + 1
            }
            if let ch { spaces = ch == " " }
            end += 1
        }
        if let quote { emit(quote) }
    }

    private static let escapes: [Unicode.Scalar: String] = [
        "\u{0}": "0", "\u{7}": "a", "\u{8}": "b", "\u{9}": "t", "\u{A}": "n", "\u{B}": "v", "\u{C}": "f",
        "\u{D}": "r", "\u{1B}": "e", "\"": "\"", "\\": "\\", "\u{85}": "N", "\u{A0}": "_", "\u{2028}": "L",
        "\u{2029}": "P",
    ]

    /// ruamel `write_double_quoted`, with `allow_unicode` on.
    private mutating func writeDoubleQuoted(_ text: String, indent: Int, split: Bool = true) {
        emit("\"")
        let scalars = Array(text.unicodeScalars)
        func slice(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        var start = 0
        var end = 0
        while end <= scalars.count {
            let ch: Unicode.Scalar? = end < scalars.count ? scalars[end] : nil
            if ch == nil || Self.mustEscapeInDoubleQuotes(ch!) {
                if start < end {
                    emit(slice(start..<end))
                    start = end
                }
                if let ch {
                    let escaped: String
                    if let short = Self.escapes[ch] {
                        escaped = "\\" + short
                    } else if ch.value <= 0xFF {
                        escaped = "\\x" + Self.hex(ch.value, width: 2)
                    } else if ch.value <= 0xFFFF {
                        escaped = "\\u" + Self.hex(ch.value, width: 4)
                    } else {
                        escaped = "\\U" + Self.hex(ch.value, width: 8)
                    }
                    emit(escaped)
                    start = end + 1
                }
            }
            if split, end > 0, end < scalars.count - 1, ch == " " || start >= end,
                column + (end - start) > Self.bestWidth
            {
                emit((start < end ? slice(start..<end) : "") + "\\")
                if start < end { start = end }
                newline()
                pad(to: indent)
                if start < scalars.count, scalars[start] == " " { emit("\\") }
            }
            end += 1
        }
        emit("\"")
    }

    private static func mustEscapeInDoubleQuotes(_ ch: Unicode.Scalar) -> Bool {
        if ["\"", "\\", "\u{85}", "\u{2028}", "\u{2029}", "\u{FEFF}"].contains(ch) { return true }
        let v = ch.value
        return !((0x20...0x7E).contains(v) || (0xA0...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v))
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// ruamel `write_literal` with `determine_block_hints`.
    private mutating func writeLiteral(_ text: String, indent: Int) {
        var hints = ""
        let scalars = Array(text.unicodeScalars)
        if let first = scalars.first, first == " " || first == "\n" { hints += "2" }
        let chomp: String
        if scalars.last != "\n" {
            chomp = "-"
        } else if scalars.count == 1 || scalars[scalars.count - 2] == "\n" {
            chomp = "+"
        } else {
            chomp = ""
        }
        emit("|" + hints + chomp)
        newline()
        var lines = scalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0)) }
        if scalars.last == "\n" { lines.removeLast() }
        for line in lines {
            if line.isEmpty {
                newline()
            } else {
                pad(to: indent)
                emit(line)
                newline()
            }
        }
        // The caller ends the value with a newline; a literal block has already ended its last line.
        out.removeLast()
        column = 1
        openEnded = chomp == "+"
    }

    // MARK: Output

    private mutating func emit(_ text: String) {
        openEnded = false
        out += text
        column += text.unicodeScalars.count
    }

    private mutating func newline() {
        out += "\n"
        column = 0
    }

    private mutating func pad(to indent: Int) {
        if column < indent {
            out += String(repeating: " ", count: indent - column)
            column = indent
        }
    }
}

/// ruamel.yaml `Emitter.analyze_scalar`, reduced to the block-context answers this writer needs.
private struct ScalarAnalysis {
    var empty = false
    var multiline = false
    var allowBlockPlain = true
    var allowSingleQuoted = true

    init(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty else {
            empty = true
            return
        }
        var blockIndicators = false
        var lineBreaks = false
        var specialCharacters = false
        var leadingSpace = false
        var leadingBreak = false
        var trailingSpace = false
        var trailingBreak = false
        var breakSpace = false
        var spaceBreak = false
        if text.hasPrefix("---") || text.hasPrefix("...") { blockIndicators = true }
        let whitespace: Set<Unicode.Scalar> = ["\0", " ", "\t", "\r", "\n", "\u{85}", "\u{2028}", "\u{2029}"]
        let breaks: Set<Unicode.Scalar> = ["\n", "\u{85}", "\u{2028}", "\u{2029}"]
        var precededByWhitespace = true
        var followedByWhitespace = scalars.count == 1 || whitespace.contains(scalars[1])
        var previousSpace = false
        var previousBreak = false
        for (index, ch) in scalars.enumerated() {
            if index == 0 {
                if "#,[]{}&*!|>'\"%@`".unicodeScalars.contains(ch) { blockIndicators = true }
                if (ch == "?" || ch == ":") && followedByWhitespace { blockIndicators = true }
                if ch == "-" && followedByWhitespace { blockIndicators = true }
            } else {
                if ch == ":" && followedByWhitespace { blockIndicators = true }
                if ch == "#" && precededByWhitespace { blockIndicators = true }
            }
            if breaks.contains(ch) { lineBreaks = true }
            if !(ch == "\n" || (0x20...0x7E).contains(ch.value)) {
                let v = ch.value
                let unicodePrintable =
                    (v == 0x85 || (0xA0...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v)
                        || (0x10000...0x10FFFF).contains(v)) && v != 0xFEFF
                if !unicodePrintable { specialCharacters = true }
            }
            if ch == " " {
                if index == 0 { leadingSpace = true }
                if index == scalars.count - 1 { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if breaks.contains(ch) {
                if index == 0 { leadingBreak = true }
                if index == scalars.count - 1 { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = whitespace.contains(ch)
            followedByWhitespace = index + 2 >= scalars.count || whitespace.contains(scalars[index + 2])
        }
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak { allowBlockPlain = false }
        if breakSpace {
            allowBlockPlain = false
            allowSingleQuoted = false
        }
        if specialCharacters || spaceBreak {
            allowBlockPlain = false
            allowSingleQuoted = false
        }
        if lineBreaks { allowBlockPlain = false }
        if blockIndicators { allowBlockPlain = false }
        multiline = lineBreaks
    }
}
