// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// One key block through GnuPG 2.2.40's import rules (`g10/import.c`: `import_one_real`, `chk_self_sigs`,
/// `delete_inv_parts`), then through ``NativeKeyMerge``.
///
/// Only the canonical layout `gpg --export` writes is modelled — primary key, its direct signatures, user ids each
/// with their signatures, subkeys each with their signatures. Anything else (user attributes, user ids after
/// subkeys, designated revokers, self-signatures that expire) is reported as unsupported so the caller falls back
/// to GPGME, because GnuPG's treatment of it depends on lookups or on its clock.
enum NativeKeyImport {
    enum Result {
        /// GnuPG's `read_block` fails on a packet it cannot parse (`GPG_ERR_INV_PACKET`) and stops the whole import
        /// there ("Invalid keyring"): this key and every later one are not imported.
        case stopped
        case imported(NativeKey)
        /// GnuPG would not import the key (no user id, no valid self-signature).
        case rejected(String)
        case unsupported(String)
    }

    /// A user id or subkey with the signatures that follow it.
    struct Component {
        var userID: [UInt8]?
        var subkey: NativePublicKey?
        var signatures: [NativeSignature]
        /// GnuPG's `NODE_GOOD_SELFSIG`.
        var good = false
    }

    static func importKey(_ packets: [NativePacket], limits: InputLimits) -> Result {
        let primary: NativePublicKey
        do throws(NativePublicKey.Unsupported) {
            primary = try NativePublicKey(body: packets[0].body)
        } catch {
            return .unsupported("a primary key: \(error.reason)")
        }
        var direct: [NativeSignature] = []
        var userIDs: [Component] = []
        var subkeys: [Component] = []
        for packet in packets.dropFirst() {
            switch packet.tag {
            case Packet.userID:
                guard subkeys.isEmpty else { return .unsupported("a user id after a subkey") }
                userIDs.append(Component(userID: packet.body, signatures: []))
            case Packet.publicSubkey:
                do throws(NativePublicKey.Unsupported) {
                    subkeys.append(Component(subkey: try NativePublicKey(body: packet.body), signatures: []))
                } catch {
                    return .unsupported("a subkey: \(error.reason)")
                }
            default:  // a signature
                let signature: NativeSignature
                do throws(NativeSignature.Failure) {
                    signature = try NativeSignature(body: packet.body[...])
                } catch .invalidPacket {
                    return .stopped
                } catch {
                    // GnuPG reads these (a packet under 16 octets, an unknown algorithm) as signatures that never
                    // verify, so they change nothing.
                    continue
                }
                if signature.keyID == primary.keyID {
                    if signature.expireDate != 0 {
                        return .unsupported("a self-signature that expires (GnuPG judges it against its own clock)")
                    }
                    if signature.hashed.first(12) != nil {
                        return .unsupported("a designated revoker")
                    }
                }
                if !subkeys.isEmpty {
                    subkeys[subkeys.count - 1].signatures.append(signature)
                } else if !userIDs.isEmpty {
                    userIDs[userIDs.count - 1].signatures.append(signature)
                } else {
                    direct.append(signature)
                }
            }
        }
        guard !userIDs.isEmpty else { return .rejected("no user id") }
        let texts = userIDs.map(\.userID)
        guard Set(texts.map { $0 ?? [] }).count == texts.count else {
            return .unsupported("a user id given twice (GnuPG collapses them)")
        }

        // chk_self_sigs
        var checker = Checker(primary: primary, limits: limits)
        for signature in direct where signature.keyID == primary.keyID {
            if [0x10, 0x11, 0x12, 0x13, 0x30].contains(signature.sigClass) {
                return .rejected("a certification before any user id")
            }
        }
        direct = checker.keep(direct, over: .primaryKey, where: { $0.sigClass == 0x1F })
        for index in userIDs.indices {
            for signature in userIDs[index].signatures
            where signature.keyID == primary.keyID && [0x10, 0x11, 0x12, 0x13, 0x30].contains(signature.sigClass) {
                switch checker.check(signature, over: .userID(userIDs[index].userID!)) {
                case .valid: userIDs[index].good = true
                case .invalid: break
                case .unsupported(let reason): return .unsupported(reason)
                }
                if userIDs[index].good { break }
            }
            // Bindings and subkey revocations before any subkey are dropped; direct-key signatures here are
            // checked but never used.
            userIDs[index].signatures.removeAll {
                $0.keyID == primary.keyID && ($0.sigClass == 0x18 || $0.sigClass == 0x28)
            }
        }
        for index in subkeys.indices {
            let subkey = subkeys[index].subkey!
            var kept: [NativeSignature] = []
            var newestBinding: (index: Int, time: UInt32)?
            var newestRevocation: (index: Int, time: UInt32)?
            for signature in subkeys[index].signatures {
                guard signature.keyID == primary.keyID, signature.sigClass == 0x18 || signature.sigClass == 0x28
                else {
                    kept.append(signature)
                    continue
                }
                switch checker.check(signature, over: .subkey(subkey)) {
                case .invalid: continue
                case .unsupported(let reason): return .unsupported(reason)
                case .valid: break
                }
                if signature.sigClass == 0x18 {
                    subkeys[index].good = true
                    if let newest = newestBinding, signature.timestamp < newest.time { continue }
                    if let newest = newestBinding { kept[newest.index].sigClass = 0xFF }  // deleted below
                    newestBinding = (kept.count, signature.timestamp)
                } else {
                    if let newest = newestRevocation, signature.timestamp < newest.time { continue }
                    if let newest = newestRevocation { kept[newest.index].sigClass = 0xFF }
                    newestRevocation = (kept.count, signature.timestamp)
                }
                kept.append(signature)
            }
            subkeys[index].signatures = kept.filter { $0.sigClass != 0xFF }
        }
        if let reason = checker.unsupportedReason { return .unsupported(reason) }

        // delete_inv_parts
        userIDs.removeAll { !$0.good }
        guard !userIDs.isEmpty else { return .rejected("no valid user IDs") }
        subkeys.removeAll { !$0.good }
        func droppedEverywhere(_ signature: NativeSignature) -> Bool {
            let algorithm = signature.publicKeyAlgorithm
            if ![1, 2, 3, 16, 17, 18, 19, 22].contains(algorithm) && algorithm != 1 { return true }
            let exportable = signature.hashed.first(4) ?? signature.unhashed.first(4)
            if let exportable, exportable.first == 0 { return true }
            return ![0x10, 0x11, 0x12, 0x13, 0x18, 0x1F, 0x20, 0x28, 0x30].contains(signature.sigClass)
        }
        var revocations: [NativeSignature] = []
        for signature in direct where !droppedEverywhere(signature) && signature.sigClass == 0x20 {
            guard signature.keyID == primary.keyID else { continue }
            switch checker.check(signature, over: .primaryKey) {
            case .valid: revocations.append(signature)
            case .invalid: continue
            case .unsupported(let reason): return .unsupported(reason)
            }
        }
        direct = direct.filter { !droppedEverywhere($0) && $0.sigClass == 0x1F } + revocations
        for index in userIDs.indices {
            userIDs[index].signatures.removeAll { droppedEverywhere($0) || $0.sigClass == 0x20 }
        }
        for index in subkeys.indices {
            subkeys[index].signatures.removeAll { droppedEverywhere($0) }
        }
        if let reason = checker.unsupportedReason { return .unsupported(reason) }
        return NativeKeyMerge.merge(
            primary: primary, direct: direct, userIDs: userIDs, subkeys: subkeys, checker: &checker)
    }

