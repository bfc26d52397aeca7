// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// Checks signatures over keys the way GnuPG 2.2.40 does (`check_signature_over_key_or_uid`,
/// `check_signature_end`, `check_backsig`): what a certification, binding, back-signature or revocation covers, and
/// which failures make it invalid.
enum NativeKeySignatures {
    /// What a key signature is over.
    enum Target {
        /// The primary key alone: direct-key signatures (0x1F) and key revocations (0x20).
        case primaryKey
        /// A user id: certifications (0x10–0x13) and certification revocations (0x30).
        case userID([UInt8])
        /// A subkey: binding signatures (0x18), subkey revocations (0x28) and, made by the subkey, back-signatures
        /// (0x19).
        case subkey(NativePublicKey)
    }

    enum Outcome: Equatable {
        case valid
        case invalid
        /// GnuPG could decide, this library cannot (a hash or key algorithm it does not compute).
        case unsupported(String)
    }

    /// Checks `signature` by `signer` over `target` of `primary`'s key.
    static func check(
        _ signature: NativeSignature, signer: NativePublicKey, primary: NativePublicKey, target: Target,
        limits: InputLimits
    ) -> Outcome {
        let hash = Int(signature.hashAlgorithm)
        guard [1, 2, 3, 16, 17, 18, 19, 22].contains(Int(signature.publicKeyAlgorithm)),
            OpenPGPHash.gnupgSupports(hash)
        else { return .invalid }
        // `check_signature_metadata_validity` would call a key newer than its signature a time conflict, but the
        // GPGME path's homes set `ignore-time-conflict` (KeyringHome), so GnuPG accepts it there, and so does this.
        guard hash != OpenPGPHash.md5 else { return .invalid }  // GnuPG's default weak digest
        guard
            signature.publicKeyAlgorithm == signer.algorithm
                || (signature.publicKeyAlgorithm <= 3 && signer.algorithm <= 3)
        else { return .invalid }
        var parts: [ArraySlice<UInt8>] = [primary.hashPrefix[...], primary.body[...]]
        switch target {
        case .primaryKey:
            break
        case .userID(let text):
            if signature.isV4 {
                let count = text.count
                parts.append(
                    [
                        0xB4, UInt8(count >> 24 & 0xFF), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF),
                        UInt8(count & 0xFF),
                    ][...])
            }
            parts.append(text[...])
        case .subkey(let subkey):
            parts.append(subkey.hashPrefix[...])
            parts.append(subkey.body[...])
        }
        parts.append(signature.trailer[...])
        guard let digest = ComputedDigest.compute(hash, parts) else {
            return .unsupported("key signatures over \(OpenPGPHash.gpgmeName(hash))")
        }
        switch NativeSignatureCheck.verify(
            signature.values, digest: digest, hashAlgorithm: hash, key: signer, limits: limits)
        {
        case .good: return signature.unknownCritical ? .invalid : .valid
        case .bad, .gnupgError: return .invalid
        case .unsupported(let reason): return .unsupported(reason)
        }
    }
}
