// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzAttestation
import BinAuthzModel
import BinAuthzPayload
import BinAuthzPolicy

/// PKIX attestor keys (`pkixPublicKey`: a PEM key and its `signatureAlgorithm`), verified in process with
/// swift-crypto — the kind of key a program verifies without GPGME.
///
/// ```swift
/// let verifier = try AttestorVerifier(
///     attestors: [attestor], occurrences: occurrences, keyKinds: [PKIXAttestationKeys()])
/// ```
///
/// Each key is read once, when the verifier is made; its id is the key's `id`, or the `ni:///sha-256;…` id the
/// service computes when it has none. A signature counts when it verifies over `serializedPayload` — or, with
/// ``dssePayloadTypes``, over the DSSE pre-authentication encoding of it (attestations made with gcloud's
/// `--pae-encode-payload`, which platform policies' simple-signing check requires).
public struct PKIXAttestationKeys: AttestationKeyKind {
    /// The DSSE payload types whose PAE a signature may cover instead of the plain payload. Empty by default:
    /// whether project-policy attestors accept PAE-signed attestations is not documented, so they verify plain
    /// signatures only (failing closed); platform policies' simple-signing check passes
    /// `[DSSE.simpleSigningPayloadType]`.
    public var dssePayloadTypes: [String]

    /// Creates the key kind.
    ///
    /// - Parameter dssePayloadTypes: Payload types accepted for PAE-encoded signatures (none by default).
    public init(dssePayloadTypes: [String] = []) {
        self.dssePayloadTypes = dssePayloadTypes
    }

    /// Whether a signature over the plain `serializedPayload` counts. Platform policies' simple-signing check
    /// requires DSSE, so it sets this to `false`.
    package var acceptsPlainPayload = true

    public var name: String { "PKIX" }

    public func handles(_ key: AttestorPublicKey) -> Bool {
        if case .pkix? = key.material { return true }
        return false
    }

    public func verifiers(
        for keys: [(index: Int, key: AttestorPublicKey)], attestor: String, limits: InputLimits
    ) throws(AttestationError) -> [any AttestationKeyVerifier] {
        var result: [any AttestationKeyVerifier] = []
        for (index, key) in keys {
            let path = "\(attestor): publicKeys[\(index)]"
            guard case .pkix(let pkix)? = key.material, let pem = pkix.publicKeyPEM,
                let algorithm = pkix.signatureAlgorithm
            else {
                throw .invalidAttestor("\(path): the PKIX key needs publicKeyPem and signatureAlgorithm")
            }
            let verifier: PKIXVerifier
            do {
                verifier = try PKIXVerifier(publicKeyPEM: pem, algorithm: algorithm, limits: limits)
            } catch {
                throw .invalidAttestor("\(path): \(error.message)")
            }
            result.append(
                PKIXAttestationKeyVerifier(
                    keyID: key.id ?? verifier.publicKey.defaultKeyID, verifier: verifier,
                    dssePayloadTypes: dssePayloadTypes, acceptsPlainPayload: acceptsPlainPayload))
        }
        return result
    }
}

/// One PKIX attestor key, ready to verify.
struct PKIXAttestationKeyVerifier: AttestationKeyVerifier {
    let keyID: String
    let verifier: PKIXVerifier
    let dssePayloadTypes: [String]
    var acceptsPlainPayload = true

    var dependsOnTime: Bool { false }

    func verify(_ signature: OccurrenceSignature, at time: Date, limits: InputLimits) throws(AttestationError)
        -> SignatureVerification
    {
        guard signature.serializedPayload.count <= limits.maximumPayloadBytes else {
            return .failed(
                AttestationFailure(
                    .tooLarge, keyID: keyID,
                    message:
                        "PKIX signature for key \(keyID): the payload is larger than \(limits.maximumPayloadBytes) "
                        + "bytes (InputLimits.maximumPayloadBytes), so it was not checked"))
        }
        guard signature.signature.count <= limits.maximumSignatureBytes else {
            return .failed(
                AttestationFailure(
                    .tooLarge, keyID: keyID,
                    message: "PKIX signature for key \(keyID): the signature is larger than "
                        + "\(limits.maximumSignatureBytes) bytes (InputLimits.maximumSignatureBytes), so it was not checked"
                ))
        }
        let signer = "PKIX key \(keyID) (\(verifier.algorithm.rawValue))"
        let plain = verifier.verify(signature: signature.signature, payload: signature.serializedPayload)
        if case .verified = plain {
            guard acceptsPlainPayload else {
                return .failed(
                    AttestationFailure(
                        .badSignature, keyID: keyID,
                        message: "PKIX signature for key \(keyID) is over the plain payload, not over DSSE's "
                            + "PAE(\(dssePayloadTypes.first ?? DSSE.simpleSigningPayloadType), payload); sign with "
                            + "--pae-encode-payload"))
            }
            return .signed(payload: signature.serializedPayload, signer: signer, backend: nil)
        }
        // gcloud's --pae-encode-payload signs DSSE's PAE(type, payload) and stores the plain payload.
        for type in dssePayloadTypes {
            let encoded = DSSE.preAuthenticationEncoding(payloadType: type, payload: signature.serializedPayload)
            if case .verified = verifier.verify(signature: signature.signature, payload: encoded) {
                return .signed(
                    payload: signature.serializedPayload, signer: signer + " over DSSE \(type)", backend: nil)
            }
        }
        guard case .notVerified(let failure) = plain else { preconditionFailure() }
        let kind: AttestationFailure.Kind =
            switch failure.reason {
            case .malformedSignature: .malformedSignature
            case .keyAlgorithmMismatch: .wrongKeyUsage
            case .unsupportedAlgorithm: .unsupportedSignature
            default: .badSignature
            }
        return .failed(
            AttestationFailure(kind, keyID: keyID, message: "PKIX signature for key \(keyID): \(failure.message)"))
    }
}

