// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzAttestation
import BinAuthzModel
import BinAuthzPolicy
import Synchronization

/// PGP attestor keys (`asciiArmoredPgpPublicKey`), verified in process by ``NativePGPVerifier`` with GnuPG (through
/// GPGME) as the reference and the fallback for what the in-process verifier does not implement.
///
/// ```swift
/// let verifier = try AttestorVerifier(
///     attestors: [attestor], occurrences: occurrences, keyKinds: [PGPAttestationKeys(), PKIXAttestationKeys()])
/// ```
///
/// An attestor's PGP keys are read once, when the verifier is made; each key's `id` must be its primary key's v4
/// fingerprint, as the service computes it. A signature counts when it is an attached signature made by the key it
/// names (or one of its signing subkeys), valid at the evaluation time; its literal data is the payload.
///
/// With ``Verifier-swift.struct/automatic`` (the default) no gpg process runs for what the in-process verifier
/// decides — every attestation gpg makes, in practice; the result's `backend` says which decided. A GnuPG keyring
/// is built only when a signature or key needs it, once per attestor.
public struct PGPAttestationKeys: AttestationKeyKind {
    /// Which verifier decides.
    public struct Verifier: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable { case automatic, native, gpgme }
        fileprivate let backing: Backing

        /// The in-process verifier, and GPGME for input it does not support (BZip2, DSA keys, …).
        public static let automatic = Verifier(backing: .automatic)
        /// The in-process verifier only: input it does not support is not verified (and says so). Needs no gpg.
        public static let native = Verifier(backing: .native)
        /// GPGME only: every signature is checked by a gpg process in a temporary home.
        public static let gpgme = Verifier(backing: .gpgme)

        /// `automatic`, `native`, `gpgme`.
        public var description: String { backing.rawValue }

        /// Reads `native`, `gpgme` or `automatic`.
        public init?(_ name: String) {
            guard let backing = Backing(rawValue: name) else { return nil }
            self.backing = backing
        }

        fileprivate init(backing: Backing) { self.backing = backing }
    }

    /// Which verifier decides; ``Verifier-swift.struct/automatic`` by default.
    public var verifier: Verifier
    /// Where temporary GnuPG homes are created, when GPGME is used.
    public var keyringBaseDirectory: String

    /// Creates the key kind.
    ///
    /// - Parameters:
    ///   - verifier: Which verifier decides.
    ///   - keyringBaseDirectory: Where temporary GnuPG homes are created (short: 80 bytes at most).
    public init(
        verifier: Verifier = .automatic,
        keyringBaseDirectory: String = EphemeralKeyring.Options.verification.baseDirectory
    ) {
        self.verifier = verifier
        self.keyringBaseDirectory = keyringBaseDirectory
    }

    public var name: String { "PGP" }

    public func handles(_ key: AttestorPublicKey) -> Bool {
        if case .pgp? = key.material { return true }
        return false
    }

    public func verifiers(
        for keys: [(index: Int, key: AttestorPublicKey)], attestor: String, limits: InputLimits
    ) throws(AttestationError) -> [any AttestationKeyVerifier] {
        var read: [(fingerprint: PGPFingerprint, bytes: [UInt8], id: String)] = []
        for (index, key) in keys {
            let path = "\(attestor): publicKeys[\(index)]"
            guard case .pgp(let text)? = key.material else { continue }
            let fingerprint: PGPFingerprint
            do {
                fingerprint = try Attestor.readPGPPublicKey(text, limits: limits).fingerprint
            } catch {
                throw .invalidAttestor("\(path): \(error.message)")
            }
            let id = key.id ?? fingerprint.hex
            guard id.isIdentical(to: fingerprint.hex) else {
                throw .invalidAttestor(
                    "\(path).id is \(id), but the key's fingerprint is \(fingerprint.hex); Binary Authorization "
                        + "sets a PGP key's id to its fingerprint")
            }
            read.append((fingerprint, Array(text.utf8), id))
        }
        let keyring = PGPAttestorKeyring(
            keys: read.map { ($0.fingerprint, $0.bytes) }, verifier: verifier, base: keyringBaseDirectory,
            limits: limits)
        return read.map { PGPAttestationKeyVerifier(keyID: $0.id, fingerprint: $0.fingerprint, keyring: keyring) }
    }
}

