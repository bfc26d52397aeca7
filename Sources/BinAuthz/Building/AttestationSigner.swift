// SPDX-License-Identifier: Apache-2.0

/// A key that signs attestation payloads: a PGP secret key in an ephemeral keyring, or a PKIX private key.
///
/// ```swift
/// // The CircleCI pattern: a base64-encoded secret key in an environment variable.
/// let signer = try AttestationSigner.pgp(base64SecretKey: env["BINAUTH_PRIVATE_KEY"]!)
/// defer { signer.close() }
/// let occurrence = try AttestationOccurrence.signAndCreate(artifactURL: url, note: note, signer: signer)
/// ```
///
/// A signer is a reference: copies share one key, and ``close()`` (or the last reference going away) removes a
/// keyring the signer created.
public final class AttestationSigner: Sendable {
    enum Backing: Sendable {
        case pgp(EphemeralKeyring, PGPFingerprint, passphrase: String?, ownsKeyring: Bool)
        case pkix(PKIXSigner)
    }

    let backing: Backing
    /// The id attestations made with this signer name in `publicKeyId`: the PGP fingerprint, or the PKIX key id
    /// (by default `ni:///sha-256;…` of the public key).
    public let publicKeyID: String

    private init(backing: Backing, publicKeyID: String) {
        self.backing = backing
        self.publicKeyID = publicKeyID
    }

    deinit { close() }

    /// Signs with a key already in a signing keyring.
    ///
    /// - Parameters:
    ///   - keyring: A keyring created with `EphemeralKeyring.Options.signing` that holds the secret key.
    ///   - fingerprint: The key's fingerprint, or one of its subkeys' (GnuPG then signs with the subkey); attestations
    ///     name the primary key's fingerprint, the attestor's key id.
    ///   - passphrase: The key's passphrase, if it has one.
    /// - Throws: ``AttestationError/Code/invalidKey`` when the keyring holds no secret key with that fingerprint.
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
            backing: .pgp(keyring, fingerprint, passphrase: passphrase, ownsKeyring: false),
            publicKeyID: key.fingerprint.hex)
    }

    /// Imports a PGP secret key (armored or binary, as `gpg --export-secret-keys` writes it) into a new signing
    /// keyring owned by the signer; ``close()`` removes it.
    ///
    /// - Parameters:
    ///   - secretKey: The key material.
    ///   - passphrase: The key's passphrase, if it has one.
    ///   - keyringBaseDirectory: Where the temporary GnuPG home is created (keep it short: 80 bytes at most).
    /// - Throws: ``AttestationError/Code/invalidKey`` when the material holds no secret key or several primary
    ///   keys; ``AttestationError/Code/environment`` when gpg is unusable.
    public static func pgp(
        secretKey: [UInt8], passphrase: String? = nil,
        keyringBaseDirectory: String = EphemeralKeyring.Options.signing.baseDirectory
    ) throws(AttestationError) -> AttestationSigner {
        try importPGP(passphrase: passphrase, base: keyringBaseDirectory) { (keyring: EphemeralKeyring) throws(PGPError) -> [PGPKey] in
            try keyring.importKeys(secretKey)
        }
    }

    /// Imports a base64-encoded PGP secret key — the CI pattern (`BINAUTH_PRIVATE_KEY` holding
    /// `gpg --export-secret-keys FPR | base64`). Line breaks and spaces in the text are ignored.
    public static func pgp(
        base64SecretKey text: String, passphrase: String? = nil,
        keyringBaseDirectory: String = EphemeralKeyring.Options.signing.baseDirectory
    ) throws(AttestationError) -> AttestationSigner {
        try importPGP(passphrase: passphrase, base: keyringBaseDirectory) { (keyring: EphemeralKeyring) throws(PGPError) -> [PGPKey] in
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
                backing: .pgp(keyring, key.fingerprint, passphrase: passphrase, ownsKeyring: true),
                publicKeyID: key.fingerprint.hex)
        } catch let error as AttestationError {
            keyring.close()
            throw error
        } catch {
            keyring.close()
            throw AttestationError(code: .invalidKey, message: "the PGP secret key cannot be imported: \(error)")
        }
    }

    /// Signs with a PKIX private key.
    ///
    /// - Parameters:
    ///   - signer: The key and its algorithm.
    ///   - keyID: The attestor's id for the key; by default `ni:///sha-256;…` of its public key. Must be a URI.
    /// - Throws: ``AttestationError/Code/invalidKeyID`` for an id that is not a URI.
    public static func pkix(_ signer: PKIXSigner, keyID: String? = nil) throws(AttestationError) -> AttestationSigner {
        if let keyID {
            do {
                try PKIXKeyID.validate(keyID)
            } catch {
                throw AttestationError(code: .invalidKeyID, message: error.message)
            }
        }
        return AttestationSigner(backing: .pkix(signer), publicKeyID: keyID ?? signer.publicKey.defaultKeyID)
    }

    /// Signs `payload`: an attached, ASCII-armored PGP message (what `gpg --armor --sign` makes), or a PKIX signature
    /// (DER for ECDSA).
    public func sign(_ payload: [UInt8]) throws(AttestationError) -> [UInt8] {
        switch backing {
        case .pgp(let keyring, let fingerprint, let passphrase, _):
            do {
                return try keyring.sign(payload, with: fingerprint, passphrase: passphrase)
            } catch {
                throw AttestationError(code: .signingFailed, message: "PGP signing failed: \(error)")
            }
        case .pkix(let signer):
            do {
                return try signer.sign(payload)
            } catch {
                throw AttestationError(code: .signingFailed, message: "PKIX signing failed: \(error.message)")
            }
        }
    }

    /// Removes the signing keyring if the signer created it. Safe to call more than once.
    public func close() {
        if case .pgp(let keyring, _, _, true) = backing { keyring.close() }
    }
}
