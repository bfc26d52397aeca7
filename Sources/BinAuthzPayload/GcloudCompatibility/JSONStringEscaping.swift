// SPDX-License-Identifier: Apache-2.0

/// The two JSON string spellings the payload writers must reproduce byte for byte.
enum JSONStringEscaping {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendUnicodeEscape(_ value: UInt32, to out: inout [UInt8]) {
        out += [UInt8(ascii: "\\"), UInt8(ascii: "u")]
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)])
        }
    }

    /// The escapes both spellings share: `"` and `\` backslash-escaped, and `\n \r \t \b \f`. Returns whether
    /// `scalar` was one of them (and was written).
    private static func appendShortEscape(_ scalar: Unicode.Scalar, to out: inout [UInt8]) -> Bool {
        let escaped: UInt8
        switch scalar {
        case "\"": escaped = UInt8(ascii: "\"")
        case "\\": escaped = UInt8(ascii: "\\")
        case "\n": escaped = UInt8(ascii: "n")
        case "\r": escaped = UInt8(ascii: "r")
        case "\t": escaped = UInt8(ascii: "t")
        case "\u{08}": escaped = UInt8(ascii: "b")
        case "\u{0C}": escaped = UInt8(ascii: "f")
        default: return false
        }
        out += [UInt8(ascii: "\\"), escaped]
        return true
    }

    /// Python's `json.dumps(..., ensure_ascii=True)` (`py_encode_basestring_ascii`): `"` and `\` escaped,
    /// `\n \r \t \b \f` as short escapes, everything else outside `' '...'~'` as `\uXXXX` (lower-case hex,
    /// UTF-16 surrogate pairs above U+FFFF).
    static func pythonASCII(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            if appendShortEscape(scalar, to: &out) { continue }
            switch scalar {
            case " "..."~": out.append(UInt8(scalar.value))
            default:
                if scalar.value > 0xFFFF {
                    let v = scalar.value - 0x10000
                    appendUnicodeEscape(0xD800 | (v >> 10), to: &out)
                    appendUnicodeEscape(0xDC00 | (v & 0x3FF), to: &out)
                } else {
                    appendUnicodeEscape(scalar.value, to: &out)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Go's `encoding/json` (1.22+): `"` and `\` escaped, `\n \r \t \b \f` as short escapes, other control
    /// characters and `< > &`, U+2028, U+2029 as `\u00XX`; other non-ASCII written as UTF-8.
    static func go(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            if appendShortEscape(scalar, to: &out) { continue }
            switch scalar {
            case "<", ">", "&", "\u{2028}", "\u{2029}": appendUnicodeEscape(scalar.value, to: &out)
            default:
                if scalar.value < 0x20 {
                    appendUnicodeEscape(scalar.value, to: &out)
                } else {
                    out += Array(String(scalar).utf8)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
