// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel

/// An OpenPGP key block read in pure Swift — no GnuPG, no temporary home: the primary keys it holds, their
/// subkeys and user ids, and their v4 fingerprints.
///
/// Use it to compute the Binary Authorization key id of an attestor's public key (what
/// `binauthz pgp fingerprint` prints), deterministically and in microseconds:
///
/// ```swift
/// let block = try PGPKeyBlock(armoredKey)         // ASCII-armored or binary
/// let keyID = try block.singleKey().fingerprint   // throws if the block holds 0 or 2+ primary keys
/// ```
///
/// Public key blocks (`gpg --export`) and secret key blocks (`gpg --export-secret-keys`) are both read; for a
/// secret key packet the public part is measured field by field (RSA, DSA, Elgamal, ECDH, ECDSA, EdDSA and the
/// RFC 9580 X25519/X448/Ed25519/Ed448 algorithms).
///
/// - Important: Nothing here checks a signature. The fingerprints identify the keys; whether a key is usable is
///   decided by GnuPG when the block is imported into an ``EphemeralKeyring``.
public struct PGPKeyBlock: Hashable, Sendable {
    /// A primary key with its subkeys.
    public struct Key: Hashable, Sendable {
        /// The primary key's v4 fingerprint: the Binary Authorization key id.
        public let fingerprint: PGPFingerprint
        /// Whether the block carries the secret part of the primary key.
        public let isSecret: Bool
        /// The algorithm, e.g. `RSA 2048`, `EdDSA ed25519`, `ECDSA nistp256`.
        public let algorithm: String
        /// The key creation time written in the key packet.
        public let createdAt: Date
        /// The user ids, in order, decoded as UTF-8.
        public let userIDs: [String]
        /// The subkeys, in order.
        public let subkeys: [Subkey]
    }

    /// A subkey of a ``Key``.
    public struct Subkey: Hashable, Sendable {
        /// The subkey's v4 fingerprint.
        public let fingerprint: PGPFingerprint
        /// Whether the block carries the secret part of the subkey.
        public let isSecret: Bool
        /// The algorithm, e.g. `RSA 2048`, `ECDH cv25519`.
        public let algorithm: String
        /// The subkey creation time written in the key packet.
        public let createdAt: Date
    }

    /// The primary keys, in the order they appear.
    public let keys: [Key]

    /// Revocation signatures found in the block (not verified; GnuPG decides whether a key is revoked).
    let revocations: [RevocationPacket]

    /// Reads a key block, ASCII-armored (one or more `-----BEGIN PGP … KEY BLOCK-----` blocks, LF or CRLF) or binary.
    ///
    /// - Parameters:
    ///   - bytes: The key block.
    ///   - limits: `InputLimits.maximumPGPKeyBytes`, `InputLimits.maximumPGPKeyPackets`
    ///     and `InputLimits.maximumRSAModulusBits` bound the block before any key is used.
    /// - Throws: ``PGPError/Code/malformedArmor``, ``PGPError/Code/malformedPacket``,
    ///   ``PGPError/Code/unsupportedKey`` (also for a key over a limit), or ``PGPError/Code/noKey`` when the data
    ///   holds no key.
    public init(_ bytes: [UInt8], limits: InputLimits = .default) throws(PGPError) {
        guard bytes.count <= limits.maximumPGPKeyBytes else {
            throw PGPError(
                code: .unsupportedKey,
                message:
                    "the key block is larger than \(limits.maximumPGPKeyBytes) bytes (InputLimits.maximumPGPKeyBytes)")
        }
        let parsed = try Self.parse(bytes, limits: limits)
        guard !parsed.keys.isEmpty else {
            throw PGPError(code: .noKey, message: "no OpenPGP key found (expected the output of `gpg --export`)")
        }
        keys = parsed.keys
        revocations = parsed.revocations
    }

    /// Reads an ASCII-armored key block given as text.
    ///
    /// - Parameter armored: The armored key text.
    /// - Throws: The errors of ``init(_:limits:)``.
    public init(armored: String, limits: InputLimits = .default) throws(PGPError) {
        try self.init(Array(armored.utf8), limits: limits)
    }

    /// The only primary key of the block, as an attestor key must be.
    ///
    /// - Returns: The single primary key.
    /// - Throws: ``PGPError/Code/multipleKeys`` ("expected 1 public key, got N", as kritis says) when the block holds
    ///   more than one primary key.
    public func singleKey() throws(PGPError) -> Key {
        guard keys.count == 1 else {
            throw PGPError(
                code: .multipleKeys,
                message:
                    "expected 1 public key, got \(keys.count) (\(keys.map(\.fingerprint.hex).joined(separator: ", ")))")
        }
        return keys[0]
    }

    /// The v4 fingerprint of the single primary key in `bytes`: the Binary Authorization PGP key id.
    ///
    /// - Parameter bytes: An armored or binary key block holding exactly one primary key.
    /// - Returns: The primary key's fingerprint.
    /// - Throws: The errors of ``init(_:limits:)`` and ``singleKey()``.
    public static func fingerprint(of bytes: [UInt8]) throws(PGPError) -> PGPFingerprint {
        try PGPKeyBlock(bytes).singleKey().fingerprint
    }

