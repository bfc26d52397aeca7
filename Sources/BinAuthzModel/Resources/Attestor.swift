// SPDX-License-Identifier: Apache-2.0

/// An attestor: a set of public keys trusted to vouch for images, tied to a Container Analysis note.
/// The v1 REST `Attestor` resource.
///
/// ```yaml
/// name: projects/my-proj/attestors/built-by-ci
/// userOwnedGrafeasNote:
///   noteReference: projects/my-proj/notes/built-by-ci-note
///   publicKeys:
///   - id: E50ABDE5A0C05DB317479494C111AF41B88ECC96
///     asciiArmoredPgpPublicKey: |
///       -----BEGIN PGP PUBLIC KEY BLOCK-----
///       …
/// ```
///
/// An attestor with no public keys never verifies an attestation.
public struct Attestor: Hashable, Sendable, Codable {
    /// `projects/{project}/attestors/{attestor}`. Required.
    public var name: String?
    /// A free-form description.
    public var description: String?
    /// The note and keys (v1 field `userOwnedGrafeasNote`).
    public var userOwnedGrafeasNote: UserOwnedGrafeasNote?
    /// The same content under its v1beta1 name (`userOwnedDrydockNote`), kept when an old export is read.
    public var userOwnedDrydockNote: UserOwnedGrafeasNote?
    /// When the server last updated the attestor (output only).
    public var updateTime: String?
    /// The etag for optimistic concurrency.
    public var etag: String?

    /// Creates an attestor.
    public init(
        name: String?,
        description: String? = nil,
        userOwnedGrafeasNote: UserOwnedGrafeasNote?,
        updateTime: String? = nil,
        etag: String? = nil
    ) {
        self.name = name
        self.description = description
        self.userOwnedGrafeasNote = userOwnedGrafeasNote
        self.userOwnedDrydockNote = nil
        self.updateTime = updateTime
        self.etag = etag
    }

    /// The attestor's note and keys, whichever API version's field holds them.
    public var note: UserOwnedGrafeasNote? { userOwnedGrafeasNote ?? userOwnedDrydockNote }

    /// The attestor's public keys (empty when it has none).
    public var publicKeys: [AttestorPublicKey] { note?.publicKeys ?? [] }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, userOwnedGrafeasNote, userOwnedDrydockNote, updateTime, etag
    }
}

/// The note an attestor reads occurrences from, and the keys it trusts (`UserOwnedGrafeasNote`).
public struct UserOwnedGrafeasNote: Hashable, Sendable, Codable {
    /// `projects/{project}/notes/{note}` — a project *ID*, not a number. Required, immutable.
    public var noteReference: String?
    /// The trusted keys. Empty means the attestor never verifies anything.
    public var publicKeys: [AttestorPublicKey]
    /// The service account Binary Authorization uses to read occurrences (output only).
    public var delegationServiceAccountEmail: String?

    /// Creates a note reference with keys.
    public init(
        noteReference: String?, publicKeys: [AttestorPublicKey] = [], delegationServiceAccountEmail: String? = nil
    ) {
        self.noteReference = noteReference
        self.publicKeys = publicKeys
        self.delegationServiceAccountEmail = delegationServiceAccountEmail
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case noteReference, publicKeys, delegationServiceAccountEmail
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        noteReference = try c.decodeIfPresent(String.self, forKey: .noteReference)
        publicKeys = try c.decodeIfPresent([AttestorPublicKey].self, forKey: .publicKeys) ?? []
        delegationServiceAccountEmail = try c.decodeIfPresent(String.self, forKey: .delegationServiceAccountEmail)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(noteReference, forKey: .noteReference)
        if !publicKeys.isEmpty { try c.encode(publicKeys, forKey: .publicKeys) }
        try c.encodeIfPresent(delegationServiceAccountEmail, forKey: .delegationServiceAccountEmail)
    }
}

/// One trusted key of an attestor (`AttestorPublicKey`): an ASCII-armored OpenPGP key or a PKIX key.
///
/// The API makes the two a oneof; a value holding both (or neither) does not validate.
public struct AttestorPublicKey: Hashable, Sendable, Codable {
    /// A free-form comment.
    public var comment: String?
    /// The key id attestations name in `publicKeyId`. For PGP keys the server computes it (the primary key's
    /// 40-hex v4 fingerprint, upper case); for PKIX keys it defaults to `ni:///sha-256;…` of the SPKI.
    public var id: String?
    /// The output of `gpg --armor --export` for exactly one key.
    public var asciiArmoredPGPPublicKey: String?
    /// A PEM public key with its signature algorithm.
    public var pkixPublicKey: PKIXKeySpec?

    /// Creates a key entry.
    public init(
        comment: String? = nil, id: String?, asciiArmoredPGPPublicKey: String? = nil,
        pkixPublicKey: PKIXKeySpec? = nil
    ) {
        self.comment = comment
        self.id = id
        self.asciiArmoredPGPPublicKey = asciiArmoredPGPPublicKey
        self.pkixPublicKey = pkixPublicKey
    }

    /// A PGP key entry.
    public static func pgp(id: String, armoredKey: String, comment: String? = nil) -> AttestorPublicKey {
        AttestorPublicKey(comment: comment, id: id, asciiArmoredPGPPublicKey: armoredKey)
    }

    /// A PKIX key entry.
    public static func pkix(id: String, key: PKIXKeySpec, comment: String? = nil) -> AttestorPublicKey {
        AttestorPublicKey(comment: comment, id: id, pkixPublicKey: key)
    }

    /// The key material, when exactly one kind is present (the REST fields are the public view: a new kind of key
    /// would be a new field, not a new case callers must switch over).
    package var material: Material? {
        switch (asciiArmoredPGPPublicKey, pkixPublicKey) {
        case (let armored?, nil): .pgp(armored)
        case (nil, let pkix?): .pkix(pkix)
        default: nil
        }
    }

    /// The two kinds of key an attestor can hold.
    package enum Material: Hashable, Sendable {
        /// An ASCII-armored OpenPGP public key.
        case pgp(String)
        /// A PEM SubjectPublicKeyInfo key with its algorithm.
        case pkix(PKIXKeySpec)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case comment, id
        case asciiArmoredPGPPublicKey = "asciiArmoredPgpPublicKey"
        case pkixPublicKey
    }
}

/// A PEM public key and the algorithm it signs with (`PkixPublicKey`).
public struct PKIXKeySpec: Hashable, Sendable, Codable {
    /// `-----BEGIN PUBLIC KEY-----` (SubjectPublicKeyInfo, RFC 7468 §13).
    public var publicKeyPEM: String?
    /// The algorithm; must match the key's type and size.
    public var signatureAlgorithm: SignatureAlgorithm?
    /// Optional key id; if set it must be an RFC 3986 URI equal to the enclosing ``AttestorPublicKey/id``.
    public var keyID: String?

    /// Creates a PKIX key.
    public init(publicKeyPEM: String?, signatureAlgorithm: SignatureAlgorithm?, keyID: String? = nil) {
        self.publicKeyPEM = publicKeyPEM
        self.signatureAlgorithm = signatureAlgorithm
        self.keyID = keyID
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case publicKeyPEM = "publicKeyPem"
        case signatureAlgorithm
        case keyID = "keyId"
    }
}
