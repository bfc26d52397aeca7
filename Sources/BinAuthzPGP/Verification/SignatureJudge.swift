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
    /// The hash algorithms a signature may use to count (OpenPGP ids, which GPGME reports as they are): SHA-256,
    /// SHA-384, SHA-512 and SHA-224. MD5, SHA-1, RIPEMD-160 and anything else are refused as weak.
    static let acceptedHashes: Set<Int> = [8, 9, 10, 11]

    /// One signature as GnuPG reports it through GPGME: what both verifiers hand to ``decide(_:plaintext:keys:primaryOf:at:)``.
    struct ReportedSignature: Sendable, Equatable {
        /// The signing key's fingerprint on success, else the issuer (40 or 16 hex digits), or empty.
        var fingerprint: String
        /// GnuPG's per-signature status code; 0 for a good signature.
        var status: GPGErrorCode
        /// The status as text, for ``PGPVerificationFailure/gpgError(_:_:)``.
        var statusMessage: String
        var created: Int
        var expires: Int
        var wrongKeyUsage: Bool
        var hashAlgorithm: Int
        var hashAlgorithmName: String
    }

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
        let reported = outcome.signatures.map { signature in
            ReportedSignature(
                fingerprint: signature.fingerprint, status: signature.status.code,
                statusMessage: signature.status.message, created: signature.created, expires: signature.expires,
                wrongKeyUsage: signature.wrongKeyUsage, hashAlgorithm: signature.hashAlgorithm,
                hashAlgorithmName: signature.hashAlgorithmName)
        }
        return decide(reported, plaintext: outcome.plaintext, keys: keys, primaryOf: primaryOf, at: time)
    }

    /// The verdict from the signatures GnuPG reported and the keyring's key records, at `time`.
    static func decide(
        _ signatures: [ReportedSignature], plaintext: [UInt8], keys: [PGPKey],
        primaryOf: [PGPFingerprint: PGPFingerprint], at time: Date
    ) -> PGPVerificationResult {
        guard let signature = signatures.first else {
            return .failed(.notSigned("the message carries no signature"))
        }
        guard signatures.count == 1 else {
            return .failed(.multipleSignatures(signatures.count))
        }
        let issuer = signature.fingerprint.isEmpty ? nil : signature.fingerprint
        switch signature.status {
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
            return .failed(.gpgError(signature.status, signature.statusMessage))
        }
        if !acceptedHashes.contains(signature.hashAlgorithm) {
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
            wrongKeyUsage: signature.wrongKeyUsage, gnupgSaysRevoked: signature.status == .certificateRevoked,
            at: time)
        {
            return .failed(failure)
        }
        return .verified(
            PGPVerifiedSignature(
                uncheckedPayload: plaintext, primaryKeyFingerprint: primary,
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