extension AttestationSigner {
    /// Signs with a PKIX private key.
    ///
    /// - Parameters:
    ///   - signer: The key and its algorithm.
    ///   - keyID: The attestor's id for the key; by default `ni:///sha-256;…` of its public key. Must be a URI.
    ///   - dssePayloadType: Sign DSSE's pre-authentication encoding `PAE(type, payload)` instead of the payload, as
    ///     gcloud's `sign-and-create --pae-encode-payload --dsse-type T` does (the occurrence still carries the plain
    ///     payload); `nil` (the default) signs the payload itself. Platform policies' `simpleSigningAttestationCheck`
    ///     wants `DSSE.simpleSigningPayloadType`.
    /// - Throws: `AttestationError.Code.invalidKeyID` for an id that is not a URI.
    public static func pkix(_ signer: PKIXSigner, keyID: String? = nil, dssePayloadType: String? = nil)
        throws(AttestationError) -> AttestationSigner
    {
        if let keyID {
            do {
                try PKIXKeyID.validate(keyID)
            } catch {
                throw AttestationError(code: .invalidKeyID, message: error.message)
            }
        }
        return AttestationSigner(
            PKIXAttestationSigner(
                signer: signer, publicKeyID: keyID ?? signer.publicKey.defaultKeyID, dssePayloadType: dssePayloadType))
    }
}

/// A PKIX private key as an `AttestationSigning`.
struct PKIXAttestationSigner: AttestationSigning {
    let signer: PKIXSigner
    let publicKeyID: String
    let dssePayloadType: String?

    func sign(_ payload: [UInt8]) throws(AttestationError) -> [UInt8] {
        let signed =
            dssePayloadType.map { DSSE.preAuthenticationEncoding(payloadType: $0, payload: payload) } ?? payload
        do {
            return try signer.sign(signed)
        } catch {
            throw AttestationError(code: .signingFailed, message: "PKIX signing failed: \(error.message)")
        }
    }
}

extension Attestor {
    /// Adds a PKIX public key the way `gcloud … attestors public-keys add --pkix-public-key-file F
    /// --pkix-public-key-algorithm ALG [--public-key-id-override ID]` does: the id is the override, or the
    /// `ni:///sha-256;…` of the key's SubjectPublicKeyInfo.
    ///
    /// - Parameters:
    ///   - pem: One `-----BEGIN PUBLIC KEY-----` block.
    ///   - algorithm: The `signatureAlgorithm`; the key's type and size must fit it.
    ///   - idOverride: An explicit id (a URI), or `nil` for the computed one.
    ///   - comment: An optional comment.
    /// - Returns: The key entry that was added.
    /// - Throws: `AttestationError.Code.invalidKey` for a key that cannot be read or does not fit
    ///   `algorithm`; `AttestationError.Code.invalidKeyID`;
    ///   `AttestationError.Code.duplicateKey` with gcloud's message `Public key with ID [ID]
    ///   already present on attestor [NAME]`.
    @discardableResult
    public mutating func addPKIXPublicKey(
        pem: String, algorithm: SignatureAlgorithm, idOverride: String? = nil, comment: String? = nil
    ) throws(AttestationError) -> AttestorPublicKey {
        let key: PKIXPublicKey
        do {
            key = try PKIXPublicKey(pemRepresentation: pem)
            try key.checkCompatibility(with: algorithm)
        } catch {
            throw AttestationError(code: .invalidKey, message: error.message)
        }
        if let idOverride {
            do {
                try PKIXKeyID.validate(idOverride)
            } catch {
                throw AttestationError(code: .invalidKeyID, message: error.message)
            }
        }
        let id = idOverride ?? key.defaultKeyID
        if publicKeys.contains(where: { $0.id?.isIdentical(to: id) ?? false }) {
            throw AttestationError(
                code: .duplicateKey, message: "Public key with ID [\(id)] already present on attestor [\(name ?? "")]")
        }
        let entry = AttestorPublicKey.pkix(
            id: id, key: PKIXKeySpec(publicKeyPEM: pem, signatureAlgorithm: algorithm), comment: comment)
        appendKey(entry)
        return entry
    }
}
