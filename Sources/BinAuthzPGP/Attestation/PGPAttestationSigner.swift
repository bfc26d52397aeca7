// SPDX-License-Identifier: Apache-2.0

import BinAuthzAttestation
import BinAuthzModel

extension AttestationSigner {
    /// Signs with a key already in a signing keyring.
    ///
    /// - Parameters:
    ///   - keyring: A keyring created with `EphemeralKeyring.Options.signing` that holds the secret key.
    ///   - fingerprint: The key's fingerprint, or one of its subkeys' (GnuPG then signs with the subkey); attestations
    ///     name the primary key's fingerprint, the attestor's key id.
    ///   - passphrase: The key's passphrase, if it has one.
    /// - Throws: `AttestationError.Code.invalidKey` when the keyring holds no secret key with that fingerprint.
    public static func pgp(keyring: EphemeralKeyring, fingerprint: PGPFingerprint, passphrase: String? = nil)
        throws(AttestationError) -> AttestationSigner
    {
        guard let key = keyring.key(fingerprint), key.hasSecretKey else {
            throw AttestationError(
                code: .invalidKey,
                message: "the keyring holds no secret key \(fingerprint.hex); import it with gpg --export-secret-keys "
                    + "output into a keyring created with EphemeralKeyring.Options.signing")
        }
        return AttestationSigner(
            PGPAttestationSigner(
                keyring: keyring, fingerprint: fingerprint, passphrase: passphrase, ownsKeyring: false,
                publicKeyID: key.fingerprint.hex))
    }

    /// Imports a PGP secret key (armored or binary, as `gpg --export-secret-keys` writes it) into a new signing
    /// keyring owned by the signer; ``close()`` removes it.
    ///
    /// - Parameters:
    ///   - secretKey: The key material.
    ///   - passphrase: The key's passphrase, if it has one.
    ///   - keyringBaseDirectory: Where the temporary GnuPG home is created (keep it short: 80 bytes at most).
    /// - Throws: `AttestationError.Code.invalidKey` when the material holds no secret key or several primary
    ///   keys; `AttestationError.Code.environment` when gpg is unusable.
    public static func pgp(
        secretKey: [UInt8], passphrase: String? = nil,
        keyringBaseDirectory: String = EphemeralKeyring.Options.signing.baseDirectory
    ) throws(AttestationError) -> AttestationSigner {
        try importPGP(passphrase: passphrase, base: keyringBaseDirectory) {
            (keyring: EphemeralKeyring) throws(PGPError) -> [PGPKey] in
            try keyring.importKeys(secretKey)
        }
    }

    /// Imports a base64-encoded PGP secret key — the CI pattern (`BINAUTH_PRIVATE_KEY` holding
    /// `gpg --export-secret-keys FPR | base64`). Line breaks and spaces in the text are ignored.
    public static func pgp(
        base64SecretKey text: String, passphrase: String? = nil,
        keyringBaseDirectory: String = EphemeralKeyring.Options.signing.baseDirectory
    ) throws(AttestationError) -> AttestationSigner {
        try importPGP(passphrase: passphrase, base: keyringBaseDirectory) {
            (keyring: EphemeralKeyring) throws(PGPError) -> [PGPKey] in
            try keyring.importKeys(base64Encoded: text)
        }
    }

    private static func importPGP(
        passphrase: String?, base: String, _ load: (EphemeralKeyring) throws(PGPError) -> [PGPKey]
    ) throws(AttestationError) -> AttestationSigner {
        let keyring: EphemeralKeyring
        do {
            keyring = try EphemeralKeyring(options: EphemeralKeyring.Options(purpose: .signing, baseDirectory: base))
        } catch {
            throw AttestationError(code: .environment, message: "cannot create a signing keyring: \(error)")
        }
        do {
            let keys = try load(keyring).filter(\.hasSecretKey)
            guard keys.count == 1, let key = keys.first else {
                throw AttestationError(
                    code: .invalidKey,
                    message: keys.isEmpty
                        ? "the key material holds no PGP secret key (export it with gpg --export-secret-keys)"
                        : "the key material holds \(keys.count) secret keys; give exactly one")
            }
            return AttestationSigner(
                PGPAttestationSigner(
                    keyring: keyring, fingerprint: key.fingerprint, passphrase: passphrase, ownsKeyring: true,
                    publicKeyID: key.fingerprint.hex))
        } catch let error as AttestationError {
            keyring.close()
            throw error
        } catch {
            keyring.close()
            throw AttestationError(code: .invalidKey, message: "the PGP secret key cannot be imported: \(error)")
        }
    }

}

