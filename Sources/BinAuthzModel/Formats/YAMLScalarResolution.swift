// SPDX-License-Identifier: Apache-2.0

/// Which plain YAML scalars are *not* strings, in the two YAML versions gcloud uses.
///
/// gcloud reads resource files as YAML 1.1 (ruamel.yaml with `version=1.1`, where `yes`, `y` and `1:20` are not
/// strings) and prints them as YAML 1.2 (where they are). The patterns below are ruamel.yaml's implicit resolvers
/// (`resolver.py`), including its rule that a resolver is only tried when the scalar's first character is one
/// the resolver lists.
package enum YAMLScalarResolution {
    package enum Version: Sendable { case v1_1, v1_2 }

    package enum Kind: Sendable, Equatable { case string, bool, int, float, null, timestamp, merge, value }

    /// The type a plain (unquoted) scalar resolves to.
    package static func resolve(_ text: String, version: Version) -> Kind {
        let s = Array(text.utf8)
        let first = s.first
        func starts(_ set: String) -> Bool { first.map { set.utf8.contains($0) } ?? false }
        switch version {
        case .v1_1:
            if starts("yYnNtTfFoO"), bool11.contains(text) { return .bool }
            if starts("-+0123456789."), isFloat(s, yaml11: true) { return .float }
            if starts("-+0123456789"), isInt(s, yaml11: true) { return .int }
        case .v1_2:
            if starts("tTfF"), bool12.contains(text) { return .bool }
            if starts("-+0123456789."), isFloat(s, yaml11: false) { return .float }
            if starts("-+0123456789"), isInt(s, yaml11: false) { return .int }
        }
        if text == "<<" { return .merge }
        if text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL" { return .null }
        if starts("0123456789"), isTimestamp(s) { return .timestamp }
        if text == "=" { return .value }
        return .string
    }

    private static let bool11: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ]
    private static let bool12: Set<String> = ["true", "True", "TRUE", "false", "False", "FALSE"]

    // The matchers below transcribe ruamel.yaml's regular expressions (resolver.py) by hand.

    private struct Scanner {
        let s: [UInt8]
        var i = 0
        init(_ s: [UInt8]) { self.s = s }
        var atEnd: Bool { i == s.count }
        func peek(_ offset: Int = 0) -> UInt8? { i + offset < s.count ? s[i + offset] : nil }
        mutating func take(_ c: Character) -> Bool {
            guard let p = peek(), p == c.asciiValue! else { return false }
            i += 1
            return true
        }
        mutating func takeAny(_ set: String) -> Bool {
            guard let p = peek(), set.utf8.contains(p) else { return false }
            i += 1
            return true
        }
        mutating func takeLiteral(_ lit: String) -> Bool {
            let bytes = Array(lit.utf8)
            guard s.count - i >= bytes.count, Array(s[i..<(i + bytes.count)]) == bytes else { return false }
            i += bytes.count
            return true
        }
        /// One or more characters of `set`.
        mutating func takeRun(_ set: String) -> Bool {
            let start = i
            while let p = peek(), set.utf8.contains(p) { i += 1 }
            return i > start
        }
        mutating func takeSign() { _ = takeAny("-+") }
    }

    private static let digits = "0123456789"
    private static let digitsUnderscore = "0123456789_"

    private static func whole(_ s: [UInt8], _ body: (inout Scanner) -> Bool) -> Bool {
        var sc = Scanner(s)
        return body(&sc) && sc.atEnd
    }

    private static func isInt(_ s: [UInt8], yaml11: Bool) -> Bool {
        let alternatives: [(inout Scanner) -> Bool] =
            yaml11
            ? [
                {
                    $0.takeSign()
                    return $0.takeLiteral("0b") && $0.takeRun("01_")
                },
                {
                    $0.takeSign()
                    return $0.takeRun("01234567_")
                },
                {
                    $0.takeSign()
                    return $0.take("0") && $0.atEnd
                },
                {
                    $0.takeSign()
                    return $0.takeAny("123456789") && ($0.takeRun(digitsUnderscore) || true)
                },
                {
                    $0.takeSign()
                    return $0.takeLiteral("0x") && $0.takeRun("0123456789abcdefABCDEF_")
                },
                { sc in
                    sc.takeSign()
                    guard sc.takeAny("123456789") else { return false }
                    _ = sc.takeRun(digitsUnderscore)
                    return sexagesimalTail(&sc, requireOne: true)
                },
            ]
            : [
                {
                    $0.takeSign()
                    return $0.takeLiteral("0b") && $0.takeRun("01_")
                },
                {
                    $0.takeSign()
                    return $0.takeLiteral("0o") && $0.takeRun("01234567_")
                },
                {
                    $0.takeSign()
                    return $0.takeRun(digitsUnderscore)
                },
                {
                    $0.takeSign()
                    return $0.takeLiteral("0x") && $0.takeRun("0123456789abcdefABCDEF_")
                },
            ]
        return alternatives.contains { whole(s, $0) }
    }

    /// `(?::[0-5]?[0-9])+`
    private static func sexagesimalTail(_ sc: inout Scanner, requireOne: Bool) -> Bool {
        var count = 0
        while sc.peek() == UInt8(ascii: ":") {
            sc.i += 1
            if let a = sc.peek(), let b = sc.peek(1), (0x30...0x35).contains(a), (0x30...0x39).contains(b) {
                sc.i += 2
            } else if sc.takeAny(digits) {
            } else {
                return false
            }
            count += 1
        }
        return !requireOne || count > 0
    }

    /// `[eE][-+]?[0-9]+` (or with a mandatory sign).
    private static func exponent(_ sc: inout Scanner, signRequired: Bool) -> Bool {
        guard sc.takeAny("eE") else { return false }
        if !sc.takeAny("-+") && signRequired { return false }
        return sc.takeRun(digits)
    }

    private static func isFloat(_ s: [UInt8], yaml11: Bool) -> Bool {
        var alternatives: [(inout Scanner) -> Bool] = [
            // [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
            { sc in
                sc.takeSign()
                guard sc.takeAny(digits) else { return false }
                _ = sc.takeRun(digitsUnderscore)
                guard sc.take(".") else { return false }
                _ = sc.takeRun(digitsUnderscore)
                if sc.atEnd { return true }
                return exponent(&sc, signRequired: false)
            },
            // [-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
            { sc in
                sc.takeSign()
                guard sc.takeAny(digits) else { return false }
                _ = sc.takeRun(digitsUnderscore)
                return exponent(&sc, signRequired: false)
            },
            // [-+]?\.(?:inf|Inf|INF)
            { sc in
                sc.takeSign()
                return sc.take(".") && (sc.takeLiteral("inf") || sc.takeLiteral("Inf") || sc.takeLiteral("INF"))
            },
            // \.(?:nan|NaN|NAN)
            { sc in sc.take(".") && (sc.takeLiteral("nan") || sc.takeLiteral("NaN") || sc.takeLiteral("NAN")) },
        ]
        // 1.2: [-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?   1.1: the same without the sign.
        alternatives.append { sc in
            if !yaml11 { sc.takeSign() }
            guard sc.take("."), sc.takeRun(digitsUnderscore) else { return false }
            if sc.atEnd { return true }
            return exponent(&sc, signRequired: true)
        }
        if yaml11 {
            // [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
            alternatives.append { sc in
                sc.takeSign()
                guard sc.takeAny(digits) else { return false }
                _ = sc.takeRun(digitsUnderscore)
                guard sexagesimalTail(&sc, requireOne: true), sc.take(".") else { return false }
                _ = sc.takeRun(digitsUnderscore)
                return true
            }
        }
        return alternatives.contains { whole(s, $0) }
    }

    private static func isTimestamp(_ s: [UInt8]) -> Bool {
        func digitCount(_ sc: inout Scanner, min: Int, max: Int) -> Bool {
            var n = 0
            while n < max, sc.takeAny(digits) { n += 1 }
            return n >= min
        }
        // [0-9]{4}-[0-9]{2}-[0-9]{2}
        let dateOnly = whole(s) { sc in
            digitCount(&sc, min: 4, max: 4) && sc.take("-") && digitCount(&sc, min: 2, max: 2) && sc.take("-")
                && digitCount(&sc, min: 2, max: 2)
        }
        if dateOnly { return true }
        return whole(s) { sc in
            guard digitCount(&sc, min: 4, max: 4), sc.take("-"), digitCount(&sc, min: 1, max: 2), sc.take("-"),
                digitCount(&sc, min: 1, max: 2)
            else { return false }
            if !sc.takeAny("Tt") && !sc.takeRun(" \t") { return false }
            guard digitCount(&sc, min: 1, max: 2), sc.take(":"), digitCount(&sc, min: 2, max: 2), sc.take(":"),
                digitCount(&sc, min: 2, max: 2)
            else { return false }
            if sc.take(".") { _ = sc.takeRun(digits) }
            if sc.atEnd { return true }
            _ = sc.takeRun(" \t")
            if sc.take("Z") { return true }
            guard sc.takeAny("-+"), digitCount(&sc, min: 1, max: 2) else { return false }
            if sc.take(":") { return digitCount(&sc, min: 2, max: 2) }
            return true
        }
    }
}
