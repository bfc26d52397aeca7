// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns GnuPG's verification output into a ``PGPVerificationResult`` at an evaluation time.
///
/// GnuPG's per-signature status says whether the signature is *cryptographically* good; it judges key expiry
/// against the wall clock, so `KEY_EXPIRED`, `SIG_EXPIRED` and `CERT_REVOKED` also mean "the math checks out". The
/// verdict on validity is made here, at the evaluation time, from the key records of the keyring. GnuPG's
/// trust-model bits (`summary`, `validity`) are never used: they are "unknown" for every key of a throwaway keyring.
enum SignatureJudge {
    /// Hash algorithms too weak for a signature to count (GnuPG/libgcrypt ids): MD5 and SHA-1.
    static let weakHashes: Set<Int> = [1, 2]

    static func judge(
        _ outcome: GPGContext.VerifyOutcome, keys: [PGPKey], primaryOf: [PGPFingerprint: PGPFingerprint], at time: Date
    ) throws(PGPError) -> PGPVerificationResult {
        let status = outcome.operationStatus
        if !status.isSuccess {
            switch status.code {
            case .noData:
                return .failed(.notSigned("GnuPG found no signed OpenPGP data"))
            case .badData, .invalidPacket, .unexpected:
                return .failed(.malformed(status.message))
            case .invalidEngine, .noAgent:
                throw status.error("verifying a signature")
            default:
                if status.code.isSystemError {  // an errno: the environment failed, not the input
                    throw status.error("verifying a signature")
                }
                return .failed(.gpgError(status.code, status.message))
            }
        }
        guard let signature = outcome.signatures.first else {
            return .failed(.notSigned("the message carries no signature"))
        }
        guard outcome.signatures.count == 1 else {
            return .failed(.multipleSignatures(outcome.signatures.count))
        }
        let issuer = signature.fingerprint.isEmpty ? nil : signature.fingerprint
        switch signature.status.code {
        case GPGErrorCode(rawValue: 0), .keyExpired, .signatureExpired, .certificateRevoked:
            break  // cryptographically good; validity is decided below at `time`
        case .badSignature:
            return .failed(.badSignature(issuer: issuer))
        case .noPublicKey:
            return .failed(.unknownKey(issuer: issuer))
        case .unsupportedAlgorithm, .digestAlgorithm, .publicKeyAlgorithm:
            return .failed(.weakAlgorithm(signature.hashAlgorithmName))
        case .wrongKeyUsage:
            return .failed(.wrongKeyUsage(issuer.flatMap(PGPFingerprint.init).flatMap { primaryOf[$0] }))
        default:
            return .failed(.gpgError(signature.status.code, signature.status.message))
        }
        if weakHashes.contains(signature.hashAlgorithm) {
            return .failed(.weakAlgorithm(signature.hashAlgorithmName))
        }
        guard let signingKey = PGPFingerprint(signature.fingerprint), let primary = primaryOf[signingKey],
            let key = keys.first(where: { $0.fingerprint == primary })
        else {
            return .failed(.unknownKey(issuer: issuer))
        }
        let subkey = signingKey == primary ? nil : key.subkeys.first { $0.fingerprint == signingKey }
        if signingKey != primary && subkey == nil {
            return .failed(.unknownKey(issuer: issuer))
        }
        let created = Date(timeIntervalSince1970: TimeInterval(signature.created))
        let expires = Timestamp.date(unix: signature.expires)
        let subkeyFingerprint = subkey?.fingerprint

        if let failure = judgeKey(
            primary: key, subkey: subkey, signatureCreated: created, signatureExpires: expires,
            wrongKeyUsage: signature.wrongKeyUsage, gnupgSaysRevoked: signature.status.code == .certificateRevoked,
            at: time)
        {
            return .failed(failure)
        }
        return .verified(
            PGPVerifiedSignature(
                uncheckedPayload: outcome.plaintext, primaryKeyFingerprint: primary,
                signingKeyFingerprint: subkeyFingerprint ?? primary, createdAt: created, expiresAt: expires,
                hashAlgorithm: signature.hashAlgorithmName))
    }

    /// The time rules, separated from GnuPG for unit tests. Returns `nil` when the signature counts at `time`.
    ///
    /// Order: revocation, usage, existence, signature time, key expiry, signature expiry. A key "expires at E" means
    /// it is valid before E and invalid from E on; the same for signatures.
    static func judgeKey(
        primary key: PGPKey, subkey: PGPSubkey?, signatureCreated created: Date, signatureExpires expires: Date?,
        wrongKeyUsage: Bool, gnupgSaysRevoked: Bool, at time: Date
    ) -> PGPVerificationFailure? {
        let primary = key.fingerprint
        let sub = subkey?.fingerprint
        if let revocation = key.revocation, revocation.applies(at: time) {
            return .keyRevoked(primary, on: revocation.date)
        }
        if let subkey, let revocation = subkey.revocation, revocation.applies(at: time) {
            return .keyRevoked(primary, subkey: subkey.fingerprint, on: revocation.date)
        }
        if gnupgSaysRevoked && key.revocation == nil && subkey?.revocation == nil {
            return .keyRevoked(primary, subkey: sub, on: nil)  // GnuPG knows more than the listing showed
        }
        if wrongKeyUsage || !(subkey?.canSign ?? key.canSign) {
            return .wrongKeyUsage(primary, subkey: sub)
        }
        if key.createdAt > time || key.createdAt > created {
            return .keyNotYetValid(primary, createdOn: key.createdAt)
        }
        if let subkey, subkey.createdAt > time || subkey.createdAt > created {
            return .keyNotYetValid(primary, subkey: subkey.fingerprint, createdOn: subkey.createdAt)
        }
        if created > time {
            return .signatureNotYetValid(createdOn: created)
        }
        // The signature is no later than `time`, so a signature made after the key expired fails here too.
        if let expiry = key.expiresAt, expiry <= time {
            return .keyExpired(primary, on: expiry)
        }
        if let subkey, let expiry = subkey.expiresAt, expiry <= time {
            return .keyExpired(primary, subkey: subkey.fingerprint, on: expiry)
        }
        if let expires, expires <= time {
            return .signatureExpired(on: expires)
        }
        return nil
    }
}
