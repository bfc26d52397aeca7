// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A primary key as GnuPG 2.2.40 holds it after `gpg --import` and merges its self-signatures (`merge_selfsigs`).
struct NativeKey: Sendable {
    var primary: NativePublicKey
    var userIDs: [String]
    /// At least one valid self-signature (GnuPG's `pk->flags.valid`).
    var valid: Bool
    /// A valid key revocation exists, at any date.
    var revoked: Bool
    var usage: KeyUsage
    /// Key expiry as a Unix time, 0 for none.
    var expires: UInt32
    var subkeys: [NativeSubkey]
}

/// A subkey as GnuPG holds it: bound, possibly revoked, with its usage, expiry and back-signature state.
struct NativeSubkey: Sendable {
    var key: NativePublicKey
    var valid: Bool
    var revoked: Bool
    var usage: KeyUsage
    var expires: UInt32
    /// GnuPG's `flags.backsig`: 0 no back-signature, 1 an invalid one, 2 a valid one.
    var backsig: Int
}

/// The keys a native verifier holds: what a verify-only ``EphemeralKeyring`` would hold after importing the same
/// key blocks, decided without GnuPG.
///
/// Import follows GnuPG's `import_one`: a key needs a user id with a valid self-signature; user ids and subkeys
/// without one are dropped, and so are invalid direct-key signatures, bindings and revocations; of several valid
/// bindings (or subkey revocations) only the newest stays. The merge follows `merge_selfsigs`: see
/// ``NativeKeyMerge``.
struct NativeKeyring: Sendable {
    private(set) var keys: [NativeKey] = []
    /// The keys as the GPGME path lists them (the input of ``SignatureJudge``).
    private(set) var listing: [PGPKey] = []
    private(set) var primaryOf: [PGPFingerprint: PGPFingerprint] = [:]
    /// Set when some key material is outside what this library models; every verification then falls back.
    private(set) var unsupportedReason: String?

    init(blocks: [[UInt8]], limits: InputLimits) throws(PGPError) {
        // The same checks, in the same order, as `EphemeralKeyring.importKeyBlocks` before GnuPG runs.
        var revocations: [RevocationPacket] = []
        for bytes in blocks {
            guard bytes.contains(where: { !$0.isWhitespaceASCII }) else {
                throw PGPError(code: .noKey, message: "no OpenPGP key found: the key material is empty")
            }
            let parsed: PGPKeyBlock.Parsed?
            do throws(PGPError) {
                parsed = try PGPKeyBlock.parse(bytes)
            } catch  where error.code == .malformedArmor {
                throw error
            } catch {
                parsed = nil
            }
            if let parsed {
                revocations += parsed.revocations
                if parsed.keys.contains(where: { $0.isSecret || $0.subkeys.contains(where: \.isSecret) }) {
                    throw PGPError(
                        code: .agentUnavailable,
                        message: "secret keys cannot be imported into a verification keyring; create it with "
                            + "EphemeralKeyring.Options.signing")
                }
            }
        }
        for bytes in blocks {
            try importBlock(bytes, limits: limits)
            if unsupportedReason != nil { return }
        }
        for key in keys {
            listing.append(Self.listed(key, revocations: revocations))
            primaryOf[key.primary.fingerprint] = key.primary.fingerprint
            for subkey in key.subkeys { primaryOf[subkey.key.fingerprint] = key.primary.fingerprint }
        }
    }

    /// The key or subkey GnuPG would pick for a signature (`get_pubkey_for_sig`): by the issuer fingerprint when
    /// the signature has one and it is in the keyring, else by the issuer key id.
    func signingKey(for signature: NativeSignature) -> (key: NativeKey, subkey: Int?)? {
        if let fingerprint = signature.issuerFingerprint {
            let wanted = PGPFingerprint(bytes: fingerprint)
            for key in keys {
                if key.primary.fingerprint == wanted { return (key, nil) }
                if let index = key.subkeys.firstIndex(where: { $0.key.fingerprint == wanted }) { return (key, index) }
            }
        }
        for key in keys {
            if key.primary.keyID == signature.keyID { return (key, nil) }
            if let index = key.subkeys.firstIndex(where: { $0.key.keyID == signature.keyID }) { return (key, index) }
        }
        return nil
    }

    // MARK: Import

    private mutating func unsupported(_ reason: String) {
        if unsupportedReason == nil { unsupportedReason = reason }
    }