    /// Self-signature checks with their results remembered (GnuPG caches them the same way).
    struct Checker {
        let primary: NativePublicKey
        let limits: InputLimits
        private(set) var unsupportedReason: String?

        init(primary: NativePublicKey, limits: InputLimits) {
            self.primary = primary
            self.limits = limits
        }

        mutating func check(_ signature: NativeSignature, over target: NativeKeySignatures.Target)
            -> NativeKeySignatures.Outcome
        {
            let outcome = NativeKeySignatures.check(
                signature, signer: primary, primary: primary, target: target, limits: limits)
            if case .unsupported(let reason) = outcome, unsupportedReason == nil { unsupportedReason = reason }
            return outcome
        }

        /// Notes a reason the key cannot be modelled (the first one wins).
        mutating func markUnsupported(_ reason: String) {
            if unsupportedReason == nil { unsupportedReason = reason }
        }

        /// Keeps the self-signatures matching `filter` that verify, and every other signature.
        mutating func keep(
            _ signatures: [NativeSignature], over target: NativeKeySignatures.Target,
            where filter: (NativeSignature) -> Bool
        ) -> [NativeSignature] {
            var kept: [NativeSignature] = []
            for signature in signatures {
                if signature.keyID == primary.keyID, filter(signature), check(signature, over: target) != .valid {
                    continue
                }
                kept.append(signature)
            }
            return kept
        }
    }
}