/// One PGP attestor key, checked through its attestor's shared keyring.
struct PGPAttestationKeyVerifier: AttestationKeyVerifier {
    let keyID: String
    let fingerprint: PGPFingerprint
    let keyring: PGPAttestorKeyring

    var dependsOnTime: Bool { true }

    func verify(_ signature: OccurrenceSignature, at time: Date, limits: InputLimits) throws(AttestationError)
        -> SignatureVerification
    {
        let (result, backend): (PGPVerificationResult, String)
        switch try keyring.verify(signature.signature, fingerprint: fingerprint, at: time, limits: limits) {
        case .refused(let reason):
            return .failed(
                AttestationFailure(
                    .unusableKey, keyID: keyID,
                    message: "PGP key \(keyID) was refused by GnuPG, so it verifies nothing: \(reason)"))
        case .unsupported(let reason):
            return .failed(
                AttestationFailure(
                    .unsupportedSignature, keyID: keyID,
                    message: "PGP signature for key \(keyID): the in-process verifier does not support it (\(reason)); "
                        + "verify with GnuPG (--pgp-verifier gpgme)"))
        case .decided(let decided, let by):
            (result, backend) = (decided, by)
        }
        switch result {
        case .verified(let verified):
            guard verified.primaryKeyFingerprint == fingerprint else {
                return .failed(
                    AttestationFailure(
                        .badSignature, keyID: keyID,
                        message: "PGP signature was made by key \(verified.primaryKeyFingerprint), not by key \(keyID) "
                            + "it names"))
            }
            return .signed(payload: verified.payload, signer: "PGP key \(keyID)", backend: backend)
        case .failed(let failure):
            return .failed(
                AttestationFailure(
                    Self.kind(of: failure), keyID: keyID, message: "PGP signature for key \(keyID): \(failure)"))
        }
    }

    func close() { keyring.close() }

    /// The attestation failure kind for a PGP failure.
    static func kind(of failure: PGPVerificationFailure) -> AttestationFailure.Kind {
        switch failure.kind {
        case .badSignature, .unknownKey: .badSignature
        case .keyExpired: .keyExpired
        case .keyRevoked: .keyRevoked
        case .keyNotYetValid: .keyNotYetValid
        case .signatureExpired: .signatureExpired
        case .signatureNotYetValid: .signatureNotYetValid
        case .wrongKeyUsage: .wrongKeyUsage
        case .weakAlgorithm: .weakAlgorithm
        case .notSigned, .clearsigned, .detachedSignature, .multipleSignatures: .unsupportedSignature
        case .malformed: .malformedSignature
        case .tooLarge: .tooLarge
        default: .other
        }
    }
}

/// One attestor's PGP keys: the in-process verifier (all keys, read once) and, built on first need, a verify-only
/// GnuPG keyring with the reason GnuPG refused each key it would not import.
final class PGPAttestorKeyring: Sendable {
    enum Outcome {
        case decided(PGPVerificationResult, backend: String)
        case refused(String)
        case unsupported(String)
    }

    private let keys: [(fingerprint: PGPFingerprint, bytes: [UInt8])]
    private let mode: PGPAttestationKeys.Verifier
    private let base: String
    /// The in-process verifier, or why it could not take the keys (an error GnuPG also refuses them with).
    private let native: Result<NativePGPVerifier, PGPError>?
    private let state = Mutex(GnuPGState())

    private struct GnuPGState {
        var keyring: EphemeralKeyring?
        var refusals: [PGPFingerprint: String] = [:]
    }

