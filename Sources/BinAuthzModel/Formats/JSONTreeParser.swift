// SPDX-License-Identifier: Apache-2.0

/// A strict RFC 8259 JSON parser that records the line and column of every value.
///
/// Foundation's parsers do not report positions, and a policy author wants "line 12" rather than "somewhere".
/// Nesting is limited to ``TreeLimits/maximumDepth`` so hostile input cannot exhaust the stack.
package struct JSONTreeParser {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    package static func parse(_ text: some Collection<UInt8>) throws(ModelError) -> TreeNode {
        guard text.count <= TreeLimits.maximumBytes else {
            throw ModelError(code: .tooLarge, message: "document is larger than \(TreeLimits.maximumBytes >> 20) MiB")
        }
        var parser = JSONTreeParser(bytes: Array(text))
        parser.skipByteOrderMark()
        parser.skipWhitespace()
        let root = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else {
            throw parser.error("unexpected text after the JSON document")
        }
        return root
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

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

    private mutating func parseValue(depth: Int) throws(ModelError) -> TreeNode {
        guard index < bytes.count else { throw error("unexpected end of input") }
        let start = location
        switch bytes[index] {
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1, start: start)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1, start: start)
        case UInt8(ascii: "\""):
            return TreeNode(.string(try parseString()), at: start)
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return TreeNode(.bool(true), at: start)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return TreeNode(.bool(false), at: start)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return TreeNode(.null, at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber(start: start)
        default:
            throw error("unexpected character '\(Self.printable(bytes[index]))'")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(ModelError) {
        let count = literal.utf8CodeUnitCount
        let matches = literal.withUTF8Buffer { lit in
            index + count <= bytes.count && bytes[index..<index + count].elementsEqual(lit)
        }
        guard matches else { throw error("invalid literal; expected \(literal)") }
        index += count
    }

    private mutating func parseObject(depth: Int, start: SourceLocation) throws(ModelError) -> TreeNode {
        guard depth <= TreeLimits.maximumDepth else {
            throw error("nesting deeper than \(TreeLimits.maximumDepth) levels", code: .tooLarge)
        }
        index += 1
        var entries: [(key: String, keyLocation: SourceLocation?, value: TreeNode)] = []
        var seen = Set<String>()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return TreeNode(.map(entries), at: start)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("expected a quoted member name")
            }
            let keyLocation = location
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw ModelError(
                    code: .duplicateKey, line: keyLocation.line, column: keyLocation.column,
                    message: "duplicate key \"\(key)\"")
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            entries.append((key, keyLocation, value))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input inside an object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return TreeNode(.map(entries), at: start)
            }
            throw error("expected ',' or '}'")
        }
    }

    private mutating func parseArray(depth: Int, start: SourceLocation) throws(ModelError) -> TreeNode {
        guard depth <= TreeLimits.maximumDepth else {
            throw error("nesting deeper than \(TreeLimits.maximumDepth) levels", code: .tooLarge)
        }
        index += 1
        var items: [TreeNode] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return TreeNode(.list(items), at: start)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input inside an array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return TreeNode(.list(items), at: start)
            }
            throw error("expected ',' or ']'")
        }
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
                throw error("control character U+\(String(byte, radix: 16, uppercase: true)) must be escaped in a string")
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
