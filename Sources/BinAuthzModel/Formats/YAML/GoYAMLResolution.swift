// SPDX-License-Identifier: Apache-2.0

/// How go-yaml v2 — the reader inside kubectl's `sigs.k8s.io/yaml` — resolves a plain scalar (`resolve.go`), and
/// the text `sigs.k8s.io/yaml` writes for a non-string map key.
///
/// It differs from ruamel's YAML 1.1 rules (``YAMLScalarResolution``) in ways that matter for a manifest: no base-60
/// numbers (`1:30` is a string), integers by Go's `strconv.ParseInt(_, 0, 64)` after dropping underscores (`0o17`,
/// `0b101`, `017`), anything else of digits that reads as a float is a float (`08`, `1e3`, `99999999999999999999`),
/// and timestamps stay strings.
enum GoYAMLResolution {
    static func resolve(_ text: String) -> YAMLScalarResolution.Kind {
        if let mapped = map[text] { return mapped }
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "."):
            return goParseFloat(text) != nil ? .float : .string
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            // go-yaml v2 recognises timestamps but, decoding into interface{} as sigs.k8s.io/yaml does, keeps them
            // as the strings they were written as — keys and values alike.
            if isTimestamp(text) { return .string }
            let plain = text.filter { $0 != "_" }
            if parseInt(plain) != nil { return .int }
            if isYAMLStyleFloat(plain), goParseFloat(plain) != nil { return .float }
            return .string
        default:
            return .string
        }
    }

    private static let map: [String: YAMLScalarResolution.Kind] = {
        var m: [String: YAMLScalarResolution.Kind] = [:]
        for s in ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"] { m[s] = .bool }
        for s in ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"] { m[s] = .bool }
        for s in ["", "~", "null", "Null", "NULL"] { m[s] = .null }
        for s in [".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"]
        {
            m[s] = .float
        }
        m["<<"] = .merge
        return m
    }()

    /// The decimal value of an integer scalar, `nil` if it is not one.
    static func integerDecimal(_ text: String) -> String? {
        parseInt(text.filter { $0 != "_" })
    }

    /// The value of a float scalar.
    static func floatValue(_ text: String) -> Double? {
        switch text {
        case ".nan", ".NaN", ".NAN": return .nan
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        default: return goParseFloat(text.first == "." ? text : text.filter { $0 != "_" })
        }
    }

    /// `strconv.FormatFloat(v, 'g', -1, 32)` with `sigs.k8s.io/yaml`'s `.inf`/`-.inf`/`.nan` spellings.
    static func formatKey(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        let single = Float(value)
        if single.isInfinite { return single < 0 ? "-.inf" : ".inf" }
        if single == 0 { return single.sign == .minus ? "-0" : "0" }
        let (digits, exponent) = shortest(single)
        let negative = single < 0
        var text: String
        if exponent < -4 || exponent >= 6 {  // shortest %g: precision 6 decides
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let magnitude = abs(exponent)
            text = mantissa + "e" + (exponent < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + String(magnitude)
        } else if exponent < 0 {
            text = "0." + String(repeating: "0", count: -exponent - 1) + digits
        } else if digits.count <= exponent + 1 {
            text = digits + String(repeating: "0", count: exponent + 1 - digits.count)
        } else {
            let split = digits.index(digits.startIndex, offsetBy: exponent + 1)
            text = digits[..<split] + "." + digits[split...]
        }
        return negative ? "-" + text : text
    }

    private static func shortest(_ value: Float) -> (String, Int) {
        let text = abs(value).description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        var digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
        var point = parts[0].count
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, point - 1 + exponent)
    }

    /// `strconv.ParseInt(s, 0, 64)`, then `ParseUint(s, 0, 64)`, as a decimal.
    private static func parseInt(_ s: String) -> String? {
        var bytes = Array(s.utf8)
        guard !bytes.isEmpty else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-") {
            negative = bytes[0] == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        guard !bytes.isEmpty else { return nil }
        var base: UInt64 = 10
        var body = bytes[...]
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "0") {
            switch bytes[1] {
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                base = 16
                body = bytes.dropFirst(2)
            case UInt8(ascii: "o"), UInt8(ascii: "O"):
                base = 8
                body = bytes.dropFirst(2)
            case UInt8(ascii: "b"), UInt8(ascii: "B"):
                base = 2
                body = bytes.dropFirst(2)
            default:
                base = 8
                body = bytes.dropFirst(1)
            }
        }
        guard !body.isEmpty else { return nil }
        var value: UInt64 = 0
        for c in body {
            let digit: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard digit < base else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            value = a
        }
        if negative {
            guard value <= UInt64(Int64.max) + 1 else { return nil }
            return value == 0 ? "0" : "-" + String(value)
        }
        return String(value)
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
    private static func isYAMLStyleFloat(_ s: String) -> Bool {
        var b = Array(s.utf8)[...]
        func digits() -> Int {
            var n = 0
            while let c = b.first, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                b = b.dropFirst()
                n += 1
            }
            return n
        }
        if let c = b.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { b = b.dropFirst() }
        if b.first == UInt8(ascii: ".") {
            b = b.dropFirst()
            guard digits() > 0 else { return false }
        } else {
            guard digits() > 0 else { return false }
            if b.first == UInt8(ascii: ".") {
                b = b.dropFirst()
                _ = digits()
            }
        }
        if let c = b.first, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            b = b.dropFirst()
            if let c = b.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { b = b.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return b.isEmpty
    }

    /// `strconv.ParseFloat(s, 64)` for decimal forms (no hex floats, no `inf` words, which never reach here); `nil`
    /// when it fails, which includes a value out of range (`1e400`: go-yaml then keeps the text as a string).
    private static func goParseFloat(_ s: String) -> Double? {
        guard isYAMLStyleFloat(s) else { return nil }
        var text = s
        if text.hasPrefix(".") || text.hasPrefix("-.") || text.hasPrefix("+.") {
            text = text.replacing(".", with: "0.", maxReplacements: 1)
        }
        if let dot = text.firstIndex(of: "."),
            text.index(after: dot) == text.endIndex || "eE".contains(text[text.index(after: dot)])
        {
            text.insert("0", at: text.index(after: dot))
        }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// go-yaml's `parseTimestamp`: four digits and `-`, then one of `2006-1-2T15:4:5.999999999Z07:00` (also with a
    /// lower-case `t`), `2006-1-2 15:4:5.999999999`, `2006-1-2`.
    static func isTimestamp(_ s: String) -> Bool {
        let b = Array(s.utf8)
        var i = 0
        func number(maxDigits: Int) -> Int? {
            let start = i
            var v = 0
            while i < b.count, i - start < maxDigits, b[i] >= 0x30, b[i] <= 0x39 {
                v = v * 10 + Int(b[i] - 0x30)
                i += 1
            }
            return i > start ? v : nil
        }
        func take(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(maxDigits: 4), i == 4, year >= 0, take(UInt8(ascii: "-")),
            let month = number(maxDigits: 2), (1...12).contains(month), take(UInt8(ascii: "-")),
            let day = number(maxDigits: 2), (1...31).contains(day)
        else { return false }
        if i == b.count { return true }
        let separator = b[i]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ")
        else { return false }
        i += 1
        guard let hour = number(maxDigits: 2), hour < 24, take(UInt8(ascii: ":")),
            let minute = number(maxDigits: 2), minute < 60, take(UInt8(ascii: ":")),
            let second = number(maxDigits: 2), second < 60
        else { return false }
        if take(UInt8(ascii: ".")) {
            guard number(maxDigits: 9) != nil else { return false }
        }
        if separator == UInt8(ascii: " ") { return i == b.count }
        if take(UInt8(ascii: "Z")) { return i == b.count }
        guard i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return false }
        i += 1
        guard let zh = number(maxDigits: 2), zh < 24, take(UInt8(ascii: ":")), let zm = number(maxDigits: 2), zm < 60
        else { return false }
        return i == b.count
    }
}
