// SPDX-License-Identifier: Apache-2.0

/// A YAML 1.1 scalar as gcloud sees it: the Python value ruamel.yaml's `SafeConstructor` builds, with Python's
/// equality (so `1`, `1.0`, `yes` and `0x1` are one dict key) and the text `json.dumps` writes for it as a key
/// (`true`, `511`, `1000.0`, `Infinity`).
///
/// gcloud turns a loaded policy into a request with `json.dumps` then `json.loads` (apitools
/// `encoding.DictToMessage`); a YAML map key reaches the API as the string `json.dumps` made of its Python value.
/// That is why `kubernetesNamespaceAdmissionRules: {no: …}` configures namespace `false` on the server.
package enum PythonScalar: Hashable {
    case none
    /// `bool`, `int` and integral `float` compare equal in Python when numerically equal; ``Number`` keeps the
    /// value for equality and the type for display.
    case number(Number)
    case string(ExactString)
    /// A `datetime.date`/`datetime.datetime`; `json.dumps` cannot write it.
    case timestamp(String)

    package struct Number: Hashable {
        package enum Display: Hashable {
            case bool(Bool)
            case int
            case float(Double)
        }
        /// The exact value for equality: an integer in decimal (`-12`), or for a non-integral float its
        /// `Double` bit pattern; NaN gets a unique identity because Python's NaN never equals another.
        fileprivate enum Identity: Hashable {
            case integer(String)
            case fraction(UInt64)
            case nan(line: Int, column: Int)
        }
        fileprivate let identity: Identity
        package let display: Display

        package static func == (lhs: Number, rhs: Number) -> Bool { lhs.identity == rhs.identity }
        package func hash(into hasher: inout Hasher) { hasher.combine(identity) }
    }

    /// The text `json.dumps` writes for this value as a mapping key; `nil` for a timestamp (gcloud crashes with a
    /// `TypeError`).
    package var jsonKey: String? {
        switch self {
        case .none: return "null"
        case .string(let text): return text.string
        case .timestamp: return nil
        case .number(let number):
            switch number.display {
            case .bool(let b): return b ? "true" : "false"
            case .int:
                if case .integer(let digits) = number.identity { return digits }
                return nil
            case .float(let value): return Self.pythonRepr(value)
            }
        }
    }

    /// Python's `str()` of the value (`True`, `None`, `1.0`, `inf`), as ruamel's duplicate-key warning prints it.
    package var pythonString: String {
        switch self {
        case .none: return "None"
        case .string(let text): return text.string
        case .timestamp(let text): return text
        case .number(let number):
            switch number.display {
            case .bool(let b): return b ? "True" : "False"
            case .int:
                if case .integer(let digits) = number.identity { return digits }
                return ""
            case .float(let value):
                if value.isNaN { return "nan" }
                if value.isInfinite { return value < 0 ? "-inf" : "inf" }
                return Self.pythonRepr(value)
            }
        }
    }

    // MARK: Construction, as ruamel's SafeConstructor (YAML 1.1) does it

    /// The Python value of a resolved scalar. `kind` is the YAML 1.1 resolution of the text (or its explicit tag);
    /// `nil` for text a tag forces into a type it cannot have (`!!int abc`), where ruamel raises `ValueError`.
    /// `location` identifies the node: ruamel builds one Python object per node (an alias reuses it), and a NaN key
    /// equals only itself.
    package static func construct(_ text: String, kind: YAMLScalarResolution.Kind, location: SourceLocation)
        -> PythonScalar?
    {
        switch kind {
        case .string, .merge, .value: return .string(ExactString(text))
        case .null: return PythonScalar.none
        case .timestamp: return .timestamp(text)
        case .bool:
            switch text.lowercased() {
            case "yes", "y", "true", "on": return .number(Number(identity: .integer("1"), display: .bool(true)))
            case "no", "n", "false", "off": return .number(Number(identity: .integer("0"), display: .bool(false)))
            default: return nil
            }
        case .int:
            guard let digits = integerDecimal(text) else { return nil }
            return .number(Number(identity: .integer(digits), display: .int))
        case .float:
            guard let value = floatValue(text) else { return nil }
            return .number(number(value, location: location))
        }
    }

    private static func number(_ value: Double, location: SourceLocation) -> Number {
        if value.isNaN {
            return Number(identity: .nan(line: location.line, column: location.column), display: .float(value))
        }
        if value.isFinite, value == value.rounded(.towardZero) {
            return Number(identity: .integer(integralDecimal(value)), display: .float(value))
        }
        return Number(identity: .fraction(value.bitPattern), display: .float(value))
    }

    /// ruamel's `construct_yaml_int`: underscores dropped, sign, `0b`, `0x`, `0o`, a leading `0` for octal, and
    /// `a:b:c` base 60, as an exact decimal.
    package static func integerDecimal(_ text: String) -> String? {
        var s = Array(text.utf8.filter { $0 != UInt8(ascii: "_") })
        guard !s.isEmpty else { return nil }
        var negative = false
        if s[0] == UInt8(ascii: "-") { negative = true }
        if s[0] == UInt8(ascii: "-") || s[0] == UInt8(ascii: "+") { s.removeFirst() }
        guard !s.isEmpty else { return nil }
        var magnitude = BigDecimal()
        func digits(_ body: ArraySlice<UInt8>, base: UInt32) -> Bool {
            guard !body.isEmpty else { return false }
            for c in body {
                guard let d = digitValue(c), d < base else { return false }
                magnitude.multiply(by: base, adding: d)
            }
            return true
        }
        if s == [UInt8(ascii: "0")] {
            return "0"
        } else if s.starts(with: Array("0b".utf8)) {
            guard digits(s.dropFirst(2), base: 2) else { return nil }
        } else if s.starts(with: Array("0x".utf8)) {
            guard digits(s.dropFirst(2), base: 16) else { return nil }
        } else if s.starts(with: Array("0o".utf8)) {
            guard digits(s.dropFirst(2), base: 8) else { return nil }
        } else if s[0] == UInt8(ascii: "0") {
            guard digits(s[...], base: 8) else { return nil }
        } else if s.contains(UInt8(ascii: ":")) {
            for part in s.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false) {
                var value = BigDecimal()
                guard !part.isEmpty else { return nil }
                for c in part {
                    guard let d = digitValue(c), d < 10 else { return nil }
                    value.multiply(by: 10, adding: d)
                }
                magnitude.multiply(by: 60, adding: 0)
                magnitude.add(value)
            }
        } else {
            guard digits(s[...], base: 10) else { return nil }
        }
        let text = magnitude.decimal
        return negative && text != "0" ? "-" + text : text
    }

    /// ruamel's `construct_yaml_float` (YAML 1.1): underscores dropped, `.inf`, `.nan`, `a:b.c` base 60, else
    /// Python's `float()`.
    package static func floatValue(_ text: String) -> Double? {
        var s = String(text.filter { $0 != "_" }).lowercased()
        guard let first = s.first else { return nil }
        var sign = 1.0
        if first == "-" { sign = -1 }
        if first == "-" || first == "+" { s.removeFirst() }
        if s == ".inf" { return sign * .infinity }
        if s == ".nan" { return .nan }
        if s.contains(":") {
            var value = 0.0
            var base = 1.0
            for part in s.split(separator: ":", omittingEmptySubsequences: false).reversed() {
                guard let digit = pythonFloat(String(part)) else { return nil }
                value += digit * base
                base *= 60
            }
            return sign * value
        }
        return pythonFloat(s).map { sign * $0 }
    }

    /// Python's `float(str)` for the forms YAML resolves as floats (digits, one dot, an exponent).
    private static func pythonFloat(_ s: String) -> Double? {
        guard !s.isEmpty else { return nil }
        var text = s
        if text.hasPrefix(".") { text = "0" + text }
        if text.hasSuffix(".") { text += "0" }
        text = text.replacing(".e", with: ".0e")
        return Double(text)
    }

    /// Python's `repr(float)` as `json.dumps` writes it: the shortest text that reads back to the same double,
    /// in scientific notation when the exponent is below -4 or at least 16; `Infinity`, `-Infinity`, `NaN`.
    package static func pythonRepr(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        let (digits, exponent) = shortestDigits(value)
        let negative = value < 0
        // `exponent` is the decimal exponent of the first digit: value = 0.d1d2… × 10^(exponent+1).
        var text: String
        if exponent < -4 || exponent >= 16 {
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let sign = exponent < 0 ? "-" : "+"
            let magnitude = abs(exponent)
            text = mantissa + "e" + sign + (magnitude < 10 ? "0" : "") + String(magnitude)
        } else if exponent < 0 {
            text = "0." + String(repeating: "0", count: -exponent - 1) + digits
        } else if digits.count <= exponent + 1 {
            text = digits + String(repeating: "0", count: exponent + 1 - digits.count) + ".0"
        } else {
            let split = digits.index(digits.startIndex, offsetBy: exponent + 1)
            text = digits[..<split] + "." + digits[split...]
        }
        return negative ? "-" + text : text
    }

    /// The shortest round-trip digits of `|value|` and the exponent of the first one, from Swift's own
    /// shortest-representation `description` (which uses the same algorithm family as Python's `repr`).
    private static func shortestDigits(_ value: Double) -> (String, Int) {
        let text = abs(value).description  // "1234.5", "1e-05", "1.2345e+16"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(parts[0])
        let fracPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = intPart + fracPart
        var pointPosition = intPart.count  // digits before the point
        // Strip leading zeros (0.00012 → 12, point moves).
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, pointPosition - 1 + exponent)
    }

    /// The exact decimal digits of an integral double.
    private static func integralDecimal(_ value: Double) -> String {
        if let exact = Int64(exactly: value) { return String(exact) }
        // |value| ≥ 2^63: significand × 2^exponent, exactly.
        var magnitude = BigDecimal()
        let significand = abs(value).significandBitPattern | (1 << 52)
        magnitude.add(UInt64(significand))
        for _ in 0..<(Int(abs(value).exponent) - 52) { magnitude.multiply(by: 2, adding: 0) }
        return (value < 0 ? "-" : "") + magnitude.decimal
    }

    private static func digitValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(c - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}