/// A PGP secret key in a signing keyring as an `AttestationSigning`: attached, armored
/// signatures (`gpg --armor --sign`).
struct PGPAttestationSigner: AttestationSigning {
    let keyring: EphemeralKeyring
    let fingerprint: PGPFingerprint
    let passphrase: String?
    let ownsKeyring: Bool
    let publicKeyID: String

    func sign(_ payload: [UInt8]) throws(AttestationError) -> [UInt8] {
        do {
            return try keyring.sign(payload, with: fingerprint, passphrase: passphrase)
        } catch {
            throw AttestationError(code: .signingFailed, message: "PGP signing failed: \(error)")
        }
    }

    /// Removes the signing keyring if the signer created it.
    func close() {
        if ownsKeyring { keyring.close() }
    }
}

extension Attestor {
    /// Reads an attestor's PGP key: exactly one public primary key (no secret key material).
    package static func readPGPPublicKey(_ armoredKey: String, limits: InputLimits = .default)
        throws(AttestationError) -> PGPKeyBlock.Key
    {
        let key: PGPKeyBlock.Key
        do {
            key = try PGPKeyBlock(armored: armoredKey, limits: limits).singleKey()
        } catch {
            throw AttestationError(code: .invalidKey, message: "the PGP public key cannot be read: \(error)")
        }
        guard !key.isSecret, !key.subkeys.contains(where: \.isSecret) else {
            throw AttestationError(
                code: .invalidKey,
                message:
                    "this is a secret key; attestors take the public key (gpg --armor --export \(key.fingerprint.hex))")
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
    /// - Throws: `AttestationError.Code.invalidKey` for a block that is not exactly one public
    ///   key; `AttestationError.Code.duplicateKey` with gcloud's message `Provided public key
    ///   already present on attestor [NAME]`.
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

    /// `gcloud … attestors public-keys update ID --pgp-public-key-file F [--comment C]`: replaces the armored text of
    /// the one PGP key whose id is `id`. The service recomputes the id from the new text: a different key gets its
    /// own fingerprint as id (gcloud then crashes looking for the old id, after the attestor was updated), and
    /// attestations naming the old id stop verifying.
    ///
    /// - Parameters:
    ///   - id: The key's current id, compared exactly.
    ///   - armoredKey: The new `gpg --armor --export` text.
    ///   - comment: A new comment, or `nil` to keep it.
    /// - Returns: The updated key (with its new id).
    /// - Throws: `AttestationError.Code.keyNotFound`,
    ///   `AttestationError.Code.ambiguousKeyID` (gcloud's texts),
    ///   `AttestationError.Code.invalidKey` for a key that is not PGP (`Cannot update a non-PGP
    ///   PublicKey with a PGP public key`) or a text that is not one PGP public key.
    @discardableResult
    public mutating func updatePGPPublicKey(id: String, armoredKey: String, comment: String? = nil)
        throws(AttestationError) -> AttestorPublicKey
    {
        let index = try uniqueKeyIndex(id: id)
        guard publicKeys[index].asciiArmoredPGPPublicKey?.isEmpty == false else {
            throw AttestationError(
                code: .invalidKey, message: "Cannot update a non-PGP PublicKey with a PGP public key")
        }
        let fingerprint = try Self.readPGPPublicKey(armoredKey).fingerprint.hex
        modifyKeys { keys in
            keys[index].asciiArmoredPGPPublicKey = armoredKey
            keys[index].id = fingerprint
            if let comment { keys[index].comment = comment }
        }
        return publicKeys[index]
    }
}
