// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPayload

/// A key Google Cloud Build signs provenance with, and how it signs.
public struct CloudBuildProvenanceKey: Hashable, Sendable {
    /// `https://slsa.dev/provenance/v0.1`: what the regional `builtByGCB` and global `provenanceSigner` keys sign.
    public static let slsaV01 = "https://slsa.dev/provenance/v0.1"
    /// `https://slsa.dev/provenance/v1`: what the global `google-hosted-worker` key signs.
    public static let slsaV1 = "https://slsa.dev/provenance/v1"

    /// The `keyid` of the envelope signatures this key makes (a Cloud KMS key version name).
    public var keyID: String
    /// Whether the key signs DSSE's `PAE(payloadType, payload)` (the global keys) or the payload itself (the
    /// regional `builtByGCB` keys).
    public var signsPAE: Bool
    /// The provenance predicate type the key's statements have.
    public var predicateType: String
    /// The ECDSA P-256 public key, PEM.
    public var publicKeyPEM: String

    /// Describes a key.
    public init(keyID: String, signsPAE: Bool, predicateType: String, publicKeyPEM: String) {
        self.keyID = keyID
        self.signsPAE = signsPAE
        self.predicateType = predicateType
        self.publicKeyPEM = publicKeyPEM
    }

    /// A key read from a file named as slsa-verifier names its key materials: `<location>.key` (a regional
    /// `builtByGCB` key, or `global.key`), `global-pae-provenanceSigner_1.key`, `global-pae-google-hosted-worker_1.key`.
    /// `nil` for another name.
    public init?(fileName: String, publicKeyPEM: String) {
        let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
        guard base.hasSuffix(".key") else { return nil }
        let name = String(base.dropLast(4))
        let prefix = "projects/verified-builder/locations/"
        switch name {
        case "global-pae-provenanceSigner_1":
            self.init(
                keyID: prefix + "global/keyRings/attestor/cryptoKeys/provenanceSigner/cryptoKeyVersions/1",
                signsPAE: true, predicateType: Self.slsaV01, publicKeyPEM: publicKeyPEM)
        case "global-pae-google-hosted-worker_1":
            self.init(
                keyID: prefix + "global/keyRings/attestor/cryptoKeys/google-hosted-worker/cryptoKeyVersions/1",
                signsPAE: true, predicateType: Self.slsaV1, publicKeyPEM: publicKeyPEM)
        default:
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return nil }
            self.init(
                keyID: prefix + name + "/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
                signsPAE: false, predicateType: Self.slsaV01, publicKeyPEM: publicKeyPEM)
        }
    }
}

/// The keys trusted for `trustedBuilder: GOOGLE_CLOUD_BUILD`: ``bundled`` (Google's published keys), or keys given
/// instead (`--builder-key-file`).
public struct CloudBuildProvenanceKeys: Hashable, Sendable {
    /// The keys.
    public let keys: [CloudBuildProvenanceKey]

    /// A key set.
    public init(keys: [CloudBuildProvenanceKey]) { self.keys = keys }
}

/// One `BUILD` occurrence: SLSA provenance for an image, in a DSSE envelope, as Artifact Analysis stores it and
/// `gcloud artifacts docker images describe IMAGE --show-provenance --format=json` prints it.
///
/// Only the envelope is signed. The occurrence's `kind` and `resourceUri`, and the describe output's
/// `image_summary`, are checked against the image too (as slsa-verifier does); the unsigned copy of the statement in
/// `build.intotoStatement` / `build.inTotoSlsaProvenanceV1` is not read.
public struct BuildProvenance: Hashable, Sendable {
    /// One envelope signature.
    public struct Signature: Hashable, Sendable {
        /// `keyid`: the Cloud KMS key version that made it.
        public var keyID: String?
        /// `sig`, decoded (standard or URL-safe base64), or `nil` when it is not base64.
        public var signature: [UInt8]?

        /// Records a signature.
        public init(keyID: String?, signature: [UInt8]?) {
            self.keyID = keyID
            self.signature = signature
        }
    }

    /// The occurrence's `name` (`projects/P/occurrences/ID`): its project is what `attestationSource` restricts.
    public var name: String?
    /// The occurrence's `kind`; it must be `BUILD`.
    public var kind: String?
    /// The image, `https://…@sha256:…`.
    public var resourceURI: String?
    /// `envelope.payloadType`.
    public var payloadType: String?
    /// `envelope.payload`, decoded (standard base64), or `nil` when it is missing or not base64.
    public var payload: [UInt8]?
    /// `envelope.signatures`.
    public var signatures: [Signature]
    /// From describe output: `image_summary.digest` and `image_summary.fully_qualified_digest`, which must name the
    /// same digest as the image.
    public var imageSummary: [String]

    /// Records a provenance.
    public init(
        name: String?, kind: String?, resourceURI: String?, payloadType: String?, payload: [UInt8]?,
        signatures: [Signature], imageSummary: [String] = []
    ) {
        self.name = name
        self.kind = kind
        self.resourceURI = resourceURI
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = signatures
        self.imageSummary = imageSummary
    }

