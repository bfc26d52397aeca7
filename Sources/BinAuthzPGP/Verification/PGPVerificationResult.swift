// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The outcome of verifying an attached OpenPGP signature at an evaluation time: the verified payload, or why
/// there is none.
///
/// A failed verification is a value, not an error: ``EphemeralKeyring/verifyAttached(_:at:limits:)-([UInt8],_,_)`` throws only when the
/// check could not run at all.
///
/// ```swift
/// switch try keyring.verifyAttached(signature, at: now) {
/// case .verified(let signature):
///     guard signature.primaryKeyFingerprint.hex == publicKeyId else { … }
///     use(signature.payload)
/// case .failed(let failure):
///     print(failure)   // e.g. "key E50A… expired on 2020-12-18T21:02:38Z"
/// }
/// ```
public enum PGPVerificationResult: Hashable, Sendable, CustomStringConvertible {
    /// The signature is good and every key involved was valid at the evaluation time.
    case verified(PGPVerifiedSignature)
    /// The signature does not count, for the reason given.
    case failed(PGPVerificationFailure)

    /// The verified signature, or `nil`.
    public var verified: PGPVerifiedSignature? {
        if case .verified(let signature) = self { return signature }
        return nil
    }

    /// The failure, or `nil` when verified.
    public var failure: PGPVerificationFailure? {
        if case .failed(let failure) = self { return failure }
        return nil
    }

    /// Whether the signature verified.
    public var isVerified: Bool { verified != nil }

    public var description: String {
        switch self {
        case .verified(let signature): "verified: \(signature)"
        case .failed(let failure): "failed: \(failure)"
        }
    }
}

/// A signature that verified: the signed bytes and who signed them, when.
public struct PGPVerifiedSignature: Hashable, Sendable, CustomStringConvertible {
    /// The literal data inside the signed message, byte for byte: the payload that was signed.
    public let payload: [UInt8]
    /// The fingerprint of the signer's **primary** key: compare this with the attestation's `publicKeyId`.
    public let primaryKeyFingerprint: PGPFingerprint
    /// The fingerprint of the key that made the signature: the primary key or one of its signing subkeys.
    public let signingKeyFingerprint: PGPFingerprint
    /// The signature creation time.
    public let createdAt: Date
    /// The signature expiration time, when the signature carries one.
    public let expiresAt: Date?
    /// The hash algorithm name, e.g. `SHA256`.
    public let hashAlgorithm: String

    /// Creates a verified signature value.
    ///
    /// - Warning: Only ``EphemeralKeyring/verifyAttached(_:at:limits:)-([UInt8],_,_)`` establishes that a signature verified. This
    ///   initializer exists for tests and tools that need to build expected values.
    public init(
        uncheckedPayload payload: [UInt8], primaryKeyFingerprint: PGPFingerprint, signingKeyFingerprint: PGPFingerprint,
        createdAt: Date, expiresAt: Date?, hashAlgorithm: String
    ) {
        self.payload = payload
        self.primaryKeyFingerprint = primaryKeyFingerprint
        self.signingKeyFingerprint = signingKeyFingerprint
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.hashAlgorithm = hashAlgorithm
    }

    public var description: String {
        var text = "signed by \(primaryKeyFingerprint)"
        if signingKeyFingerprint != primaryKeyFingerprint { text += " (subkey \(signingKeyFingerprint))" }
        text += " on \(Timestamp.rfc3339(createdAt)), \(payload.count) bytes"
        return text
    }
}
