// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// What GnuPG 2.2.40 reports, through GPGME, for the signatures of a message (`g10/mainproc.c`
/// `check_sig_and_print`, `g10/sig-check.c` `check_signature2`), computed without GnuPG.
///
/// The checks run in GnuPG's order, because the first failure decides the status GPGME reports:
/// hash known → signature class → public-key algorithm known → hash announced by a one-pass signature → key in
/// the keyring → key valid → MD5 refused → key may sign → the mathematics
/// (ECDSA first refuses a hash shorter than the curve) → unknown critical subpacket → a signing subkey's
/// back-signature (missing or invalid: `GPG_ERR_GENERAL`, as `--require-cross-certification` is GnuPG's default).
///
/// GnuPG runs with `--batch` under GPGME, so it stops after the first bad signature: a message whose first
/// signature is bad is reported with that one signature only.
enum NativeSignatureReport {
    enum Outcome {
        case reported([SignatureJudge.ReportedSignature])
        /// GnuPG's answer does not depend on the signatures' contents.
        case decided(PGPVerificationResult)
        case unsupported(String)
    }

    static func report(_ message: NativeMessage, keyring: NativeKeyring, limits: InputLimits) -> Outcome {
        var reported: [SignatureJudge.ReportedSignature] = []
        for (index, body) in message.signatures.enumerated() {
            let signature: NativeSignature
            do throws(NativeSignature.Failure) {
                signature = try NativeSignature(body: body[...])
            } catch {
                if case .unsupported(let reason) = error { return .unsupported(reason) }
                // GPG_ERR_INV_PACKET: GnuPG stops reading and says NODATA before it checks any signature, and
                // GPGME fails the whole operation with "no data".
                return .decided(.failed(.notSigned("GnuPG found no signed OpenPGP data")))
            }
            let isLast = index == message.signatures.count - 1
            if !isLast && signature.expireDate != 0 {
                // GnuPG stops after a signature that has expired by its clock: whether the next ones are reported
                // depends on when it runs.
                return .unsupported("an expiring signature followed by another")
            }
            switch check(signature, message: message, keyring: keyring, limits: limits) {
            case .unsupported(let reason):
                return .unsupported(reason)
            case .error(let code):
                reported.append(errorReport(signature, code))
            case .bad:
                reported.append(
                    SignatureJudge.ReportedSignature(
                        fingerprint: signature.keyIDHex, status: .badSignature, statusMessage: "Bad signature",
                        created: 0, expires: 0, wrongKeyUsage: false, hashAlgorithm: Int(signature.hashAlgorithm),
                        hashAlgorithmName: OpenPGPHash.gpgmeName(Int(signature.hashAlgorithm))))
                return .reported(reported)
            case .good(let signer, let revoked):
                reported.append(
                    SignatureJudge.ReportedSignature(
                        fingerprint: signer.fingerprint.hex,
                        status: revoked ? .certificateRevoked : GPGErrorCode(rawValue: 0),
                        statusMessage: revoked ? "Certificate revoked" : "Success", created: Int(signature.timestamp),
                        expires: Int(signature.expireDate), wrongKeyUsage: false,
                        hashAlgorithm: Int(signature.hashAlgorithm),
                        hashAlgorithmName: OpenPGPHash.gpgmeName(Int(signature.hashAlgorithm))))
            }
        }
        return .reported(reported)
    }

    private enum Check {
        case good(NativePublicKey, revoked: Bool)
        case bad
        case error(GPGErrorCode)
        case unsupported(String)
    }

