// SPDX-License-Identifier: Apache-2.0

/// A Container Analysis occurrence of kind `ATTESTATION`: signatures over an image's payload, attached to the
/// attestor's note.
///
/// Both generations are read and written back unchanged:
///
/// - **v1** (current gcloud): `resourceUri`, `noteName`, `attestation.serializedPayload`,
///   `attestation.signatures[]{signature, publicKeyId}`, `attestation.jwts[]`.
/// - **v1beta1** (gcloud before 2020, the seed article): `resource.uri`, `noteName`,
///   `attestation.attestation.pgpSignedAttestation{signature, contentType, pgpKeyId}` or
///   `…genericSignedAttestation{contentType, serializedPayload, signatures[]}`.
///
/// ``signatures`` presents the signatures of either shape uniformly.
public struct AttestationOccurrence: Hashable, Sendable, Codable {
    /// `projects/{project}/occurrences/{id}` (output only).
    public var name: String?
    /// The image, `registry/repository@sha256:…`, with or without `https://` (v1).
    public var resourceURI: String?
    /// The image as a v1beta1 resource (`resource.uri`).
    public var resource: Resource?
    /// The attestor's note, `projects/{project}/notes/{note}`.
    public var noteName: String?
    /// The occurrence kind (output only), `ATTESTATION`.
    public var kind: NoteKind?
    /// A description of actions that can be taken to remedy the note.
    public var remediation: String?
    /// When the occurrence was created (output only).
    public var createTime: String?
    /// When the occurrence was last updated (output only).
    public var updateTime: String?
    /// The signed content.
    public var attestation: Attestation?

    /// Creates a v1 occurrence.
    public init(resourceURI: String?, noteName: String?, attestation: Attestation?, kind: NoteKind? = .attestation) {
        self.name = nil
        self.resourceURI = resourceURI
        self.resource = nil
        self.noteName = noteName
        self.kind = kind
        self.remediation = nil
        self.createTime = nil
        self.updateTime = nil
        self.attestation = attestation
    }

    /// The image URI from whichever generation's field holds it.
    public var imageURI: String? { resourceURI ?? resource?.uri }

    /// Every signature of the occurrence, from either generation, in document order.
    public var signatures: [OccurrenceSignature] {
        guard let attestation else { return [] }
        var result: [OccurrenceSignature] = []
        for signature in attestation.signatures {
            result.append(
                OccurrenceSignature(
                    kind: .v1, publicKeyID: signature.publicKeyID, signature: signature.signature ?? [],
                    serializedPayload: attestation.serializedPayload ?? []))
        }
        if let legacy = attestation.attestation {
            if let pgp = legacy.pgpSignedAttestation {
                result.append(
                    OccurrenceSignature(
                        kind: .v1beta1PGP, publicKeyID: pgp.pgpKeyID, signature: Array((pgp.signature ?? "").utf8),
                        serializedPayload: []))
            }
            if let generic = legacy.genericSignedAttestation {
                for signature in generic.signatures {
                    result.append(
                        OccurrenceSignature(
                            kind: .v1beta1Generic, publicKeyID: signature.publicKeyID,
                            signature: signature.signature ?? [], serializedPayload: generic.serializedPayload ?? []))
                }
            }
        }
        return result
    }

    /// Whether the occurrence carries JWT attestations (`attestation.jwts`). They never satisfy an attestor.
    public var hasJWTs: Bool { !(attestation?.jwts.isEmpty ?? true) }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name
        case resourceURI = "resourceUri"
        case resource, noteName, kind, remediation, createTime, updateTime, attestation
    }

    /// A v1beta1 resource reference.
    public struct Resource: Hashable, Sendable, Codable {
        /// The image URI, `https://gcr.io/…@sha256:…` in gcloud's v1beta1 output.
        public var uri: String?
        /// Deprecated resource name.
        public var name: String?

        /// Creates a resource reference.
        public init(uri: String?, name: String? = nil) {
            self.uri = uri
            self.name = name
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case uri, name }
    }
}

