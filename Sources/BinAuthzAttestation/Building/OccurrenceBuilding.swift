// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPayload

extension AttestationOccurrence {
    /// Builds the v1 occurrence `gcloud container binauthz attestations create` would upload, offline.
    ///
    /// What gcloud accepts is accepted: any artifact URL its parser takes (also a 71-character digest that is not
    /// `sha256:<64 hex>`; without `payload`, gcloud also parses the URL once more without its scheme, so
    /// `https://localhost:5000/…` fails as gcloud's does), any `publicKeyID` string, an empty signature. Such an occurrence can never satisfy an
    /// attestor; ``neverVerifiableReasons(attestor:)`` says why, for a caller to warn.
    ///
    /// - Parameters:
    ///   - artifactURL: `[scheme://]registry/repository[:tag]@digest`; stored without the scheme, as gcloud ≥ 424
    ///     does (the tag, if any, is kept).
    ///   - note: The attestor's note.
    ///   - signature: The signature bytes (for PGP the armored `gpg --armor --sign` output).
    ///   - publicKeyID: The attestor's id for the signing key: the 40-hex PGP fingerprint or the PKIX key id. Stored
    ///     as given.
    ///   - payload: The signed payload when it is not exactly what `create-signature-payload` makes for
    ///     `artifactURL` (gcloud `--payload-file`); by default the payload is recomputed.
    /// - Throws: ``AttestationError/Code/invalidArtifactURL`` with gcloud's reason, for a URL gcloud refuses.
    public static func create(
        artifactURL: String, note: NoteName, signature: [UInt8], publicKeyID: String, payload: [UInt8]? = nil
    ) throws(AttestationError) -> AttestationOccurrence {
        let url = try parseGcloudArtifactURL(artifactURL)
        var signed = payload
        if signed == nil {
            // gcloud makes the default payload from the URL *without* its scheme, which it parses again: there a
            // registry port reads as a scheme (`localhost:5000/…`), so such a URL fails although the first parse
            // took it.
            do {
                signed = SignaturePayload(artifactURL: try ArtifactURL(url.withoutScheme)).serialized()
            } catch {
                throw AttestationError(
                    code: .invalidArtifactURL,
                    message:
                        "\(error.message.firstRange(of: "; expected").map { error.message[..<$0.lowerBound] } ?? Substring(error.message)); gcloud's "
                        + "attestations create builds the payload from the URL without its scheme, where a registry "
                        + "port reads as a scheme: give the signed payload with --payload-file (sign-and-create and "
                        + "create-signature-payload accept this URL)")
            }
        }
        return AttestationOccurrence(
            resourceURI: url.withoutScheme, noteName: note.description,
            attestation: Attestation(
                serializedPayload: signed,
                signatures: [Attestation.Signature(signature: signature, publicKeyID: publicKeyID)]))
    }