    init(
        keys: [(fingerprint: PGPFingerprint, bytes: [UInt8])], verifier: PGPAttestationKeys.Verifier, base: String,
        limits: InputLimits
    ) {
        self.keys = keys
        self.mode = verifier
        self.base = base
        if verifier == .gpgme || keys.isEmpty {
            native = nil
        } else {
            native = Result { () throws(PGPError) in
                try NativePGPVerifier(publicKeys: keys.map(\.bytes), limits: limits)
            }
        }
    }

    func verify(_ signature: [UInt8], fingerprint: PGPFingerprint, at time: Date, limits: InputLimits)
        throws(AttestationError) -> Outcome
    {
        if let native {
            switch native {
            case .failure(let error):
                // No key of the attestor imports, natively; GnuPG refuses them alike (the differential suite checks).
                if mode == .native { return .refused(error.message) }
            case .success(let verifier):
                if let imported = verifier.keys {
                    guard imported.contains(where: { $0.fingerprint == fingerprint }) else {
                        if mode == .native {
                            return .refused(
                                "it has no user id with a valid self-signature, so GnuPG would not import it")
                        }
                        return try gnupg(signature, fingerprint: fingerprint, at: time, limits: limits)
                    }
                    switch verifier.verifyAttached(signature, at: time) {
                    case .decided(let result): return .decided(result, backend: "in-process")
                    case .unsupported(let reason):
                        if mode == .native { return .unsupported(reason) }
                    }
                } else if mode == .native {
                    return .unsupported("the attestor's keys use packets or algorithms it does not implement")
                }
            }
        }
        return try gnupg(signature, fingerprint: fingerprint, at: time, limits: limits)
    }

    private func gnupg(_ signature: [UInt8], fingerprint: PGPFingerprint, at time: Date, limits: InputLimits)
        throws(AttestationError) -> Outcome
    {
        do {
            let (keyring, refusals) = try self.keyring()
            if let refusal = refusals[fingerprint] { return .refused(refusal) }
            return .decided(try keyring.verifyAttached(signature, at: time, limits: limits), backend: "GnuPG")
        } catch {
            throw AttestationError(code: .environment, message: "PGP verification unavailable: \(error)")
        }
    }

    /// The attestor's verify-only keyring, built on first use, with the reason GnuPG refused each key it would not
    /// import (a key with no user id or no valid self-signature): such a key verifies nothing, but the attestor's
    /// other keys still do.
    ///
    /// - Throws: Only when GnuPG itself is unusable (no gpg, no home, a GPGME failure).
    private func keyring() throws(PGPError) -> (keyring: EphemeralKeyring, refusals: [PGPFingerprint: String]) {
        try state.withLock { (state: inout GnuPGState) throws(PGPError) in
            if let existing = state.keyring, !existing.isClosed { return (existing, state.refusals) }
            let keyring = try EphemeralKeyring(
                options: EphemeralKeyring.Options(purpose: .verification, baseDirectory: base))
            var refusals: [PGPFingerprint: String] = [:]
            for key in keys {
                do throws(PGPError) {
                    try keyring.importAttestorKey(key.bytes)
                } catch  where !Self.environmentFailures.contains(error.code) {
                    refusals[key.fingerprint] = error.message
                } catch {
                    keyring.close()
                    throw error
                }
            }
            state = GnuPGState(keyring: keyring, refusals: refusals)
            return (keyring, refusals)
        }
    }

    /// The errors that say GnuPG cannot work here at all, as opposed to refusing one key.
    private static let environmentFailures: Set<PGPError.Code> = [
        .gpgUnavailable, .homeUnusable, .agentUnavailable, .keyringClosed, .gpgme,
    ]

    func close() {
        state.withLock { state in
            state.keyring?.close()
            state.keyring = nil
        }
    }

    deinit { close() }
}
