// SPDX-License-Identifier: Apache-2.0

/// An OpenPGP v4 key fingerprint: 20 bytes, written as 40 upper-case hexadecimal digits.
///
/// This is the Binary Authorization PGP public key id: "the OpenPGP RFC 4880 V4 fingerprint, represented as
/// upper-case hex" of the **primary** key. Compare it with an attestation's `publicKeyId` using ``hex``, which
/// is exactly how the service compares ids (case-sensitive).
///
/// ```swift
/// let fpr = try PGPFingerprint(validating: "e50abde5a0c05db317479494c111af41b88ecc96")
/// fpr.hex    // "E50ABDE5A0C05DB317479494C111AF41B88ECC96"
/// fpr.keyID  // "C111AF41B88ECC96"
/// ```
public struct PGPFingerprint: Hashable, Comparable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// The fingerprint as 40 upper-case hexadecimal digits.
    public let hex: String

    /// Parses 40 hexadecimal digits (either case; no spaces, no `0x`).
    ///
    /// Returns `nil` for anything else.
    public init?(_ description: String) {
        guard description.utf8.count == 40, description.utf8.allSatisfy(\.isHexDigit) else { return nil }
        hex = description.uppercased()
    }

    /// Parses 40 hexadecimal digits (either case), throwing a clear error for anything else.
    ///
    /// - Parameter text: The fingerprint text.
    /// - Throws: ``PGPError/Code/invalidArgument`` when `text` is not 40 hexadecimal digits.
    public init(validating text: String) throws(PGPError) {
        guard let value = PGPFingerprint(text) else {
            throw PGPError(
                code: .invalidArgument,
                message: "'\(text.prefix(64))' is not an OpenPGP v4 fingerprint (expected 40 hexadecimal digits)")
        }
        self = value
    }

    /// Creates a fingerprint from its 20 bytes.
    init(bytes: some Sequence<UInt8>) {
        hex = Hex.encode(bytes)
    }

    /// The 64-bit key id: the last 16 hex digits of the fingerprint.
    public var keyID: String { String(hex.suffix(16)) }

    public var description: String { hex }

    public static func < (lhs: PGPFingerprint, rhs: PGPFingerprint) -> Bool { lhs.hex < rhs.hex }
}

extension UInt8 {
    var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}

/// Upper-case hexadecimal encoding.
enum Hex {
    private static let digits = Array("0123456789ABCDEF".utf8)

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
