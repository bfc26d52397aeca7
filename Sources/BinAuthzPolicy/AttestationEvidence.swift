// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel

/// Where the decision engine gets attestation evidence from.
///
/// The engine never verifies signatures itself (it imports neither GPGME nor swift-crypto). For every
/// `REQUIRE_ATTESTATION` rule it asks its evidence source, once per (attestor, image) pair of an evaluation,
/// whether the attestor vouches for the image. `AttestorVerifier` (module `BinAuthzAttestation`) implements this
/// protocol with real PGP and PKIX verification — the offline equivalent of `ValidateAttestationOccurrence`; tests
/// and tools can supply their own.
///
/// Implementations must be deterministic for a given `time` and must not read the clock.
public protocol AttestationEvidence: Sendable {
    /// Decides whether `attestor` has at least one valid attestation for `image` at `time`.
    ///
    /// - Parameters:
    ///   - attestor: The attestor resource name as written in the policy (`projects/P/attestors/A`).
    ///   - image: The image, always referenced by a `sha256` digest.
    ///   - time: The evaluation time (key expiry and revocation are judged at this instant).
    /// - Returns: ``AttestorVerification/verified(_:)`` with the attestation that verified, or
    ///   ``AttestorVerification/notVerified(_:)-swift.enum.case`` with every reason none did.
    /// - Throws: Only when the environment is broken (for example gpg is unusable); a missing or invalid
    ///   attestation is a result, not an error.
    func verify(attestor: String, image: ImageReference, at time: Date) throws -> AttestorVerification

    /// The most signature verifications ``verify(attestor:image:at:)`` would make for this pair, counted without
    /// making any. The engine adds these up for a decision and refuses, before any check, a decision that would
    /// need more than `InputLimits.maximumSignatureChecksPerDecision`. The default is 0, for
    /// sources whose checks cost nothing worth bounding.
    func signatureChecks(attestor: String, image: ImageReference) -> Int
}

extension AttestationEvidence {
    public func signatureChecks(attestor: String, image: ImageReference) -> Int { 0 }
}
