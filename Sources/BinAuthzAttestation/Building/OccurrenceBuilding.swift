// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPayload

extension AttestationOccurrence {
    /// Builds the v1 occurrence `gcloud container binauthz attestations create` would upload, offline.
    ///
    /// - Parameters:
    ///   - artifactURL: `registry/repository@sha256:<64 hex>`, optionally with `https://`; stored without the scheme,
    ///     as gcloud ≥ 424 does.
    ///   - note: The attestor's note.
    ///   - signature: The signature bytes (for PGP the armored `gpg --armor --sign` output).
    ///   - publicKeyID: The attestor's id for the signing key: the 40-hex PGP fingerprint or the PKIX key id.
    ///   - payload: The signed payload when it is not exactly what `create-signature-payload` makes for
    ///     `artifactURL` (gcloud `--payload-file`); by default the payload is recomputed.
    /// - Throws: ``AttestationError/Code/invalidArtifactURL`` (gcloud's parsing), ``AttestationError/Code/invalidKeyID``
    ///   for an id that is neither a PGP fingerprint nor a URI.
    public static func create(
        artifactURL: String, note: NoteName, signature: [UInt8], publicKeyID: String, payload: [UInt8]? = nil
    ) throws(AttestationError) -> AttestationOccurrence {
        let url = try parseArtifactURL(artifactURL)
        try checkKeyID(publicKeyID)
        guard !signature.isEmpty else {
            throw AttestationError(code: .invalidPayload, message: "the signature is empty")
        }
        return AttestationOccurrence(
            resourceURI: url.withoutScheme, noteName: note.description,
            attestation: Attestation(
                serializedPayload: payload ?? SignaturePayload(artifactURL: url).serialized(),
                signatures: [Attestation.Signature(signature: signature, publicKeyID: publicKeyID)]))
    }

    /// Builds the payload for `artifactURL`, signs it and returns the occurrence: `gcloud … attestations
    /// sign-and-create`, for PGP as well as PKIX keys.
    ///
    /// - Parameters:
    ///   - artifactURL: The image, by digest.
    ///   - note: The attestor's note.
    ///   - signer: The signing key.
    /// - Throws: ``AttestationError/Code/invalidArtifactURL``, ``AttestationError/Code/signingFailed``.
    public static func signAndCreate(artifactURL: String, note: NoteName, signer: some AttestationSigning)
        throws(AttestationError) -> AttestationOccurrence
    {
        let url = try parseArtifactURL(artifactURL)
        let payload = SignaturePayload(artifactURL: url).serialized()
        let signature = try signer.sign(payload)
        return AttestationOccurrence(
            resourceURI: url.withoutScheme, noteName: note.description,
            attestation: Attestation(
                serializedPayload: payload,
                signatures: [Attestation.Signature(signature: signature, publicKeyID: signer.publicKeyID)]))
    }

    /// gcloud's parsing, then one check gcloud skips: its digest test is only "71 characters of `sh:0-9a-f`", and an
    /// attestation for anything but a real sha256 digest can never admit an image.
    static func parseArtifactURL(_ text: String) throws(AttestationError) -> ArtifactURL {
        let url: ArtifactURL
        do {
            url = try ArtifactURL(text)
        } catch {
            throw AttestationError(code: .invalidArtifactURL, message: error.message)
        }
        guard ImageReference.isSHA256Digest(url.digest) else {
            throw AttestationError(
                code: .invalidArtifactURL,
                message: "the digest \(url.digest) is not sha256: followed by 64 hex digits; an attestation for it "
                    + "could never admit an image")
        }
        return url
    }

    static func checkKeyID(_ id: String) throws(AttestationError) {
        guard !id.isEmpty else {
            throw AttestationError(code: .invalidKeyID, message: "the public key id is empty")
        }
        if id.utf8.count == 40,
            id.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) })
        {
            // A PGP fingerprint: 40 hex digits, which the service writes in upper case.
            guard id.uppercased().isIdentical(to: id) else {
                throw AttestationError(
                    code: .invalidKeyID,
                    message: "public key id \(id) must be the fingerprint in upper case (\(id.uppercased())); "
                        + "Binary Authorization compares ids exactly")
            }
            return
        }
        guard SyntaxRules.isURI(id) else {
            throw AttestationError(
                code: .invalidKeyID,
                message: "public key id \(id) is neither a PGP fingerprint (40 hex digits) nor a URI (PKIX key ids)")
        }
    }
}
