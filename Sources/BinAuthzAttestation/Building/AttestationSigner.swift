// SPDX-License-Identifier: Apache-2.0

/// What signs attestation payloads: a PKIX private key, a PGP secret key in an ephemeral keyring, or a signer of
/// your own (a Cloud KMS client, an HSM).
public protocol AttestationSigning: Sendable {
    /// The id attestations made with this signer name in `publicKeyId`.
    var publicKeyID: String { get }
    /// Signs `payload` the way the attestor's key kind expects (an attached, armored PGP message; a PKIX signature,
    /// DER for ECDSA).
    func sign(_ payload: [UInt8]) throws(AttestationError) -> [UInt8]
    /// Releases what the signer owns (a temporary GnuPG home). Safe to call more than once.
    func close()
}

extension AttestationSigning {
    public func close() {}
}

/// A key that signs attestation payloads: a PGP secret key in an ephemeral keyring (`AttestationSigner.pgp(…)`,
/// module `BinAuthzPGP`), or a PKIX private key (`AttestationSigner.pkix(…)`, module `BinAuthzPKIX`).
///
/// ```swift
/// // The CircleCI pattern: a base64-encoded secret key in an environment variable.
/// let signer = try AttestationSigner.pgp(base64SecretKey: env["BINAUTH_PRIVATE_KEY"]!)
/// defer { signer.close() }
/// let occurrence = try AttestationOccurrence.signAndCreate(artifactURL: url, note: note, signer: signer)
/// ```
///
/// A signer is a reference: copies share one key, and ``close()`` (or the last reference going away) releases what
/// the signer owns.
public final class AttestationSigner: AttestationSigning {
    private let signing: any AttestationSigning

    /// The id attestations made with this signer name in `publicKeyId`: the PGP fingerprint, or the PKIX key id
    /// (by default `ni:///sha-256;…` of the public key).
    public var publicKeyID: String { signing.publicKeyID }

    /// Wraps any signer.
    public init(_ signing: any AttestationSigning) {
        self.signing = signing
    }

    deinit { close() }

    /// Signs `payload`: an attached, ASCII-armored PGP message (what `gpg --armor --sign` makes), or a PKIX signature
    /// (DER for ECDSA).
    public func sign(_ payload: [UInt8]) throws(AttestationError) -> [UInt8] {
        try signing.sign(payload)
    }

    /// Releases what the signer owns (for a PGP signer that imported its key, the keyring). Safe to call more than
    /// once.
    public func close() { signing.close() }
}
