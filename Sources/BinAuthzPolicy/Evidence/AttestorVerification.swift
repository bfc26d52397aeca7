// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel

/// Whether an attestor vouches for an image: the attestation that verified, or every reason none did.
///
/// The model is swift-certificates' `CertificateValidationResult`: success carries what was established
/// (``VerifiedAttestation``, which only a verifier makes), failure carries each check that failed
/// (``AttestationFailure``, with an extensible ``AttestationFailure/Kind`` code to match on and the human text).
///
/// ```swift
/// switch try verifier.verify(attestor: "projects/p/attestors/ci", image: image, at: now) {
/// case .verified(let attestation):
///     print("signed by \(attestation.keyID) in \(attestation.occurrence ?? "an occurrence")")
/// case .notVerified(let failures):
///     if failures.contains(where: { $0.kind == .keyExpired }) { rotateKeys() }
/// }
/// ```
public enum AttestorVerification: Hashable, Sendable, CustomStringConvertible {
    /// The attestor vouches for the image: this attestation verified.
    case verified(VerifiedAttestation)
    /// The attestor does not vouch for the image; at least one failure says why.
    case notVerified([AttestationFailure])

    /// Whether the attestor vouches for the image.
    public var isVerified: Bool {
        if case .verified = self { return true }
        return false
    }

    /// The verified attestation, or `nil`.
    public var verified: VerifiedAttestation? {
        if case .verified(let attestation) = self { return attestation }
        return nil
    }

    /// The failures; empty when verified.
    public var failures: [AttestationFailure] {
        if case .notVerified(let failures) = self { return failures }
        return []
    }

    /// One sentence: what verified, or each distinct failure, in order, separated by `; ` — the text `policy
    /// evaluate`, `attestations validate` (`denialReason`) and the decision's reasons show.
    public var reason: String {
        switch self {
        case .verified(let attestation):
            return attestation.description
        case .notVerified(let failures):
            var seen = Set<ExactString>()
            var texts: [String] = []
            for failure in failures where seen.insert(ExactString(failure.description)).inserted {
                texts.append(failure.description)
            }
            return texts.joined(separator: "; ")
        }
    }

    /// A failed verification with one failure.
    public static func notVerified(_ failure: AttestationFailure) -> AttestorVerification { .notVerified([failure]) }

    public var description: String { "\(isVerified ? "VERIFIED" : "ATTESTATION_NOT_VERIFIABLE"): \(reason)" }
}

/// An attestation that verified: which occurrence, which key, what the key signed.
///
/// Only verifiers make these (the umbrella's `AttestorVerifier`, or an ``AttestationEvidence`` source of your own
/// through ``init(uncheckedOccurrence:note:keyID:signer:payload:digest:backend:)``).
public struct VerifiedAttestation: Hashable, Sendable, CustomStringConvertible {
    /// The occurrence's resource name (`projects/P/occurrences/ID`), when it has one.
    public let occurrence: String?
    /// The note the occurrence is on (the attestor's note).
    public let note: String
    /// The key id the signature named, which is one of the attestor's key ids.
    public let keyID: String
    /// Who signed, in words: `PGP key E50A…`, `PKIX key ni:///sha-256;… (ECDSA_P256_SHA256)`.
    public let signer: String
    /// The signed payload, byte for byte (for PGP the literal data inside the signature).
    public let payload: [UInt8]
    /// The manifest digest the payload names, which is the image's.
    public let digest: String
    /// What checked the signature (`in-process`, `GnuPG`), when the verifier says.
    public let backend: String?

    /// Creates a verified attestation.
    ///
    /// - Warning: Only a verifier establishes that an attestation verified. This initializer exists for evidence
    ///   sources of your own and for tests; an engine trusts whatever it is given.
    public init(
        uncheckedOccurrence occurrence: String?, note: String, keyID: String, signer: String, payload: [UInt8],
        digest: String, backend: String? = nil
    ) {
        self.backend = backend
        self.occurrence = occurrence
        self.note = note
        self.keyID = keyID
        self.signer = signer
        self.payload = payload
        self.digest = digest
    }

    /// `signature by SIGNER verified for DIGEST (occurrence NAME on note NOTE)`.
    public var description: String {
        let label = occurrence.map { "occurrence \($0)" } ?? "occurrence"
        return "signature by \(signer) verified for \(digest) (\(label) on note \(note))"
    }
}

/// One reason an attestation did not count: the check that failed, where, and why in words.
public struct AttestationFailure: Hashable, Sendable, CustomStringConvertible {
    /// What failed, to match on.
    public let kind: Kind
    /// The occurrence the failure is about, when it is about one (`occurrence NAME`, or `occurrence` for one
    /// without a name), as the text shows it.
    public let occurrence: String?
    /// The key id the failure is about, when it is about one signature.
    public let keyID: String?
    /// The failure in words, without the occurrence label (``description`` adds it).
    public let message: String

