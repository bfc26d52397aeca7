// SPDX-License-Identifier: Apache-2.0

import Crypto

/// A v4 public key or public subkey packet (RFC 4880 §5.5.2) with the key material the native verifier can use.
///
/// Key material of algorithms this library does not verify with (ECDH, Elgamal, DSA, other curves) is kept as the
/// raw packet body: such keys can still be *bound* (their binding signatures are made by the primary key), but a
/// signature *by* them falls back to GPGME.
struct NativePublicKey: Sendable {
    enum Material: Sendable {
        case rsa(n: [UInt8], e: [UInt8])
        case ecdsa(Curve, point: [UInt8])
        case ed25519(point: [UInt8])
        /// Anything else: the algorithm (and curve name) for messages.
        case other(String)
    }

    enum Curve: Sendable {
        case p256, p384, p521

        /// The bit size GnuPG uses to size the hash (`ecdsa_qbits_from_Q`), P-521 capped at 512 as GnuPG caps it.
        var hashBits: Int {
            switch self {
            case .p256: 256
            case .p384: 384
            case .p521: 512
            }
        }

        /// The octet length of one coordinate and of r and s.
        var fieldBytes: Int {
            switch self {
            case .p256: 32
            case .p384: 48
            case .p521: 66
            }
        }
    }

    /// The whole packet body, as it is hashed into fingerprints and key signatures.
    let body: [UInt8]
    let created: UInt32
    let algorithm: UInt8
    let material: Material
    let fingerprint: PGPFingerprint
    let keyID: UInt64

    /// Why a key packet cannot be modelled.
    struct Unsupported: Error {
        let reason: String
    }

    init(body: [UInt8]) throws(Unsupported) {
        var cursor = NativeSignature.Cursor(body[...])
        func read<T>(_ step: (inout NativeSignature.Cursor) throws(NativeSignature.Failure) -> T) throws(Unsupported)
            -> T
        {
            do throws(NativeSignature.Failure) {
                return try step(&cursor)
            } catch {
                throw Unsupported(reason: "a truncated public key packet")
            }
        }
        let version = try read { (c) throws(NativeSignature.Failure) in try c.byte() }
        guard version == 4 else { throw Unsupported(reason: "a v\(version) key packet") }
        guard body.count <= 0xFFFF else { throw Unsupported(reason: "a key packet longer than 65535 octets") }
        self.body = body
        created = try read { (c) throws(NativeSignature.Failure) in try c.uint32() }
        algorithm = try read { (c) throws(NativeSignature.Failure) in try c.byte() }
        switch algorithm {
        case 1, 2, 3:
            let n = try read { (c) throws(NativeSignature.Failure) in try c.canonicalMPI() }
            let e = try read { (c) throws(NativeSignature.Failure) in try c.canonicalMPI() }
            guard let n, let e else {
                // GnuPG re-encodes MPIs to fingerprint and hash a key; a non-minimal MPI would hash differently.
                throw Unsupported(reason: "an RSA key with a non-minimal MPI")
            }
            material = .rsa(n: n, e: e)
        case 19, 22:
            let oidLength = Int(try read { (c) throws(NativeSignature.Failure) in try c.byte() })
            let oid = Array(try read { (c) throws(NativeSignature.Failure) in try c.take(oidLength) })
            let canonical = try read { (c) throws(NativeSignature.Failure) in try c.canonicalMPI() }
            guard let point = canonical else {
                // As for RSA: GnuPG fingerprints and hashes the key with the point's bit count recomputed, so a
                // packet that states another count (0x0301 for a 771-bit P-384 point) hashes differently here.
                throw Unsupported(reason: "an EC key with a non-minimal MPI")
            }
            let curve = KeyPacket.curveName(oid[...])
            switch (algorithm, curve) {
            case (19, "nistp256"): material = .ecdsa(.p256, point: point)
            case (19, "nistp384"): material = .ecdsa(.p384, point: point)
            case (19, "nistp521"): material = .ecdsa(.p521, point: point)
            case (22, "ed25519") where point.count == 33 && point[0] == 0x40:
                material = .ed25519(point: Array(point.dropFirst()))
            default:
                // An unknown curve is most often a damaged OID length: GnuPG then misreads the point, fails to parse
                // the packet and stops the import (no key at all), where hashing the packet as written would only
                // make the self-signature bad. Either way GnuPG is the one to ask.
                throw Unsupported(reason: "an \(algorithm == 19 ? "ECDSA" : "EdDSA") key on curve \(curve)")
            }
        default:
            material = .other(KeyPacket.algorithmNames[algorithm] ?? "algorithm \(algorithm)")
        }
        if case .other = material {
        } else if cursor.remaining != 0 {
            // GnuPG skips such octets and leaves them out of the fingerprint; this library hashes the body whole.
            throw Unsupported(reason: "octets after the key material")
        }
        var hasher = Insecure.SHA1()
        hasher.update(data: [0x99, UInt8(body.count >> 8), UInt8(body.count & 0xFF)])
        hasher.update(data: body)
        let digest = Array(hasher.finalize())
        fingerprint = PGPFingerprint(bytes: digest)
        keyID = digest.suffix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The octets a key signature hashes for this key: `0x99 ‖ length ‖ body` (RFC 4880 §5.2.4).
    var hashPrefix: [UInt8] { [0x99, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] }

    /// Usage bits GnuPG assumes for the algorithm (`openpgp_pk_algo_usage`).
    var algorithmUsage: KeyUsage {
        switch algorithm {
        case 1: [.certify, .sign, .encrypt, .authenticate]
        case 2, 18, 16: [.encrypt]
        case 3: [.certify, .sign]
        case 17, 19, 22: [.certify, .sign, .authenticate]
        default: []
        }
    }

    /// Whether GnuPG 2.2.40 supports the algorithm at all (`openpgp_pk_test_algo`).
    var gnupgSupportsAlgorithm: Bool { [1, 2, 3, 16, 17, 18, 19, 22].contains(algorithm) }
}

/// Key usage as GnuPG tracks it (`PUBKEY_USAGE_*`).
struct KeyUsage: OptionSet, Sendable, Hashable {
    let rawValue: Int
    static let sign = KeyUsage(rawValue: 1)
    static let encrypt = KeyUsage(rawValue: 2)
    static let certify = KeyUsage(rawValue: 4)
    static let authenticate = KeyUsage(rawValue: 8)
    static let unknown = KeyUsage(rawValue: 128)
    /// Key flags were given but name no usage.
    static let none = KeyUsage(rawValue: 256)

    /// GnuPG's `parse_key_usage` over a signature's hashed key-flags subpacket; empty when there is none.
    init(keyFlagsOf signature: NativeSignature) {
        guard let flags = signature.hashed.first(SubpacketArea.keyFlags) else {
            self = []
            return
        }
        guard var first = flags.first else {
            self = .none
            return
        }
        var usage: KeyUsage = []
        if first & 1 != 0 {
            usage.insert(.certify)
            first &= ~1
        }
        if first & 2 != 0 {
            usage.insert(.sign)
            first &= ~2
        }
        if first & 0x0C != 0 {
            usage.insert(.encrypt)
            first &= ~0x0C
        }
        if first & 0x20 != 0 {
            usage.insert(.authenticate)
            first &= ~0x20
        }
        if first != 0 { usage.insert(.unknown) }
        self = usage.isEmpty ? .none : usage
    }

    init(rawValue: Int) { self.rawValue = rawValue }
}