/// The `attestation` field of an occurrence.
///
/// In v1 it holds the payload and signatures directly; in v1beta1 it wraps an inner
/// ``LegacyAttestation`` under a second `attestation` key. Both shapes decode into this one type.
public struct Attestation: Hashable, Sendable, Codable {
    /// The signed payload (v1). For PGP signatures this is informational: the payload checked is the literal
    /// data inside the signature.
    public var serializedPayload: [UInt8]?
    /// Signatures over ``serializedPayload`` (v1).
    public var signatures: [Signature]
    /// JWT attestations (v1). Not supported by Binary Authorization's project policies.
    public var jwts: [JWT]
    /// The v1beta1 inner attestation.
    public var attestation: LegacyAttestation?

    /// Creates a v1 attestation.
    public init(serializedPayload: [UInt8]?, signatures: [Signature], jwts: [JWT] = []) {
        self.serializedPayload = serializedPayload
        self.signatures = signatures
        self.jwts = jwts
        self.attestation = nil
    }

    /// Creates a v1beta1 attestation.
    public init(legacy: LegacyAttestation) {
        self.serializedPayload = nil
        self.signatures = []
        self.jwts = []
        self.attestation = legacy
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case serializedPayload, signatures, jwts, attestation
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        serializedPayload = try c.decodeBase64IfPresent(forKey: .serializedPayload)
        signatures = try c.decodeIfPresent([Signature].self, forKey: .signatures) ?? []
        jwts = try c.decodeIfPresent([JWT].self, forKey: .jwts) ?? []
        attestation = try c.decodeIfPresent(LegacyAttestation.self, forKey: .attestation)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeBase64IfPresent(serializedPayload, forKey: .serializedPayload)
        if !signatures.isEmpty { try c.encode(signatures, forKey: .signatures) }
        if !jwts.isEmpty { try c.encode(jwts, forKey: .jwts) }
        try c.encodeIfPresent(attestation, forKey: .attestation)
    }

    /// A signature with the id of the key that made it (`Signature`).
    public struct Signature: Hashable, Sendable, Codable {
        /// The signature bytes: for PGP the ASCII-armored attached signature, for PKIX the raw signature
        /// (DER for ECDSA).
        public var signature: [UInt8]?
        /// The id of the attestor key to verify with; matched exactly against ``AttestorPublicKey/id``.
        public var publicKeyID: String?

        /// Creates a signature.
        public init(signature: [UInt8]?, publicKeyID: String?) {
            self.signature = signature
            self.publicKeyID = publicKeyID
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case signature
            case publicKeyID = "publicKeyId"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            signature = try c.decodeBase64IfPresent(forKey: .signature)
            publicKeyID = try c.decodeIfPresent(String.self, forKey: .publicKeyID)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeBase64IfPresent(signature, forKey: .signature)
            try c.encodeIfPresent(publicKeyID, forKey: .publicKeyID)
        }
    }

    /// A JWT attestation (`Jwt`).
    public struct JWT: Hashable, Sendable, Codable {
        /// The compact serialisation (`header.payload.signature`).
        public var compactJwt: String?

        /// Creates a JWT entry.
        public init(compactJwt: String?) { self.compactJwt = compactJwt }

        enum CodingKeys: String, CodingKey, CaseIterable { case compactJwt }
    }
}

/// The v1beta1 inner attestation: a PGP-signed or a generic-signed attestation.
public struct LegacyAttestation: Hashable, Sendable, Codable {
    /// An attached, ASCII-armored OpenPGP signature.
    public var pgpSignedAttestation: PGPSignedAttestation?
    /// A payload with detached signatures.
    public var genericSignedAttestation: GenericSignedAttestation?

    /// Creates an inner attestation.
    public init(
        pgpSignedAttestation: PGPSignedAttestation? = nil, genericSignedAttestation: GenericSignedAttestation? = nil
    ) {
        self.pgpSignedAttestation = pgpSignedAttestation
        self.genericSignedAttestation = genericSignedAttestation
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case pgpSignedAttestation, genericSignedAttestation }