    /// Why this occurrence can never satisfy an attestor, whatever key and policy it meets — or, given `attestor`,
    /// that attestor. Empty when nothing rules it out (which does not mean its signatures verify: see
    /// ``AttestorVerifier/validate(_:attestor:image:at:)``).
    ///
    /// Reported: a digest that is not `sha256:<64 hex>` (Binary Authorization admits images by sha256 digest only);
    /// an empty signature; a `publicKeyId` that no attestor key can have (empty, lower-case hex where PGP ids are
    /// upper-case fingerprints, or neither a fingerprint nor a URI) or, with `attestor`, that is not the id of one of
    /// its keys; with `attestor`, a note that is not the attestor's; and for a non-PGP key, a payload that is not a
    /// simple-signing payload for the image's digest.
    public func neverVerifiableReasons(attestor: Attestor? = nil) -> [String] {
        var reasons: [String] = []
        let uri = imageURI ?? ""
        let digest = uri.lastIndex(of: "@").map { String(uri[uri.index(after: $0)...]) } ?? ""
        let sha256 = ImageReference.isSHA256Digest(digest)
        if !sha256 {
            reasons.append(
                "the digest \(Self.printable(digest)) is not sha256: followed by 64 lower-case hex digits; Binary "
                    + "Authorization admits images by sha256 digest only, so this attestation can never admit one")
        }
        if let attestor, let noteReference = attestor.note?.noteReference, let noteName,
            !noteName.isIdentical(to: noteReference)
        {
            reasons.append(
                "the occurrence's note \(noteName) is not the note of attestor \(attestor.name ?? "") "
                    + "(\(noteReference)); an attestor only reads occurrences attached to its own note")
        }
        let keys = attestor?.publicKeys ?? []
        for signature in signatures {
            let id = signature.publicKeyID ?? ""
            var key: AttestorPublicKey?
            if let attestor {
                key = keys.first { $0.id.map { $0.isIdentical(to: id) } ?? false }
                if key == nil {
                    let ids = keys.compactMap(\.id).map(Self.printable).joined(separator: ", ")
                    reasons.append(
                        keys.isEmpty
                            ? "attestor \(attestor.name ?? "") has no public keys, so nothing can verify the signature"
                            : "public key id \(Self.quoted(id)) is not the id of a key of attestor "
                                + "\(attestor.name ?? "") (\(ids)); ids are compared exactly")
                }
            } else if let problem = Self.keyIDProblem(id) {
                reasons.append(problem)
            }
            if signature.signature.isEmpty {
                reasons.append("the signature for key \(Self.quoted(id)) is empty")
            }
            let isPGP: Bool
            if let key {
                isPGP = key.asciiArmoredPGPPublicKey != nil
            } else {
                isPGP = id.utf8.count == 40 && id.utf8.allSatisfy(\.isHexDigit)
            }
            // A PGP signature carries its own payload (the literal data); for the other kinds the signed bytes are
            // serializedPayload, which must name the image's digest.
            if !isPGP, sha256, signature.kind != .v1beta1PGP {
                do {
                    let payload = try SignaturePayload(parsing: signature.serializedPayload)
                    if !payload.manifestDigest.isIdentical(to: digest) {
                        reasons.append(
                            "the payload is for digest \(Self.printable(payload.manifestDigest)), not the image's "
                                + "\(digest)")
                    }
                } catch {
                    reasons.append(
                        "the payload is not a simple-signing payload Binary Authorization reads: \(error.message)")
                }
            }
        }
        return reasons
    }

    /// Why no attestor key can have `id`, or `nil`.
    static func keyIDProblem(_ id: String) -> String? {
        if id.isEmpty { return "the public key id is empty; it must be the id of one of the attestor's keys" }
        if id.utf8.count == 40, id.utf8.allSatisfy(\.isHexDigit) {
            guard id.uppercased().isIdentical(to: id) else {
                return
                    "public key id \(id) is not in upper case; Binary Authorization stores PGP key ids as upper-case "
                    + "fingerprints (\(id.uppercased())) and compares them exactly"
            }
            return nil
        }
        guard SyntaxRules.isURI(id) else {
            return "public key id \(quoted(id)) is neither a PGP fingerprint (40 upper-case hex digits) nor a URI; "
                + "attestor key ids are one or the other"
        }
        return nil
    }

    private static func quoted(_ text: String) -> String { "\"" + printable(text) + "\"" }

    /// One readable line: control characters escaped, very long text shortened.
    private static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars.prefix(200) {
            result += scalar.value < 0x20 || scalar.value == 0x7F ? scalar.escaped(asASCII: true) : String(scalar)
        }
        if text.unicodeScalars.count > 200 { result += "…" }
        return result
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

    /// gcloud's parsing of an artifact URL.
    static func parseGcloudArtifactURL(_ text: String) throws(AttestationError) -> ArtifactURL {
        do {
            return try ArtifactURL(text)
        } catch {
            throw AttestationError(code: .invalidArtifactURL, message: error.message)
        }
    }

    /// gcloud's parsing, then one check gcloud skips: its digest test is only "71 characters of `sh:0-9a-f`", and an
    /// attestation for anything but a real sha256 digest can never admit an image. Signing refuses that (nothing
    /// is gained by signing it); ``create(artifactURL:note:signature:publicKeyID:payload:)`` accepts it as gcloud
    /// does.
    static func parseArtifactURL(_ text: String) throws(AttestationError) -> ArtifactURL {
        let url = try parseGcloudArtifactURL(text)
        guard ImageReference.isSHA256Digest(url.digest) else {
            throw AttestationError(
                code: .invalidArtifactURL,
                message: "the digest \(url.digest) is not sha256: followed by 64 hex digits; an attestation for it "
                    + "could never admit an image")
        }
        return url
    }
}

extension UInt8 {
    /// `0-9`, `a-f`, `A-F`.
    fileprivate var isHexDigit: Bool { (0x30...0x39).contains(self) || (0x61...0x66).contains(self | 0x20) }
}