    // MARK: Parsing

    struct Parsed {
        var keys: [Key] = []
        var revocations: [RevocationPacket] = []
    }

    /// Walks the packets. Accepts blocks without keys (a bare revocation certificate).
    static func parse(_ bytes: [UInt8], limits: InputLimits = .default) throws(PGPError) -> Parsed {
        let data = try Armor.dearmorIfNeeded(bytes)
        let packets = try PacketReader.packets(data)
        guard packets.count <= limits.maximumPGPKeyPackets else {
            throw PGPError(
                code: .unsupportedKey,
                message:
                    "the key block has more than \(limits.maximumPGPKeyPackets) packets (InputLimits.maximumPGPKeyPackets)"
            )
        }
        func checkSize(_ key: KeyPacket) throws(PGPError) {
            if let bits = key.rsaModulusBits, bits > limits.maximumRSAModulusBits {
                throw PGPError(
                    code: .unsupportedKey,
                    message: "key \(key.fingerprint.hex) has a \(bits)-bit RSA modulus, more than "
                        + "\(limits.maximumRSAModulusBits) (InputLimits.maximumRSAModulusBits)")
            }
        }
        var parsed = Parsed()
        // The primary being assembled.
        var primary: KeyPacket?
        var userIDs: [String] = []
        var subkeys: [Subkey] = []
        var currentSubkey: PGPFingerprint?

        func finish() {
            guard let key = primary else { return }
            parsed.keys.append(
                Key(
                    fingerprint: key.fingerprint, isSecret: key.isSecret, algorithm: key.algorithmName,
                    createdAt: key.createdAt, userIDs: userIDs, subkeys: subkeys))
            primary = nil
            userIDs = []
            subkeys = []
            currentSubkey = nil
        }

        for packet in packets {
            switch packet.tag {
            case Packet.publicKey, Packet.secretKey:
                finish()
                let key = try KeyPacket(tag: packet.tag, body: packet.body)
                try checkSize(key)
                primary = key
            case Packet.publicSubkey, Packet.secretSubkey:
                guard primary != nil else {
                    throw PGPError(
                        code: .malformedPacket, message: "malformed OpenPGP data: a subkey comes before any primary key"
                    )
                }
                let subkey = try KeyPacket(tag: packet.tag, body: packet.body)
                try checkSize(subkey)
                subkeys.append(
                    Subkey(
                        fingerprint: subkey.fingerprint, isSecret: subkey.isSecret, algorithm: subkey.algorithmName,
                        createdAt: subkey.createdAt))
                currentSubkey = subkey.fingerprint
            case Packet.userID:
                if primary != nil {
                    userIDs.append(String(decoding: packet.body, as: UTF8.self))
                }
                currentSubkey = nil
            case Packet.signature:
                guard let signature = try? SignaturePacket(body: packet.body) else { continue }
                switch signature.type {
                case 0x20:  // key revocation: applies to the current primary, or (standalone) to its issuer
                    parsed.revocations.append(
                        RevocationPacket(
                            target: primary?.fingerprint, targetsSubkey: false, signature: signature))
                case 0x28 where currentSubkey != nil:  // subkey revocation
                    parsed.revocations.append(
                        RevocationPacket(target: currentSubkey, targetsSubkey: true, signature: signature))
                default:
                    break
                }
            default:
                break
            }
        }
        finish()
        return parsed
    }
}

/// An (unverified) revocation signature seen while parsing key material.
struct RevocationPacket: Sendable, Hashable {
    /// The revoked key, or `nil` for a standalone certificate (then the issuer identifies it).
    var target: PGPFingerprint?
    var targetsSubkey: Bool
    var created: UInt32?
    var reason: UInt8?
    var issuerKeyID: String?
    var issuerFingerprint: PGPFingerprint?

    init(target: PGPFingerprint?, targetsSubkey: Bool, signature: SignaturePacket) {
        self.target = target
        self.targetsSubkey = targetsSubkey
        created = signature.created
        reason = signature.revocationReason
        issuerKeyID = signature.issuerKeyID
        issuerFingerprint = signature.issuerFingerprint
    }

    /// Whether this revocation is for `fingerprint` (a primary or subkey).
    func applies(to fingerprint: PGPFingerprint, isSubkey: Bool) -> Bool {
        if let target { return target == fingerprint && targetsSubkey == isSubkey }
        guard !isSubkey else { return false }
        if let issuerFingerprint { return issuerFingerprint == fingerprint }
        if let issuerKeyID { return issuerKeyID == fingerprint.keyID }
        return false
    }
}

extension PGPKeyBlock: CustomStringConvertible {
    /// One line per key: fingerprint, algorithm and first user id.
    public var description: String {
        keys.map { "\($0.fingerprint) \($0.algorithm) \($0.userIDs.first ?? "")" }.joined(separator: "\n")
    }
}