    private mutating func importBlock(_ bytes: [UInt8], limits: InputLimits) throws(PGPError) {
        guard bytes.count <= limits.maximumPGPKeyBytes else {
            throw PGPError(
                code: .malformedPacket,
                message:
                    "the key block is larger than \(limits.maximumPGPKeyBytes) bytes (InputLimits.maximumPGPKeyBytes)")
        }
        let data: [UInt8]
        do throws(PGPError) {
            data = try Armor.dearmorIfNeeded(bytes)
        } catch {
            return unsupported("key material GnuPG may read differently (\(error.message))")
        }
        let packets: [NativePacket]
        do throws(NativePacketReader.Failure) {
            packets = try NativePacketReader.packets(data[...], maximumCount: limits.maximumPGPKeyPackets)
        } catch {
            return unsupported("a key block whose packets cannot be split (\(error))")
        }
        var blocks: [[NativePacket]] = []
        for packet in packets {
            switch packet.tag {
            case Packet.publicKey:
                blocks.append([packet])
            case Packet.marker, 12:  // markers and ring-trust packets: GnuPG skips them
                continue
            case Packet.signature, Packet.userID, Packet.publicSubkey:
                guard !blocks.isEmpty else {
                    return unsupported("packets before the first key (a standalone revocation or certification)")
                }
                blocks[blocks.count - 1].append(packet)
            default:
                return unsupported("a packet of type \(packet.tag) in a key block")
            }
        }
        guard !blocks.isEmpty else {
            throw PGPError(code: .noKey, message: "no OpenPGP key found (expected the output of `gpg --export`)")
        }
        var imported = 0
        for block in blocks {
            switch NativeKeyImport.importKey(block, limits: limits) {
            case .imported(let key):
                guard !keys.contains(where: { $0.primary.fingerprint == key.primary.fingerprint }) else {
                    return unsupported("the same key \(key.primary.fingerprint) given twice (GnuPG merges them)")
                }
                keys.append(key)
                imported += 1
            case .rejected:
                continue
            case .unsupported(let reason):
                return unsupported(reason)
            case .stopped:
                guard imported > 0 else {
                    throw PGPError(
                        code: .noKey, message: "no OpenPGP key found (GnuPG stops at a packet it cannot read)")
                }
                return
            }
        }
        guard imported > 0 else {
            throw PGPError(
                code: .importFailed,
                message: "GnuPG imported nothing from the key material (\(blocks.count) considered; keys need a user "
                    + "id and a valid self-signature)")
        }
    }

    /// The key as GnuPG's listing through GPGME shows it.
    private static func listed(_ key: NativeKey, revocations: [RevocationPacket]) -> PGPKey {
        let subkeys = key.subkeys.map { subkey in
            PGPSubkey(
                fingerprint: subkey.key.fingerprint, algorithm: subkey.key.algorithmName,
                createdAt: Date(timeIntervalSince1970: TimeInterval(subkey.key.created)),
                expiresAt: Timestamp.date(unix: Int(subkey.expires)),
                revocation: PGPRevocation.chosen(
                    among: revocations, for: subkey.key.fingerprint, subkey: true, revoked: subkey.revoked),
                canSign: subkey.usage.contains(.sign), canEncrypt: subkey.usage.contains(.encrypt))
        }
        return PGPKey(
            fingerprint: key.primary.fingerprint, userIDs: key.userIDs, algorithm: key.primary.algorithmName,
            createdAt: Date(timeIntervalSince1970: TimeInterval(key.primary.created)),
            expiresAt: Timestamp.date(unix: Int(key.expires)),
            revocation: PGPRevocation.chosen(
                among: revocations, for: key.primary.fingerprint, subkey: false, revoked: key.revoked),
            canSign: key.usage.contains(.sign), hasSecretKey: false, subkeys: subkeys)
    }
}

extension NativePublicKey {
    /// A short algorithm name for listings, e.g. `RSA 3072`, `EdDSA ed25519`.
    var algorithmName: String {
        switch material {
        case .rsa(let n, _): "RSA \(n.count * 8 - (n.first?.leadingZeroBitCount ?? 8))"
        case .ecdsa(let curve, _):
            switch curve {
            case .p256: "ECDSA nistp256"
            case .p384: "ECDSA nistp384"
            case .p521: "ECDSA nistp521"
            }
        case .ed25519: "EdDSA ed25519"
        case .other(let name): name
        }
    }
}
