// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An in-process OpenPGP verifier for Binary Authorization attestations: attached signatures (`gpg --sign`,
/// `gpg --armor --sign`) checked against an attestor's public keys with swift-crypto, without GnuPG, without a
/// process, a file or the clock.
///
/// It gives the verdict GnuPG 2.2 through GPGME gives — the same ``PGPVerificationResult`` as
/// ``EphemeralKeyring/verifyAttached(_:at:limits:)-([UInt8],_,_)``, failure kinds, fingerprints, dates and reasons included — for what it
/// implements, and says ``NativePGPVerification/unsupported(_:)`` for the rest, so the caller can fall back to
/// GPGME:
///
/// ```swift
/// let verifier = try NativePGPVerifier(publicKeys: attestor.pgpPublicKeys)   // parsed once
/// switch verifier.verifyAttached(signature, at: evaluationTime) {
/// case .decided(let result): return result
/// case .unsupported: return try gpgmeKeyring.verifyAttached(signature, at: evaluationTime)
/// }
/// ```
///
/// Implemented: ASCII-armored or binary messages, uncompressed, ZIP or ZLIB compressed; one-pass signatures, literal
/// data, v3 and v4 signature packets; v4 keys with RSA (1024–8192 bits), ECDSA over P-256, P-384 and P-521, and
/// EdDSA over Ed25519; subkeys with binding and back-signatures; key and signature expiry, revocations and key
/// flags as GnuPG 2.2.40 evaluates them. Hashes: SHA-224, SHA-256, SHA-384, SHA-512 count; SHA-1, MD5 and
/// RIPEMD-160 are refused as weak, as the GPGME path refuses them.
///
/// Every input is bounded by `InputLimits`: hostile input gets a failure or `unsupported`, never a crash or
/// unbounded work.
public struct NativePGPVerifier: Sendable {
    /// The limits this verifier keeps to.
    public let limits: InputLimits
    private let keyring: NativeKeyring

    /// Parses the public keys once, as a verify-only ``EphemeralKeyring`` would import them.
    ///
    /// - Parameters:
    ///   - publicKeys: ASCII-armored or binary public key blocks (an attestor's `asciiArmoredPgpPublicKey` values).
    ///   - limits: The bounds to keep to; the defaults suit attestations.
    /// - Throws: What ``EphemeralKeyring/init(verifyingWith:options:)-([[UInt8]],_)`` throws for the same blocks:
    ///   ``PGPError/Code/noKey`` for empty material or material without keys, ``PGPError/Code/malformedArmor``,
    ///   ``PGPError/Code/agentUnavailable`` for secret keys, ``PGPError/Code/importFailed`` when no key of a block
    ///   has a valid self-signed user id.
    public init(publicKeys: [[UInt8]], limits: InputLimits = InputLimits()) throws(PGPError) {
        self.limits = limits
        keyring = try NativeKeyring(blocks: publicKeys, limits: limits)
    }

    /// The keys as GnuPG would list them after importing the blocks, or `nil` when the verifier cannot model them
    /// (then every verification is ``NativePGPVerification/unsupported(_:)``).
    public var keys: [PGPKey]? {
        keyring.unsupportedReason == nil ? keyring.listing : nil
    }

    /// Verifies an attached signature at `time`, in process.
    ///
    /// - Parameters:
    ///   - signature: The signed message, ASCII-armored or binary.
    ///   - time: The evaluation time; key and signature validity are judged at this instant.
    /// - Returns: ``NativePGPVerification/decided(_:)`` with the verdict GnuPG would give, or
    ///   ``NativePGPVerification/unsupported(_:)`` when GPGME should decide.
    public func verifyAttached(_ signature: [UInt8], at time: Date) -> NativePGPVerification {
        if let reason = keyring.unsupportedReason { return .unsupported("the keys hold \(reason)") }
        guard signature.count <= limits.maximumSignatureBytes else {
            return .decided(
                .failed(
                    .tooLarge(
                        "the message is larger than \(limits.maximumSignatureBytes) bytes (InputLimits.maximumSignatureBytes)"
                    )))
        }
        let binary: [UInt8]
        switch MessageShape.classify(signature) {
        case .rejected(let failure): return .decided(.failed(failure))
        case .candidate(let bytes): binary = bytes
        }
        let message: NativeMessage
        switch NativeMessage.read(binary, limits: limits) {
        case .failed(let failure): return .decided(.failed(failure))
        case .unsupported(let reason): return .unsupported(reason)
        case .message(let read): message = read
        }
        switch NativeSignatureReport.report(message, keyring: keyring, limits: limits) {
        case .unsupported(let reason):
            return .unsupported(reason)
        case .decided(let result):
            return .decided(result)
        case .reported(let signatures):
            return .decided(
                SignatureJudge.decide(
                    signatures, plaintext: message.plaintext, keys: keyring.listing, primaryOf: keyring.primaryOf,
                    at: time))
        }
    }
}
