// SPDX-License-Identifier: Apache-2.0

/// A string compared and hashed by its exact UTF-8 bytes.
///
/// Swift's `String` equality is Unicode canonical equivalence: `"é"` (U+00E9) equals `"e\u{301}"`, and both hash
/// alike. Registries, Kubernetes, gcloud (Python `str`) and the API compare identifiers code unit for code unit,
/// so an image, digest, key id, rule key or resource name that is canonically equivalent to another but spelled with
/// other bytes is another identity. Every identity comparison of the library goes through this type (or compares
/// `utf8` views), never through `String ==`.
package struct ExactString: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    package let string: String

    package init(_ string: String) { self.string = string }
    package init(stringLiteral value: String) { self.string = value }

    package static func == (lhs: ExactString, rhs: ExactString) -> Bool {
        lhs.string.utf8.elementsEqual(rhs.string.utf8)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(string.utf8.count)
        for byte in string.utf8 { hasher.combine(byte) }
    }

    package var description: String { string }
}

extension String {
    /// Whether the two strings are the same bytes (not merely canonically equivalent, as `==` decides).
    package func isIdentical(to other: String) -> Bool { utf8.elementsEqual(other.utf8) }
}