    /// Reads every provenance of a text (JSON or YAML): `gcloud artifacts docker images describe IMAGE
    /// --show-provenance --format=json` output (`provenance_summary.provenance[]`, with `image_summary`), or `BUILD`
    /// occurrences — one, a list, or an `occurrences.list` page. Occurrences of other kinds are skipped.
    ///
    /// - Throws: `ModelError` naming the field for a value of the wrong type, or when the text holds no
    ///   provenance at all.
    public static func readAll(text: String, format: ResourceFormat? = nil, limits: InputLimits = .default)
        throws(ModelError) -> [BuildProvenance]
    {
        var result: [BuildProvenance] = []
        var sawEvidence = false
        func occurrence(_ node: TreeNode, path: String, summary: [String]) throws(ModelError) {
            guard case .map = node.value else {
                throw ModelError(
                    code: .typeMismatch, path: path, line: node.location?.line,
                    message: node.mismatch(expected: "an occurrence (a mapping)"))
            }
            let kind = try node.optionalString("kind", path: path)
            guard kind == "BUILD" || node.field("envelope") != nil else { return }
            sawEvidence = true
            let envelopePath = FieldPath.join(path, "envelope")
            let envelope = node.field("envelope")
            var signatures: [Signature] = []
            if let list = envelope?.field("signatures") {
                guard case .list(let items) = list.value else {
                    throw ModelError(
                        code: .typeMismatch, path: FieldPath.join(envelopePath, "signatures"),
                        line: list.location?.line, message: list.mismatch(expected: "a list"))
                }
                for (index, item) in items.prefix(limits.maximumSignaturesPerOccurrence).enumerated() {
                    let itemPath = FieldPath.join(envelopePath, "signatures[\(index)]")
                    let sig = try item.optionalString("sig", path: itemPath)
                    let decoded = sig.flatMap { text -> [UInt8]? in
                        // Standard or URL-safe: Cloud Build's global keys' signatures are URL-safe.
                        guard let bytes = Base64.decode(text),
                            bytes.count <= limits.maximumSignatureBytes
                        else { return nil }
                        return bytes
                    }
                    signatures.append(
                        Signature(keyID: try item.optionalString("keyid", path: itemPath), signature: decoded))
                }
            }
            let payload = try envelope.flatMap { e throws(ModelError) in
                try e.optionalString("payload", path: envelopePath)
            }
            .flatMap { text -> [UInt8]? in
                guard let bytes = Base64.decode(text, strict: true), !bytes.isEmpty,
                    bytes.count <= limits.maximumDocumentBytes
                else { return nil }
                return bytes
            }
            result.append(
                BuildProvenance(
                    name: try node.optionalString("name", path: path), kind: kind,
                    resourceURI: try node.optionalString("resourceUri", path: path),
                    payloadType: try envelope.flatMap { e throws(ModelError) in
                        try e.optionalString("payloadType", path: envelopePath)
                    },
                    payload: payload, signatures: signatures, imageSummary: summary))
        }
        func list(_ node: TreeNode?, path: String, summary: [String]) throws(ModelError) {
            guard let node, !node.isNull else { return }
            guard case .list(let items) = node.value else {
                throw ModelError(
                    code: .typeMismatch, path: path, line: node.location?.line,
                    message: node.mismatch(expected: "a list"))
            }
            for (index, item) in items.enumerated() {
                try occurrence(item, path: "\(path)[\(index)]", summary: summary)
            }
        }
        for document in try ResourceFormat.documents(in: text, format: format, limits: limits) {
            switch document.value {
            case .null: continue
            case .list: try list(document, path: "", summary: [])
            case .map:
                if let provenance = document.field("provenance_summary") {
                    sawEvidence = true
                    let image = document.field("image_summary")
                    let summary = try [
                        image.flatMap { i throws(ModelError) in try i.optionalString("digest", path: "image_summary") },
                        image.flatMap { i throws(ModelError) in
                            try i.optionalString("fully_qualified_digest", path: "image_summary")
                        },
                    ].compactMap { $0 }
                    try list(provenance.field("provenance"), path: "provenance_summary.provenance", summary: summary)
                } else if document.field("occurrences") != nil {
                    try list(document.field("occurrences"), path: "occurrences", summary: [])
                } else if document.field("image_summary") != nil {
                    sawEvidence = true  // describe output without provenance: the image has none
                } else {
                    try occurrence(document, path: "", summary: [])
                }
            default:
                throw ModelError(
                    code: .typeMismatch, line: document.location?.line,
                    message: document.mismatch(
                        expected: "BUILD occurrences or gcloud describe --show-provenance output"))
            }
        }
        guard sawEvidence else {
            throw ModelError(code: .missingField, message: "no BUILD occurrence (provenance) found")
        }
        return result
    }
}