    /// Creates a failure.
    ///
    /// - Parameters:
    ///   - kind: What failed.
    ///   - occurrence: The occurrence label (`occurrence projects/p/occurrences/1`), when the failure is about one.
    ///   - keyID: The key id, when the failure is about one signature.
    ///   - message: The reason in words.
    public init(_ kind: Kind, occurrence: String? = nil, keyID: String? = nil, message: String) {
        self.kind = kind
        self.occurrence = occurrence
        self.keyID = keyID
        self.message = message
    }

    /// The same failure, about an occurrence.
    public func inOccurrence(_ label: String) -> AttestationFailure {
        AttestationFailure(kind, occurrence: label, keyID: keyID, message: message)
    }

    /// `LABEL: MESSAGE`, or the message alone for a failure about no occurrence.
    public var description: String { occurrence.map { "\($0): \(message)" } ?? message }
}

extension AttestationFailure {
    /// The kind of an ``AttestationFailure``: a stable code to match on. Verifier modules and evidence sources of
    /// your own may add kinds (`extension AttestationFailure.Kind { static let mine = Kind(rawValue: "mine") }`);
    /// new kinds are added in minor releases.
    public struct Kind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // MARK: The attestor and the image

        /// The attestor is not among those the evidence source knows.
        public static let unknownAttestor = Kind(rawValue: "unknownAttestor")
        /// The image is not referenced by a `sha256` digest, so no attestation can be for it.
        public static let notReferencedByDigest = Kind(rawValue: "notReferencedByDigest")
        /// The attestor has no public keys; it verifies nothing.
        public static let noKeys = Kind(rawValue: "noKeys")
        /// The request needs more signature checks than one decision may make.
        public static let tooMuchWork = Kind(rawValue: "tooMuchWork")

        // MARK: Occurrences

        /// No occurrence is on the attestor's note.
        public static let noOccurrence = Kind(rawValue: "noOccurrence")
        /// Occurrences are on the note, but none is for the image.
        public static let noOccurrenceForImage = Kind(rawValue: "noOccurrenceForImage")
        /// More occurrences are for the image than are examined.
        public static let tooManyOccurrences = Kind(rawValue: "tooManyOccurrences")
        /// The occurrence carries no signature.
        public static let noSignature = Kind(rawValue: "noSignature")
        /// The occurrence carries more signatures than are checked.
        public static let tooManySignatures = Kind(rawValue: "tooManySignatures")
        /// JWT attestations, which project policies do not accept.
        public static let unsupportedJWT = Kind(rawValue: "unsupportedJWT")

        // MARK: Signatures

        /// The signature names no key id.
        public static let missingKeyID = Kind(rawValue: "missingKeyID")
        /// The key id the signature names is not one of the attestor's.
        public static let unknownKeyID = Kind(rawValue: "unknownKeyID")
        /// The signature is empty.
        public static let emptySignature = Kind(rawValue: "emptySignature")
        /// The attestor's key could not be used at all (for PGP, GnuPG refused to import it).
        public static let unusableKey = Kind(rawValue: "unusableKey")
        /// The signature does not verify with the key (or verifies with another key than the one it names).
        public static let badSignature = Kind(rawValue: "badSignature")
        /// The signing key had expired at the evaluation time.
        public static let keyExpired = Kind(rawValue: "keyExpired")
        /// The signing key was revoked.
        public static let keyRevoked = Kind(rawValue: "keyRevoked")
        /// The signing key did not exist yet at the evaluation time or when the signature was made.
        public static let keyNotYetValid = Kind(rawValue: "keyNotYetValid")
        /// The signature had expired at the evaluation time.
        public static let signatureExpired = Kind(rawValue: "signatureExpired")
        /// The signature was made after the evaluation time.
        public static let signatureNotYetValid = Kind(rawValue: "signatureNotYetValid")
        /// The key may not make data signatures, or does not fit the declared algorithm.
        public static let wrongKeyUsage = Kind(rawValue: "wrongKeyUsage")
        /// The signature uses a weak or unsupported algorithm.
        public static let weakAlgorithm = Kind(rawValue: "weakAlgorithm")
        /// The signature is not of a form attestations use (cleartext-signed, detached, unsigned data, not OpenPGP).
        public static let unsupportedSignature = Kind(rawValue: "unsupportedSignature")
        /// The signature is damaged (bad armor, truncated packets, bad encoding).
        public static let malformedSignature = Kind(rawValue: "malformedSignature")
        /// The signature or its payload crosses an input limit; it was not checked.
        public static let tooLarge = Kind(rawValue: "tooLarge")

        // MARK: Payloads

        /// The signature verified, but the signed bytes are not a simple-signing payload.
        public static let malformedPayload = Kind(rawValue: "malformedPayload")
        /// The signature verified, but the payload is for another image.
        public static let payloadMismatch = Kind(rawValue: "payloadMismatch")

        // MARK: Evidence sources

        /// The evidence source had no evidence to give (the engine's default source, a test double).
        public static let noEvidence = Kind(rawValue: "noEvidence")
        /// Another reason, described in the text.
        public static let other = Kind(rawValue: "other")
    }
}
