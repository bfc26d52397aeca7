// SPDX-License-Identifier: Apache-2.0

/// Text from input (image names, reasons that quote them, file contents) made safe to print on a terminal.
package enum TextSafety {
    /// `text` with control characters — C0 (line breaks included), DEL, C1 — and the bidirectional-override marks
    /// that reorder what a terminal shows (U+202A–U+202E, U+2066–U+2069) written as `\u{…}`. Everything else,
    /// non-ASCII text included, is kept.
    package static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
