// SPDX-License-Identifier: Apache-2.0

/// A ``TreeNode`` read with ``TreeDialect/gcloud`` seen as the Python object gcloud holds after `json.loads`:
/// `None`, `bool`, `int`, `float`, `str`, `list`, `dict`. What apitools does with a value — and the texts of its
/// errors — depend on the Python type and on Python's `str()` of it, which these helpers reproduce.
package enum PythonValue {
    /// Python's `type(value).__name__`.
    package static func typeName(_ node: TreeNode) -> String {
        switch node.value {
        case .null: "NoneType"
        case .bool: "bool"
        case .integer: "int"
        case .float: "float"
        case .string: "str"
        case .timestamp(let text): text.contains(where: { $0 == "T" || $0 == "t" || $0 == " " }) ? "datetime" : "date"
        case .list: "list"
        case .map: "dict"
        }
    }

    /// Python's truth value (`if not obj`): `None`, `False`, `0`, `0.0`, `''`, `[]` and `{}` are false.
    package static func isFalsy(_ node: TreeNode) -> Bool {
        switch node.value {
        case .null: return true
        case .bool(let b): return !b
        case .integer(let text): return integerText(text) == "0"
        case .float(let text): return double(text) == 0
        case .string(let text): return text.isEmpty
        case .timestamp: return false
        case .list(let items): return items.isEmpty
        case .map(let entries): return entries.isEmpty
        }
    }

    /// The decimal text of an integer as Python prints it (`-0` → `0`, `007` stays as read by the dialect).
    /// Python's `int(text)`: surrounding whitespace, an optional sign, decimal digits of any script with single
    /// underscores between them; the value as canonical decimal text, or `nil` where `int()` raises.
    package static func int(_ text: String) -> String? {
        var scalars = Substring(text).unicodeScalars.drop { $0.properties.isWhitespace }
        while let last = scalars.last, last.properties.isWhitespace { scalars = scalars.dropLast() }
        var sign = ""
        if let first = scalars.first, first == "+" || first == "-" {
            sign = first == "-" ? "-" : ""
            scalars = scalars.dropFirst()
        }
        var digits = ""
        var previousWasDigit = false
        for scalar in scalars {
            if scalar == "_" {
                guard previousWasDigit else { return nil }
                previousWasDigit = false
                continue
            }
            guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue else {
                return nil
            }
            digits += String(Int(value))
            previousWasDigit = true
        }
        guard previousWasDigit, !digits.isEmpty else { return nil }
        return integerText(sign + digits)
    }

    package static func integerText(_ text: String) -> String {
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" {
            negative = true
            digits = digits.dropFirst()
        } else if digits.first == "+" {
            digits = digits.dropFirst()
        }
        while digits.count > 1, digits.first == "0" { digits = digits.dropFirst() }
        if digits == "0" { return "0" }
        return (negative ? "-" : "") + digits
    }

    /// The value of a float node: YAML gives `json.dumps`' spelling (`1000.0`, `Infinity`, `NaN`), JSON the text
    /// as written (`1.50`, `1E5`, `-Infinity`).
    package static func double(_ text: String) -> Double {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return Double(text) ?? .nan
        }
    }

    /// Python's `str(float)`: `repr` with `inf`, `-inf` and `nan` for the non-finite values.
    package static func floatString(_ text: String) -> String {
        let value = double(text)
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return PythonScalar.pythonRepr(value)
    }

    /// Python's `str(value)`, at most `limit` characters (longer texts end in `...`; Python prints them whole).
    package static func str(_ node: TreeNode, limit: Int = 4096) -> String {
        if case .string(let text) = node.value { return text.count > limit ? text.prefix(limit) + "..." : text }
        return repr(node, limit: limit)
    }

    /// Python's `repr(value)` (what `str()` of a list or dict shows for its items), at most `limit` characters.
    package static func repr(_ node: TreeNode, limit: Int = 4096) -> String {
        var out = ""
        write(node, into: &out, limit: limit)
        if out.count > limit { return out.prefix(limit) + "..." }
        return out
    }

    private static func write(_ node: TreeNode, into out: inout String, limit: Int) {
        guard out.count <= limit else { return }
        switch node.value {
        case .null: out += "None"
        case .bool(let b): out += b ? "True" : "False"
        case .integer(let text): out += integerText(text)
        case .float(let text): out += floatString(text)
        case .string(let text): out += stringRepr(text)
        case .timestamp(let text): out += "datetime(\(text))"
        case .list(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += ", " }
                write(item, into: &out, limit: limit)
                if out.count > limit { return }
            }
            out += "]"
        case .map(let entries):
            out += "{"
            for (index, entry) in entries.enumerated() {
                if index > 0 { out += ", " }
                out += stringRepr(entry.key)
                out += ": "
                write(entry.value, into: &out, limit: limit)
                if out.count > limit { return }
            }
            out += "}"
        }
    }

    /// Python's `repr(str)`: single quotes unless the text has a `'` and no `"`; backslash escapes for the quote,
    /// `\\`, `\t`, `\n`, `\r`, and `\xNN`/`\uNNNN`/`\UNNNNNNNN` for characters Python does not print.
    package static func stringRepr(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if isPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += hexEscape(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }

    private static func hexEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        if scalar.value < 0x100 { return "\\x" + String(repeating: "0", count: 2 - hex.count) + hex }
        if scalar.value < 0x10000 { return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex }
        return "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// `str.isprintable()` for one character: everything but the control, format, surrogate, private-use,
    /// unassigned and separator categories, except the ASCII space.
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        if scalar.isASCII { return scalar.value >= 0x20 && scalar.value < 0x7F }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            return false
        default:
            return true
        }
    }

    /// `json.dumps(value, sort_keys=True)` with its default separators (`", "`, `": "`) and `ensure_ascii`: the
    /// exact text apitools' `encoding.MessageToJson` sends as a request body.
    package static func jsonDumps(_ node: TreeNode) -> String {
        var out = ""
        dumps(node, into: &out)
        return out
    }

    private static func dumps(_ node: TreeNode, into out: inout String) {
        switch node.value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let text): out += integerText(text)
        case .float(let text):
            let value = double(text)
            out +=
                value.isNaN
                ? "NaN" : value.isInfinite ? (value < 0 ? "-Infinity" : "Infinity") : PythonScalar.pythonRepr(value)
        case .string(let text), .timestamp(let text): asciiString(text, into: &out)
        case .list(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += ", " }
                dumps(item, into: &out)
            }
            out += "]"
        case .map(let entries):
            out += "{"
            let sorted = entries.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
            for (index, entry) in sorted.enumerated() {
                if index > 0 { out += ", " }
                asciiString(entry.key, into: &out)
                out += ": "
                dumps(entry.value, into: &out)
            }
            out += "}"
        }
    }

    private static func asciiString(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value >= 0x20 && scalar.value < 0x7F {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x10000 {
                    out += unicodeEscape(scalar.value)
                } else {
                    let v = scalar.value - 0x10000
                    out += unicodeEscape(0xD800 + (v >> 10))
                    out += unicodeEscape(0xDC00 + (v & 0x3FF))
                }
            }
        }
        out += "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
