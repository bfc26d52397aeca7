// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto
import CryptoExtras

/// The public-key step of verification: does `values` (the signature's MPIs) verify `digest` under `key`?
///
/// The digest is handed to swift-crypto as GnuPG hands it to libgcrypt (`encode_md_value`):
/// - RSA: PKCS #1 v1.5 over the digest with its `DigestInfo`; the modulus must be within the limits (outside them
///   the check is not done here, see `InputLimits`).
/// - ECDSA: the leftmost `min(curve bits, 512)` bits of the digest; a digest shorter than that is an error in
///   GnuPG (`GPG_ERR_GENERAL`), so a P-384 key cannot verify a SHA-256 signature.
/// - EdDSA (legacy algorithm 22): Ed25519 over the digest bytes themselves: in OpenPGP the EdDSA "message" is the
///   hash.
enum NativeSignatureCheck {
    /// The RSA moduli this verifier checks itself (swift-crypto's RSA needs at least 1024 bits); others fall back to
    /// GPGME, within `InputLimits.maximumRSAModulusBits`.
    static let nativeRSABits = 1024...8192

    enum Outcome: Equatable {
        case good
        case bad
        /// GnuPG fails the check with this error code before the mathematics (for example a too-short hash).
        case gnupgError(GPGErrorCode)
        case unsupported(String)
    }

    static func verify(
        _ values: [[UInt8]], digest: ComputedDigest, hashAlgorithm: Int, key: NativePublicKey, limits: InputLimits
    ) -> Outcome {
        switch key.material {
        case .rsa(let n, let e):
            return rsa(values, digest: digest, n: n, e: e, limits: limits)
        case .ecdsa(let curve, let point):
            return ecdsa(values, digest: digest.bytes, curve: curve, point: point)
        case .ed25519(let point):
            guard values.count == 2 else { return .bad }
            guard let r = leftPad(values[0], to: 32), let s = leftPad(values[1], to: 32) else { return .bad }
            guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: point) else { return .bad }
            return publicKey.isValidSignature(r + s, for: digest.bytes) ? .good : .bad
        case .other(let name):
            return .unsupported("signatures by \(name) keys")
        }
    }

    private static func rsa(
        _ values: [[UInt8]], digest: ComputedDigest, n: [UInt8], e: [UInt8], limits: InputLimits
    ) -> Outcome {
        let bits = n.count * 8 - (n.first?.leadingZeroBitCount ?? 8)
        guard bits <= limits.maximumRSAModulusBits else {
            return .unsupported(
                "an RSA key of \(bits) bits, more than \(limits.maximumRSAModulusBits) (InputLimits.maximumRSAModulusBits)"
            )
        }
        guard Self.nativeRSABits.contains(bits) else {
            return .unsupported(
                "an RSA key of \(bits) bits (verified in process only from \(Self.nativeRSABits.lowerBound) to "
                    + "\(Self.nativeRSABits.upperBound) bits)")
        }
        guard values.count == 1 else { return .bad }
        guard let signature = leftPad(values[0], to: n.count) else { return .bad }
        guard let key = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: subjectPublicKeyInfo(n: n, e: e)) else {
            return .unsupported("an RSA key swift-crypto refuses (exponent or modulus)")
        }
        let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
        let valid: Bool
        switch digest {
        case .sha1(let d): valid = key.isValidSignature(rsaSignature, for: d, padding: .insecurePKCS1v1_5)
        case .sha256(let d): valid = key.isValidSignature(rsaSignature, for: d, padding: .insecurePKCS1v1_5)
        case .sha384(let d): valid = key.isValidSignature(rsaSignature, for: d, padding: .insecurePKCS1v1_5)
        case .sha512(let d): valid = key.isValidSignature(rsaSignature, for: d, padding: .insecurePKCS1v1_5)
        case .sha224: return .unsupported("RSA signatures over SHA-224 (swift-crypto has no SHA-224 DigestInfo)")
        }
        return valid ? .good : .bad
    }

    private static func ecdsa(_ values: [[UInt8]], digest: [UInt8], curve: NativePublicKey.Curve, point: [UInt8])
        -> Outcome
    {
        guard digest.count >= curve.hashBits / 8 else { return .gnupgError(.general) }
        guard values.count == 2 else { return .bad }
        let size = curve.fieldBytes
        guard let r = leftPad(values[0], to: size), let s = leftPad(values[1], to: size) else { return .bad }
        let frame = RawDigestBytes(bytes: Array(digest.prefix(curve.hashBits / 8)))
        switch curve {
        case .p256:
            guard let key = try? P256.Signing.PublicKey(x963Representation: point),
                let signature = try? P256.Signing.ECDSASignature(rawRepresentation: r + s)
            else { return .bad }
            return key.isValidSignature(signature, for: frame) ? .good : .bad
        case .p384:
            guard let key = try? P384.Signing.PublicKey(x963Representation: point),
                let signature = try? P384.Signing.ECDSASignature(rawRepresentation: r + s)
            else { return .bad }
            return key.isValidSignature(signature, for: frame) ? .good : .bad
        case .p521:
            guard let key = try? P521.Signing.PublicKey(x963Representation: point),
                let signature = try? P521.Signing.ECDSASignature(rawRepresentation: r + s)
            else { return .bad }
            return key.isValidSignature(signature, for: frame) ? .good : .bad
        }
    }

    /// `value` as exactly `size` big-endian octets, or `nil` when it does not fit.
    static func leftPad(_ value: [UInt8], to size: Int) -> [UInt8]? {
        guard value.count <= size else { return nil }
        return [UInt8](repeating: 0, count: size - value.count) + value
    }

    // MARK: DER

    /// `SubjectPublicKeyInfo` for an RSA key (RFC 8017 A.1.1 inside RFC 5280 §4.1), written by hand: two integers.
    static func subjectPublicKeyInfo(n: [UInt8], e: [UInt8]) -> [UInt8] {
        let rsaPublicKey = der(0x30, derInteger(n) + derInteger(e))
        let algorithm = der(
            0x30, [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01] + [0x05, 0x00])
        return der(0x30, algorithm + der(0x03, [0x00] + rsaPublicKey))
    }

    private static func derInteger(_ magnitude: [UInt8]) -> [UInt8] {
        var content = Array(magnitude.drop { $0 == 0 })
        if content.isEmpty { content = [0] }
        if content[0] & 0x80 != 0 { content.insert(0, at: 0) }
        return der(0x02, content)
    }

    private static func der(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var length: [UInt8]
        if content.count < 0x80 {
            length = [UInt8(content.count)]
        } else {
            var count = content.count
            var octets: [UInt8] = []
            while count > 0 {
                octets.insert(UInt8(count & 0xFF), at: 0)
                count >>= 8
            }
            length = [0x80 | UInt8(octets.count)] + octets
        }
        return [tag] + length + content
    }
}
