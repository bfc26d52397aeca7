// SPDX-License-Identifier: Apache-2.0

extension Note {
    /// The Container Analysis note an attestor needs: kind `ATTESTATION` with a human-readable hint, in the v1
    /// shape (`attestation.hint.humanReadableName`) the REST API's `notes.create` takes.
    ///
    /// - Parameters:
    ///   - name: `projects/P/notes/N`.
    ///   - humanReadableName: The hint; defaults to the note id.
    public static func attestationNote(_ name: NoteName, humanReadableName: String? = nil) -> Note {
        Note(name: name.description, humanReadableName: humanReadableName ?? name.note)
    }
}

extension Attestor {
    /// An attestor with no keys yet, as `gcloud container binauthz attestors create` makes it.
    ///
    /// - Parameters:
    ///   - name: `projects/P/attestors/A`.
    ///   - note: The note its occurrences hang on, `projects/P/notes/N` (a project ID, not a number).
    ///   - description: An optional description.
    public init(name: AttestorName, note: NoteName, description: String? = nil) {
        self.init(
            name: name.description, description: description,
            userOwnedGrafeasNote: UserOwnedGrafeasNote(noteReference: note.description))
    }

    /// Reads an attestor's PGP public key: exactly one primary key, with no secret key or subkey material.
    ///
    /// - Throws: ``AttestationError/Code/invalidKey`` saying what is wrong and how to export the right thing.
    static func readPGPPublicKey(_ armoredKey: String) throws(AttestationError) -> PGPKeyBlock.Key {
        let key: PGPKeyBlock.Key
        do {
            key = try PGPKeyBlock(armored: armoredKey).singleKey()
        } catch {
            throw AttestationError(code: .invalidKey, message: "the PGP public key cannot be read: \(error)")
        }
        guard !key.isSecret, !key.subkeys.contains(where: \.isSecret) else {
            throw AttestationError(
                code: .invalidKey,
                message: "this is a secret key; attestors take the public key (gpg --armor --export \(key.fingerprint.hex))")
        }
        return key
    }

    /// Adds a PGP public key the way `gcloud … attestors public-keys add --pgp-public-key-file` does: the key's
    /// id is its primary key's v4 fingerprint (40 upper-case hex), which the service computes.
    ///
    /// - Parameters:
    ///   - armoredKey: The output of `gpg --armor --export` for exactly one key.
    ///   - comment: An optional comment.
    /// - Returns: The key entry that was added.
    /// - Throws: ``AttestationError/Code/invalidKey`` for a block that is not exactly one public key;
    ///   ``AttestationError/Code/duplicateKey`` with gcloud's message `Provided public key already present on
    ///   attestor [NAME]`.
    @discardableResult
    public mutating func addPGPPublicKey(_ armoredKey: String, comment: String? = nil) throws(AttestationError)
        -> AttestorPublicKey
    {
        let id = try Self.readPGPPublicKey(armoredKey).fingerprint.hex
        if publicKeys.contains(where: { $0.id?.isIdentical(to: id) ?? false }) {
            throw AttestationError(
                code: .duplicateKey, message: "Provided public key already present on attestor [\(name ?? "")]")
        }
        let entry = AttestorPublicKey.pgp(id: id, armoredKey: armoredKey, comment: comment)
        appendKey(entry)
        return entry
    }

    /// Adds a PKIX public key the way `gcloud … attestors public-keys add --pkix-public-key-file` does.
    ///
    /// - Parameters:
    ///   - pem: A PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    ///   - algorithm: The `signatureAlgorithm`; the key's type and size must match it.
    ///   - idOverride: A key id to use instead of the default `ni:///sha-256;…` (gcloud `--public-key-id-override`);
    ///     it must be an RFC 3986 URI.
    ///   - comment: An optional comment.
    /// - Returns: The key entry that was added.
    /// - Throws: ``AttestationError/Code/invalidKey`` (unreadable PEM, or a key that does not suit the algorithm —
    ///   the message names both); ``AttestationError/Code/invalidKeyID``; ``AttestationError/Code/duplicateKey`` with
    ///   gcloud's message `Public key with ID [ID] already present on attestor [NAME]`.
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
            id: id, key: PkixPublicKey(publicKeyPem: pem, signatureAlgorithm: algorithm), comment: comment)
        appendKey(entry)
        return entry
    }

    private mutating func appendKey(_ key: AttestorPublicKey) {
        if userOwnedGrafeasNote != nil {
            userOwnedGrafeasNote!.publicKeys.append(key)
        } else if userOwnedDrydockNote != nil {
            userOwnedDrydockNote!.publicKeys.append(key)
        } else {
            userOwnedGrafeasNote = UserOwnedGrafeasNote(noteReference: nil, publicKeys: [key])
        }
    }
}