    private static func check(
        _ signature: NativeSignature, message: NativeMessage, keyring: NativeKeyring, limits: InputLimits
    ) -> Check {
        let hash = Int(signature.hashAlgorithm)
        guard OpenPGPHash.gnupgSupports(hash) else { return .error(.digestAlgorithm) }
        switch signature.sigClass {
        case 0x00, 0x01: break
        case 0x20: return .error(GPGErrorCode(rawValue: 52))  // GPG_ERR_NOT_PROCESSED: standalone revocation
        default: return .error(GPGErrorCode(rawValue: 32))  // GPG_ERR_SIG_CLASS
        }
        guard [1, 2, 3, 16, 17, 18, 19, 22].contains(signature.publicKeyAlgorithm) else {
            return .error(.publicKeyAlgorithm)
        }
        if !message.signaturesFirst && !message.announcedHashes.contains(hash) {
            return .error(.general)  // "signature digest conflict in message"
        }
        guard let (key, subkeyIndex) = keyring.signingKey(for: signature) else { return .error(.noPublicKey) }
        let signer: NativePublicKey
        let valid: Bool
        let usage: KeyUsage
        let revoked: Bool
        if let subkeyIndex {
            let subkey = key.subkeys[subkeyIndex]
            (signer, valid, usage, revoked) = (subkey.key, subkey.valid, subkey.usage, subkey.revoked)
        } else {
            (signer, valid, usage, revoked) = (key.primary, key.valid, key.usage, key.revoked)
        }
        guard valid else { return .error(GPGErrorCode(rawValue: 6)) }  // GPG_ERR_BAD_PUBKEY
        // No "time conflict" for a key newer than its signature: the GPGME path's homes set `ignore-time-conflict`
        // (KeyringHome), leaving the time rules to SignatureJudge at the evaluation time.
        guard hash != OpenPGPHash.md5 else { return .error(.digestAlgorithm) }
        guard usage.contains(.sign) else { return .error(.wrongKeyUsage) }
        guard
            signature.publicKeyAlgorithm == signer.algorithm
                || (signature.publicKeyAlgorithm <= 3 && signer.algorithm <= 3)
        else { return .unsupported("a signature whose algorithm differs from its key's") }
        guard let digest = ComputedDigest.compute(hash, [message.data[...], signature.trailer[...]]) else {
            return .unsupported("signatures over \(OpenPGPHash.gpgmeName(hash))")
        }
        switch NativeSignatureCheck.verify(
            signature.values, digest: digest, hashAlgorithm: hash, key: signer, limits: limits)
        {
        case .unsupported(let reason): return .unsupported(reason)
        case .gnupgError(let code): return .error(code)
        case .bad: return .bad
        case .good:
            if signature.unknownCritical { return .bad }
        }
        if let subkeyIndex, key.subkeys[subkeyIndex].backsig < 2 {
            return .error(.general)  // not cross-certified, or an invalid cross-certification
        }
        return .good(signer, revoked: revoked)
    }

    /// GnuPG's `ERRSIG` as GPGME reads it: the issuer fingerprint when the signature has one, else the key id.
    private static func errorReport(_ signature: NativeSignature, _ code: GPGErrorCode)
        -> SignatureJudge.ReportedSignature
    {
        SignatureJudge.ReportedSignature(
            fingerprint: signature.issuerFingerprint.map { Hex.encode($0) } ?? signature.keyIDHex, status: code,
            statusMessage: gpgErrorText(code), created: Int(signature.timestamp), expires: 0, wrongKeyUsage: false,
            hashAlgorithm: Int(signature.hashAlgorithm),
            hashAlgorithmName: OpenPGPHash.gpgmeName(Int(signature.hashAlgorithm)))
    }

    /// libgpg-error's text for the codes above (what `gpgme_strerror_r` prints for a code without a source).
    static func gpgErrorText(_ code: GPGErrorCode) -> String {
        switch code.rawValue {
        case 1: "General error"
        case 4: "Invalid public key algorithm"
        case 5: "Invalid digest algorithm"
        case 6: "Bad public key"
        case 8: "Bad signature"
        case 9: "No public key"
        case 32: "Invalid signature class"
        case 39: "Time conflict"
        case 52: "Data not processed"
        case 125: "Wrong key usage"
        default: "gpg error \(code.rawValue)"
        }
    }
}