/// An unsigned integer of any size in base 10⁹ limbs: enough arithmetic to print Python's big integers exactly.
struct BigDecimal {
    private var limbs: [UInt32] = [0]  // least significant first, each < 10⁹
    private static let radix: UInt64 = 1_000_000_000

    mutating func multiply(by factor: UInt32, adding addend: UInt32) {
        var carry = UInt64(addend)
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(product % Self.radix)
            carry = product / Self.radix
        }
        while carry > 0 {
            limbs.append(UInt32(carry % Self.radix))
            carry /= Self.radix
        }
    }

    mutating func add(_ value: UInt64) {
        var carry = value
        var i = 0
        while carry > 0 {
            if i == limbs.count { limbs.append(0) }
            let sum = UInt64(limbs[i]) + carry
            limbs[i] = UInt32(sum % Self.radix)
            carry = sum / Self.radix
            i += 1
        }
    }

    mutating func add(_ other: BigDecimal) {
        var carry: UInt64 = 0
        for i in 0..<max(limbs.count, other.limbs.count) {
            if i == limbs.count { limbs.append(0) }
            let sum = UInt64(limbs[i]) + UInt64(i < other.limbs.count ? other.limbs[i] : 0) + carry
            limbs[i] = UInt32(sum % Self.radix)
            carry = sum / Self.radix
        }
        if carry > 0 { limbs.append(UInt32(carry)) }
    }

    var decimal: String {
        var text = String(limbs.last!)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }
}
