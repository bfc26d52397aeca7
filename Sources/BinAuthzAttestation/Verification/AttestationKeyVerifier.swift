// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel
import BinAuthzPolicy

/// A kind of attestor public key — PGP, PKIX, or one of your own — and how to verify signatures made with it.
///
/// ``AttestorVerifier`` composes the kinds it is given: for every attestor it asks each kind which of the attestor's
/// keys it handles and gets one ``AttestationKeyVerifier`` per key, each key read once. The library provides
/// `PKIXAttestationKeys` (module `BinAuthzPKIX`, swift-crypto only) and `PGPAttestationKeys` (module `BinAuthzPGP`,
/// in-process with GPGME as the reference and fallback); a program that only ever sees PKIX keys links no GPGME.
///
/// An attestor key no kind handles makes the attestor invalid (``AttestationError/Code/invalidAttestor``), so a
/// missing kind is an error at start-up, never a key that silently verifies nothing.
public protocol AttestationKeyKind: Sendable {
    /// A short name for messages: `PGP`, `PKIX`.
    var name: String { get }

    /// Whether this kind verifies signatures made with `key`.
    func handles(_ key: AttestorPublicKey) -> Bool

    /// Verifiers for the keys of one attestor that this kind handles, in the order given.
    ///
    /// Called once per attestor, when the ``AttestorVerifier`` is made; reading and checking a key happens here,
    /// once.
    ///
    /// - Parameters:
    ///   - keys: The attestor's keys this kind handles, with their positions in the attestor's `publicKeys`.
    ///   - attestor: The attestor's resource name, for messages.
    ///   - limits: Bounds on the keys (`InputLimits`).
    /// - Throws: ``AttestationError/Code/invalidAttestor`` when a key cannot be read or its id is not the one the
    ///   service would have computed.
    func verifiers(
        for keys: [(index: Int, key: AttestorPublicKey)], attestor: String, limits: InputLimits
    ) throws(AttestationError) -> [any AttestationKeyVerifier]
}

/// Verifies signatures made with one attestor public key.
public protocol AttestationKeyVerifier: Sendable {
    /// The key's id: the `publicKeyId` a signature must name, compared byte for byte.
    var keyID: String { get }

    /// Whether a result can change with the evaluation time (expiry, revocation: PGP keys), so the verifier's cache
    /// keeps results apart by time. PKIX results do not.
    var dependsOnTime: Bool { get }

    /// Checks one signature of an occurrence.
    ///
    /// - Parameters:
    ///   - signature: The signature, with the occurrence's `serializedPayload`.
    ///   - time: The evaluation time.
    ///   - limits: Bounds on the signature and its payload.
    /// - Returns: ``SignatureVerification/signed(payload:signer:backend:)`` with the bytes the key signed (for an
    ///   attached PGP signature, the literal data inside it), or ``SignatureVerification/failed(_:)``.
    /// - Throws: ``AttestationError/Code/environment`` only when the check could not run at all (gpg unusable).
    func verify(_ signature: OccurrenceSignature, at time: Date, limits: InputLimits) throws(AttestationError)
        -> SignatureVerification

    /// Releases what the verifier holds (a GnuPG keyring); later checks may rebuild it. Safe to call more than once.
    func close()
}

extension AttestationKeyVerifier {
    public func close() {}
}

/// The cryptographic outcome of one signature.
public enum SignatureVerification: Hashable, Sendable {
    /// The key signed `payload`. `signer` names the key in messages (`PGP key E50A…`, `PKIX key … (ECDSA_P256_SHA256)`);
    /// `backend` says what checked it (`in-process`, `GnuPG`), or is `nil`.
    case signed(payload: [UInt8], signer: String, backend: String?)
    /// The signature does not count, for this reason.
    case failed(AttestationFailure)
}