    /// `PgpSignedAttestation`: the armored signature *text* (not base64), its content type and key id.
    public struct PGPSignedAttestation: Hashable, Sendable, Codable {
        /// `gpg --armor --sign` output, as text.
        public var signature: String?
        /// `SIMPLE_SIGNING_JSON` for Binary Authorization.
        public var contentType: ContentType?
        /// The signer's 40-hex v4 fingerprint.
        public var pgpKeyID: String?

        /// Creates a PGP-signed attestation.
        public init(signature: String?, contentType: ContentType? = .simpleSigningJSON, pgpKeyID: String?) {
            self.signature = signature
            self.contentType = contentType
            self.pgpKeyID = pgpKeyID
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case signature, contentType
            case pgpKeyID = "pgpKeyId"
        }
    }

    /// `GenericSignedAttestation`: a payload and detached signatures.
    public struct GenericSignedAttestation: Hashable, Sendable, Codable {
        /// The payload's content type.
        public var contentType: ContentType?
        /// The signed payload.
        public var serializedPayload: [UInt8]?
        /// The signatures.
        public var signatures: [Attestation.Signature]

        /// Creates a generic-signed attestation.
        public init(
            contentType: ContentType? = .simpleSigningJSON, serializedPayload: [UInt8]?,
            signatures: [Attestation.Signature]
        ) {
            self.contentType = contentType
            self.serializedPayload = serializedPayload
            self.signatures = signatures
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case contentType, serializedPayload, signatures }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            contentType = try c.decodeIfPresent(ContentType.self, forKey: .contentType)
            serializedPayload = try c.decodeBase64IfPresent(forKey: .serializedPayload)
            signatures = try c.decodeIfPresent([Attestation.Signature].self, forKey: .signatures) ?? []
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(contentType, forKey: .contentType)
            try c.encodeBase64IfPresent(serializedPayload, forKey: .serializedPayload)
            if !signatures.isEmpty { try c.encode(signatures, forKey: .signatures) }
        }
    }

    /// The content type of a v1beta1 signed attestation.
    public struct ContentType: APIEnum {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// `CONTENT_TYPE_UNSPECIFIED`.
        public static let unspecified = ContentType(rawValue: "CONTENT_TYPE_UNSPECIFIED")
        /// `SIMPLE_SIGNING_JSON` — the atomic-container-signature JSON payload.
        public static let simpleSigningJSON = ContentType(rawValue: "SIMPLE_SIGNING_JSON")

        public static let knownValues: [ContentType] = [.unspecified, .simpleSigningJSON]
    }
}

/// One signature of an occurrence, whichever generation it came from.
public struct OccurrenceSignature: Hashable, Sendable {
    /// Where in the occurrence the signature was found.
    ///
    /// An extensible code: compare with `==`, and give a `switch` over it a `default`.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        enum Backing: String, Hashable, Sendable {
            case v1, v1beta1PGP, v1beta1Generic
        }
        let backing: Backing
        init(_ backing: Backing) { self.backing = backing }

        /// `attestation.signatures[]` (v1).
        public static let v1 = Kind(.v1)
        /// `attestation.attestation.pgpSignedAttestation` (v1beta1); the signature is armored text.
        public static let v1beta1PGP = Kind(.v1beta1PGP)
        /// `attestation.attestation.genericSignedAttestation.signatures[]` (v1beta1).
        public static let v1beta1Generic = Kind(.v1beta1Generic)

        public var description: String { backing.rawValue }
    }

    /// Where the signature was found.
    public var kind: Kind
    /// The key id the signature names (`publicKeyId`, or `pgpKeyId` for v1beta1 PGP).
    public var publicKeyID: String?
    /// The signature bytes (for PGP: the armored message's bytes).
    public var signature: [UInt8]
    /// The payload the signature is over, for detached (PKIX) signatures. Empty for v1beta1 PGP.
    public var serializedPayload: [UInt8]

    /// Creates a signature view.
    public init(kind: Kind, publicKeyID: String?, signature: [UInt8], serializedPayload: [UInt8]) {
        self.kind = kind
        self.publicKeyID = publicKeyID
        self.signature = signature
        self.serializedPayload = serializedPayload
    }
}
