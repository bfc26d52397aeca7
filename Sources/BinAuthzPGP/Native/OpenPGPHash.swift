// SPDX-License-Identifier: Apache-2.0

import Crypto

/// OpenPGP hash algorithms (RFC 4880 §9.4) as the native verifier sees them: which GnuPG 2.2 knows, which this
/// library computes, and the names GPGME reports.
enum OpenPGPHash {
    static let md5 = 1
    static let sha1 = 2
    static let ripemd160 = 3
    static let sha256 = 8
    static let sha384 = 9
    static let sha512 = 10
    static let sha224 = 11

    /// What `gpgme_hash_algo_name` returns for an OpenPGP hash id, or `unknown` where it returns `NULL`.
    static func gpgmeName(_ id: Int) -> String {
        switch id {
        case 1: "MD5"
        case 2: "SHA1"
        case 3: "RIPEMD160"
        case 5: "MD2"
        case 6: "TIGER192"
        case 7: "HAVAL"
        case 8: "SHA256"
        case 9: "SHA384"
        case 10: "SHA512"
        case 11: "SHA224"
        default: "unknown"
        }
    }

    /// Whether GnuPG 2.2.40 (Debian's build, libgcrypt 1.10) can compute the hash: its `openpgp_md_test_algo`.
    static func gnupgSupports(_ id: Int) -> Bool { [1, 2, 3, 8, 9, 10, 11].contains(id) }

    /// Whether this library can compute the hash. RIPEMD-160 and MD5 are not needed: GnuPG refuses MD5 before
    /// hashing, and a RIPEMD-160 signature falls back to GPGME.
    static func computable(_ id: Int) -> Bool { [2, 8, 9, 10, 11].contains(id) }

    /// Digest length in bytes.
    static func length(_ id: Int) -> Int {
        switch id {
        case 1: 16
        case 2, 3: 20
        case 8: 32
        case 9: 48
        case 10: 64
        case 11: 28
        default: 0
        }
    }

    /// The DER `DigestInfo` prefix of PKCS #1 v1.5 signatures (RFC 8017 §9.2 note 1), for the hashes swift-crypto's
    /// RSA verification cannot take as a digest type.
    static func digestInfoPrefix(_ id: Int) -> [UInt8]? {
        switch id {
        case 11:
            [
                0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00,
                0x04, 0x1c,
            ]
        default: nil
        }
    }
}

/// A digest computed for a signature: its bytes, and the swift-crypto digest value when swift-crypto has the type
/// (RSA verification needs it to know the `DigestInfo`).
enum ComputedDigest {
    case sha1(Insecure.SHA1Digest)
    case sha256(SHA256Digest)
    case sha384(SHA384Digest)
    case sha512(SHA512Digest)
    case sha224([UInt8])

    var bytes: [UInt8] {
        switch self {
        case .sha1(let digest): Array(digest)
        case .sha256(let digest): Array(digest)
        case .sha384(let digest): Array(digest)
        case .sha512(let digest): Array(digest)
        case .sha224(let bytes): bytes
        }
    }

    /// Hashes the concatenation of `parts` with OpenPGP hash `id`, or returns `nil` for a hash this library does not
    /// compute.
    static func compute(_ id: Int, _ parts: [ArraySlice<UInt8>]) -> ComputedDigest? {
        switch id {
        case OpenPGPHash.sha1:
            var hasher = Insecure.SHA1()
            for part in parts { hasher.update(data: part) }
            return .sha1(hasher.finalize())
        case OpenPGPHash.sha256:
            var hasher = SHA256()
            for part in parts { hasher.update(data: part) }
            return .sha256(hasher.finalize())
        case OpenPGPHash.sha384:
            var hasher = SHA384()
            for part in parts { hasher.update(data: part) }
            return .sha384(hasher.finalize())
        case OpenPGPHash.sha512:
            var hasher = SHA512()
            for part in parts { hasher.update(data: part) }
            return .sha512(hasher.finalize())
        case OpenPGPHash.sha224:
            var hasher = SHA224Hasher()
            for part in parts { hasher.update(part) }
            return .sha224(hasher.finalize())
        default:
            return nil
        }
    }
}

/// Digest bytes handed to swift-crypto's ECDSA verification, which takes any length and truncates to the curve
/// order itself (BoringSSL's `ECDSA_do_verify`). Never pass this type to RSA verification: swift-crypto's RSA maps
/// digest *types* to algorithm identifiers and traps on an unknown one.
struct RawDigestBytes: Digest {
    let bytes: [UInt8]

    static var byteCount: Int { 64 }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    func makeIterator() -> IndexingIterator<[UInt8]> { bytes.makeIterator() }

    var description: String { "digest \(Hex.encode(bytes))" }
}
