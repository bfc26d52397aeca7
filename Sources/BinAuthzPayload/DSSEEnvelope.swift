// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// A DSSE envelope (`application/vnd.dsse.envelope.v1+json`): a payload, its type, and signatures over
/// ``DSSE/preAuthenticationEncoding(payloadType:payload:)`` of the two.
///
/// ```json
/// {"payload": "<base64>", "payloadType": "application/vnd.dev.cosign.simplesigning.v1+json",
///  "signatures": [{"keyid": "ni:///sha-256;…", "sig": "<base64>"}]}
/// ```
///
/// Read from JSON or YAML like the other resources (either base64 alphabet, unknown members ignored); written with
/// standard base64, as the DSSE specification and cosign write it. An attestation made with gcloud's
/// `sign-and-create --pae-encode-payload` is such an envelope spread over an occurrence — the plain payload in
/// `serializedPayload`, the PAE signatures in `signatures[]` — and converts both ways.
public struct DSSEEnvelope: Hashable, Sendable, Codable, BinAuthzResource {
    /// The payload's media type; the signed bytes are `PAE(payloadType, payload)`.
    public var payloadType: String
    /// The payload itself (not its PAE).
    public var payload: [UInt8]
    /// The signatures.
    public var signatures: [Signature]

    /// A signature and the id of the key that made it.
    public struct Signature: Hashable, Sendable, Codable {
        /// The key id (optional in DSSE; Binary Authorization's `publicKeyId`).
        public var keyID: String?
        /// The signature over ``DSSEEnvelope/signedBytes``.
        public var signature: [UInt8]

        /// Creates a signature.
        public init(keyID: String?, signature: [UInt8]) {
            self.keyID = keyID
            self.signature = signature
        }

        enum CodingKeys: String, CodingKey {
            case keyID = "keyid"
            case signature = "sig"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            keyID = try c.decodeIfPresent(String.self, forKey: .keyID)
            signature = try DSSEEnvelope.bytes(
                c.decode(String.self, forKey: .signature), at: c.codingPath + [CodingKeys.signature])
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(keyID, forKey: .keyID)
            try c.encode(Base64.encode(signature), forKey: .signature)
        }
    }

    /// Creates an envelope.
    public init(payloadType: String = DSSE.simpleSigningPayloadType, payload: [UInt8], signatures: [Signature]) {
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = signatures
    }

    /// The envelope of an occurrence whose signatures are over `PAE(payloadType, serializedPayload)` (gcloud's
    /// `--pae-encode-payload`): the payload and the v1 signatures with their key ids.
    public init(occurrence: AttestationOccurrence, payloadType: String = DSSE.simpleSigningPayloadType) {
        self.init(
            payloadType: payloadType, payload: occurrence.attestation?.serializedPayload ?? [],
            signatures: (occurrence.attestation?.signatures ?? []).map {
                Signature(keyID: $0.publicKeyID, signature: $0.signature ?? [])
            })
    }

    /// The bytes the signatures are over: `PAE(payloadType, payload)`.
    public var signedBytes: [UInt8] { DSSE.preAuthenticationEncoding(payloadType: payloadType, payload: payload) }

    /// The v1 occurrence gcloud's `--pae-encode-payload` would upload for this envelope: the plain payload in
    /// `serializedPayload`, each signature with its key id as `publicKeyId`.
    public func occurrence(resourceURI: String, noteName: String) -> AttestationOccurrence {
        AttestationOccurrence(
            resourceURI: resourceURI, noteName: noteName,
            attestation: Attestation(
                serializedPayload: payload,
                signatures: signatures.map { Attestation.Signature(signature: $0.signature, publicKeyID: $0.keyID) }))
    }

    public static var ignoresUnknownFields: Bool { true }

    enum CodingKeys: String, CodingKey { case payloadType, payload, signatures }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        payloadType = try c.decode(String.self, forKey: .payloadType)
        payload = try Self.bytes(c.decode(String.self, forKey: .payload), at: c.codingPath + [CodingKeys.payload])
        signatures = try c.decodeIfPresent([Signature].self, forKey: .signatures) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Base64.encode(payload), forKey: .payload)
        try c.encode(payloadType, forKey: .payloadType)
        try c.encode(signatures, forKey: .signatures)
    }

    static func bytes(_ text: String, at path: [any CodingKey]) throws -> [UInt8] {
        guard let bytes = Base64.decode(text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: path, debugDescription: "expected base64 data, found text that is not base64"))
        }
        return bytes
    }
}
