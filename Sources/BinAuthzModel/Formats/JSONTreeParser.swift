// SPDX-License-Identifier: Apache-2.0

/// A strict RFC 8259 JSON parser that records the line and column of every value.
///
/// Foundation's parsers do not report positions, and a policy author wants "line 12" rather than "somewhere".
/// Every ``InputLimits`` bound is checked as the value that would cross it is reached: document size first, then
/// nesting (so hostile input cannot exhaust the stack: the parser recurses once per level), nodes (every value and
/// every member name) and string bytes — the same limits, with the same messages, as the YAML reader.
///
/// Repeated member names follow the ``TreeDialect``: an error (strict), or the last value wins at the place of the
/// first (gcloud: Python's `json.loads`; kubectl: Go's `encoding/json`, with a warning).
package struct JSONTreeParser {
    private let bytes: [UInt8]
    private let limits: InputLimits
    private let dialect: TreeDialect
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var nodes = 0
    private var stringBytes = 0
    private(set) var warnings: [ReadWarning] = []

    package static func parse(
        _ text: some Collection<UInt8>, dialect: TreeDialect = .strict, limits: InputLimits = .default
    ) throws(ModelError) -> TreeNode {
        try read(text, dialect: dialect, limits: limits).documents[0]
    }

    /// The document and the warnings the dialect's reader would give.
    package static func read(
        _ text: some Collection<UInt8>, dialect: TreeDialect = .strict, limits: InputLimits = .default
    ) throws(ModelError) -> ReadDocuments {
        guard text.count <= limits.maximumDocumentBytes else { throw LimitError.documentBytes(limits) }
        var parser = JSONTreeParser(bytes: Array(text), dialect: dialect, limits: limits)
        if dialect == .gcloud, parser.bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            // Python's json.loads refuses a BOM in text it was given as str, which is how gcloud reads the file.
            throw ModelError(
                code: .syntax, line: 1, column: 1,
                message: "invalid JSON: Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)")
        }
        parser.skipByteOrderMark()
        parser.skipWhitespace()
        var documents = [try parser.parseValue(depth: 0)]
        parser.skipWhitespace()
        // kubectl reads a stream of JSON objects one after another.
        while dialect == .kubectl, parser.index < parser.bytes.count {
            documents.append(try parser.parseValue(depth: 0))
            parser.skipWhitespace()
        }
        guard parser.index == parser.bytes.count else {
            throw parser.error("unexpected text after the JSON document")
        }
        return ReadDocuments(documents: documents, warnings: parser.warnings)
    }

    private init(bytes: [UInt8], dialect: TreeDialect, limits: InputLimits) {
        self.bytes = bytes
        self.dialect = dialect
        self.limits = limits
    }

    private mutating func count(node: Int = 1, stringBytes added: Int = 0) throws(ModelError) {
        nodes += node
        stringBytes += added
        if nodes > limits.maximumNodes { throw LimitError.nodes(limits, at: location) }
        if stringBytes > limits.maximumExpandedScalarBytes { throw LimitError.scalarBytes(limits, at: location) }
    }

    private var location: SourceLocation {
        // Columns count UTF-8 bytes; close enough for ASCII-dominated documents and never wrong by line.
        SourceLocation(line: line, column: index - lineStart + 1)
    }

    private func error(_ message: String, code: ModelError.Code = .syntax) -> ModelError {
        let loc = location
        return ModelError(code: code, line: loc.line, column: loc.column, message: "invalid JSON: \(message)")
    }

    private mutating func skipByteOrderMark() {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D:
                index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            default:
                return
            }
        }
    }

    /// A list or object being read: the parser keeps these on an explicit stack, so reading a document costs the
    /// same few stack frames however deeply it nests. (A struct mutated in place through the stack, never copied
    /// out, so appending stays amortized O(1).)
    private struct Open {
        let isObject: Bool
        let start: SourceLocation
        var items: [TreeNode] = []
        var entries: [(key: String, keyLocation: SourceLocation?, value: TreeNode)] = []
        var seen: [ExactString: Int] = [:]
        var key: (text: String, location: SourceLocation, previous: Int?)?
    }

    private mutating func parseValue(depth _: Int) throws(ModelError) -> TreeNode {
        var stack: [Open] = []
        while true {
            // Read one value: a scalar, or the start of a list or object.
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            let start = location
            try count()
            var value: TreeNode
            switch bytes[index] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard stack.count < limits.maximumNestingDepth else { throw LimitError.nesting(limits, at: location) }
                let isObject = bytes[index] == UInt8(ascii: "{")
                index += 1
                skipWhitespace()
                let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if index < bytes.count, bytes[index] == close {
                    index += 1
                    value = TreeNode(isObject ? .map([]) : .list([]), at: start)
                } else {
                    var open = Open(isObject: isObject, start: start)
                    if isObject { open.key = try parseMemberName(open) }
                    stack.append(open)
                    continue
                }
            case UInt8(ascii: "\""):
                let text = try parseString()
                try count(node: 0, stringBytes: text.utf8.count)
                value = TreeNode(.string(text), at: start)
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = TreeNode(.bool(true), at: start)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = TreeNode(.bool(false), at: start)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = TreeNode(.null, at: start)
            case UInt8(ascii: "N") where dialect == .gcloud:
                try expectLiteral("NaN")
                value = TreeNode(.float("NaN"), at: start)
            case UInt8(ascii: "I") where dialect == .gcloud:
                try expectLiteral("Infinity")
                value = TreeNode(.float("Infinity"), at: start)
            case UInt8(ascii: "-") where dialect == .gcloud && bytes[index...].starts(with: Array("-Infinity".utf8)):
                index += "-Infinity".utf8.count
                value = TreeNode(.float("-Infinity"), at: start)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = try parseNumber(start: start)
            default:
                throw error("unexpected character '\(Self.printable(bytes[index]))'")
            }
            // Give the value to the innermost open container; close every container that ends after it.
            closing: while true {
                guard !stack.isEmpty else { return value }
                let top = stack.count - 1
                skipWhitespace()
                if stack[top].isObject {
                    let member = stack[top].key!
                    if let previous = member.previous {
                        stack[top].entries[previous].value = value
                    } else {
                        stack[top].seen[ExactString(member.text)] = stack[top].entries.count
                        stack[top].entries.append((member.text, member.location, value))
                    }
                    guard index < bytes.count else { throw error("unexpected end of input inside an object") }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        stack[top].key = try parseMemberName(stack[top])
                        break closing
                    }
                    guard bytes[index] == UInt8(ascii: "}") else { throw error("expected ',' or '}'") }
                    index += 1
                    let done = stack.removeLast()
                    value = TreeNode(.map(done.entries), at: done.start)
                } else {
                    stack[top].items.append(value)
                    guard index < bytes.count else { throw error("unexpected end of input inside an array") }
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        break closing
                    }
                    guard bytes[index] == UInt8(ascii: "]") else { throw error("expected ',' or ']'") }
                    index += 1
                    let done = stack.removeLast()
                    value = TreeNode(.list(done.items), at: done.start)
                }
            }
        }
    }

    /// Reads `"name":` and decides, by the dialect, what a repeated name means.
    private mutating func parseMemberName(_ object: Open) throws(ModelError)
        -> (text: String, location: SourceLocation, previous: Int?)
    {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
            throw error("expected a quoted member name")
        }
        let keyLocation = location
        let key = try parseString()
        try count(stringBytes: key.utf8.count)
        let previous = object.seen[ExactString(key)]
        if let previous {
            switch dialect {
            case .strict:
                throw ModelError(
                    code: .duplicateKey, line: keyLocation.line, column: keyLocation.column,
                    message: "duplicate key \"\(key)\"")
            case .kubectl:
                warnings.append(
                    ReadWarning(
                        "the key \"\(key)\" is repeated (first at line \(object.entries[previous].keyLocation?.line ?? 0)); "
                            + "kubectl uses the last value", at: keyLocation))
            case .gcloud:
                break  // json.loads: the last value wins, silently
            }
        }
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
        index += 1
        return (key, keyLocation, previous)
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(ModelError) {
        let count = literal.utf8CodeUnitCount
        let matches = literal.withUTF8Buffer { lit in
            index + count <= bytes.count && bytes[index..<index + count].elementsEqual(lit)
        }
        guard matches else { throw error("invalid literal; expected \(literal)") }
        index += count
    }

    private mutating func parseNumber(start: SourceLocation) throws(ModelError) -> TreeNode {
        let begin = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, Self.isDigit(bytes[index]) else { throw error("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, Self.isDigit(bytes[index]) else { throw error("invalid number") }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, Self.isDigit(bytes[index]) else { throw error("invalid number") }
            while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: bytes[begin..<index], as: UTF8.self)
        return TreeNode(isInteger ? .integer(text) : .float(text), at: start)
    }

    private mutating func parseString() throws(ModelError) -> String {
        index += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = index
        func flushRun(_ end: Int) {
            if end > runStart {
                scalars.append(contentsOf: String(decoding: bytes[runStart..<end], as: UTF8.self).unicodeScalars)
            }
        }
        while true {
            guard index < bytes.count else { throw error("unterminated string") }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                flushRun(index)
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flushRun(index)
                index += 1
                guard index < bytes.count else { throw error("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    let first = try parseHex4()
                    if (0xD800...0xDBFF).contains(first) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        else { throw error("unpaired UTF-16 surrogate in \\u escape") }
                        index += 2
                        let second = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(second) else {
                            throw error("unpaired UTF-16 surrogate in \\u escape")
                        }
                        let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                        scalars.append(Unicode.Scalar(value)!)
                    } else if (0xDC00...0xDFFF).contains(first) {
                        throw error("unpaired UTF-16 surrogate in \\u escape")
                    } else {
                        scalars.append(Unicode.Scalar(first)!)
                    }
                default:
                    throw error("invalid escape '\\\(Self.printable(escape))'")
                }
                runStart = index
            case 0x00..<0x20:
                throw error(
                    "control character U+\(String(byte, radix: 16, uppercase: true)) must be escaped in a string")
            default:
                index += 1
            }
        }
    }

    private mutating func parseHex4() throws(ModelError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private static func printable(_ b: UInt8) -> String {
        (0x21..<0x7F).contains(b) ? String(UnicodeScalar(b)) : "\\u{\(String(b, radix: 16))}"
    }
}
