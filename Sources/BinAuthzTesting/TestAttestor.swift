// SPDX-License-Identifier: Apache-2.0

import BinAuthzAttestation
import BinAuthzModel
import BinAuthzPKIX
import BinAuthzPayload
import BinAuthzPolicy

/// An attestor for tests: a fresh in-process key (ECDSA P-256 by default, through swift-crypto — no gpg, no
/// files) and real signatures, so a policy test exercises exactly the verification production uses.
///
/// ```swift
/// let ci = try TestAttestor("projects/my-proj/attestors/built-by-ci")
/// let occurrence = try ci.attest("gcr.io/my-proj/app@sha256:9f86…")
/// ```
public struct TestAttestor: Sendable {
    /// The attestor resource (name, note, the one public key).
    public let attestor: Attestor
    /// The attestor's name, `projects/P/attestors/A`.
    public let name: AttestorName
    /// The attestor's note, `projects/P/notes/A-note` unless given.
    public let note: NoteName
    private let signer: AttestationSigner
    private let dsseSigner: AttestationSigner
    private let pkixSigner: PKIXSigner
    private let publicKey: PKIXKeySpec

    /// Creates an attestor with a new key.
    ///
    /// - Parameters:
    ///   - name: The attestor's resource name.
    ///   - note: Its note; by default `projects/P/notes/<attestor>-note`.
    ///   - algorithm: The key's algorithm; ECDSA P-256 (fast) by default.
    /// - Throws: ``PolicyTestFailure`` for a malformed name.
    public init(
        _ name: String = "projects/test-project/attestors/test-attestor", note: String? = nil,
        algorithm: SignatureAlgorithm = .ecdsaP256SHA256
    ) throws {
        guard let parsed = AttestorName(name) else {
            throw PolicyTestFailure("\"\(name)\" is not an attestor name (projects/PROJECT_ID/attestors/ATTESTOR_ID)")
        }
        let noteName: NoteName
        if let note {
            guard let parsedNote = NoteName(note) else {
                throw PolicyTestFailure("\"\(note)\" is not a note name (projects/PROJECT_ID/notes/NOTE_ID)")
            }
            noteName = parsedNote
        } else {
            noteName = NoteName(project: parsed.project, note: parsed.attestor + "-note")
        }
        let key = try PKIXPrivateKey.generate(for: algorithm)
        let pkixSigner = try PKIXSigner(privateKey: key, algorithm: algorithm)
        let signer = try AttestationSigner.pkix(pkixSigner)
        var attestor = Attestor(name: parsed, note: noteName)
        try attestor.addPKIXPublicKey(pem: key.publicKey.pemRepresentation, algorithm: algorithm)
        self.attestor = attestor
        self.name = parsed
        self.note = noteName
        self.signer = signer
        self.dsseSigner = try AttestationSigner.pkix(pkixSigner, dssePayloadType: DSSE.simpleSigningPayloadType)
        self.pkixSigner = pkixSigner
        self.publicKey = PKIXKeySpec(
            publicKeyPEM: key.publicKey.pemRepresentation, signatureAlgorithm: algorithm, keyID: signer.publicKeyID)
    }

    /// The attestor's key as a platform policy's `sigstoreSignatureCheck` names it: an authority whose
    /// `publicKeySet` holds the key's PEM.
    public var sigstoreAuthority: SigstoreAuthority {
        SigstoreAuthority(
            displayName: name.attestor,
            publicKeySet: SigstorePublicKeySet(publicKeys: [SigstorePublicKey(publicKeyPEM: publicKey.publicKeyPEM)]))
    }

    /// Signs `image` as `cosign sign --key` does: cosign's simple-signing payload for the image's digest, signed
    /// itself (no PAE). The evidence a platform policy's `sigstoreSignatureCheck` accepts.
    ///
    /// - Throws: ``PolicyTestFailure`` when `image` has no `@sha256:` digest.
    public func cosignSignature(_ image: String) throws -> CosignSignature {
        guard let at = image.lastIndex(of: "@"), image[image.index(after: at)...].hasPrefix("sha256:") else {
            throw PolicyTestFailure("\"\(image)\" is not referenced by digest (…@sha256:…); cosign signs digests")
        }
        var repository = String(image[..<at])
        if let slash = repository.lastIndex(of: "/"), let colon = repository.lastIndex(of: ":"), colon > slash {
            repository = String(repository[..<colon])
        }
        let payload = Array(
            JSONTreeWriter.write(
                TreeNode(
                    .map([
                        (
                            key: "critical", keyLocation: nil,
                            value: TreeNode(
                                .map([
                                    (
                                        key: "identity", keyLocation: nil,
                                        value: TreeNode(
                                            .map([
                                                (
                                                    key: "docker-reference", keyLocation: nil,
                                                    value: TreeNode(.string(repository))
                                                )
                                            ]))
                                    ),
                                    (
                                        key: "image", keyLocation: nil,
                                        value: TreeNode(
                                            .map([
                                                (
                                                    key: "docker-manifest-digest", keyLocation: nil,
                                                    value: TreeNode(.string(String(image[image.index(after: at)...])))
                                                )
                                            ]))
                                    ),
                                    (
                                        key: "type", keyLocation: nil,
                                        value: TreeNode(.string(AtomicContainerSignature.cosignType))
                                    ),
                                ]))
                        ),
                        (key: "optional", keyLocation: nil, value: TreeNode(.null)),
                    ])), pretty: false
            ).utf8)
        return CosignSignature(payload: payload, signature: try pkixSigner.sign(payload))
    }

    /// The attestor's key as a platform policy's `simpleSigningAttestationCheck` names it: an authenticator whose
    /// `pkixPublicKeySet` holds the key (PEM, algorithm, and `keyId` equal to the signatures' `publicKeyId`).
    public var authenticator: AttestationAuthenticator {
        AttestationAuthenticator(
            displayName: name.attestor, pkixPublicKeySet: PkixPublicKeySet(pkixPublicKeys: [publicKey]))
    }

    /// Signs `image` over DSSE's `PAE("application/vnd.dev.cosign.simplesigning.v1+json", payload)`, exactly as
    /// `binauthz attestations sign-and-create --pae-encode-payload` (and gcloud's) would: the evidence a platform
    /// policy's `simpleSigningAttestationCheck` accepts.
    public func attestDSSE(_ image: String) throws -> AttestationOccurrence {
        try AttestationOccurrence.signAndCreate(artifactURL: image, note: note, signer: dsseSigner)
    }

    /// Signs `image` (which must be referenced by digest) and returns the occurrence, exactly as
    /// `binauthz attestations sign-and-create` would.
    public func attest(_ image: String) throws -> AttestationOccurrence {
        try AttestationOccurrence.signAndCreate(artifactURL: image, note: note, signer: signer)
    }
}
