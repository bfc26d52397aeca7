// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPayload
import Crypto

/// One cosign signature of a container image: the signed payload (cosign's simple-signing JSON, which names the
/// image digest) and the signature over it.
///
/// cosign stores each signature as one layer of the `sha256-<hex>.sig` image beside the signed image: the layer
/// blob is the payload, its `dev.cosignproject.cosign/signature` annotation the base64 signature. The readers below
/// take the forms a user can export offline:
///
/// - ``readDownloadOutput(_:limits:)``: what `cosign download signature IMAGE` prints, one JSON object per line;
/// - ``readSignatureImage(manifest:blob:limits:)``: the `.sig` image's manifest and its layer blobs, as an OCI image
///   layout (`skopeo copy docker://REPO:sha256-HEX.sig oci:DIR`) or a `dir:` copy holds them;
/// - ``readContainersImageSignature(_:limits:)``: one signature as containers/image stores it beside a `dir:` image
///   (`signature-1`, …, starting with `\0sigstore-json\n`).
public struct CosignSignature: Hashable, Sendable {
    /// The signed bytes: `{"critical":{"identity":…,"image":{"docker-manifest-digest":"sha256:…"},"type":"cosign
    /// container image signature"},"optional":…}`.
    public var payload: [UInt8]
    /// The signature, decoded from base64 (ECDSA DER or raw r‖s, RSA PKCS#1 v1.5, or Ed25519).
    public var signature: [UInt8]
    /// Where it was read (a file, `line 3`, a layer digest), for explanations.
    public var source: String?

    /// The layer media type of a cosign signature (and its payload's).
    public static let payloadMediaType = DSSE.simpleSigningPayloadType
    /// The layer annotation that holds the base64 signature.
    public static let signatureAnnotation = "dev.cosignproject.cosign/signature"

    /// Records a signature.
    public init(payload: [UInt8], signature: [UInt8], source: String? = nil) {
        self.payload = payload
        self.signature = signature
        self.source = source
    }

    /// The payload's `critical.image.docker-manifest-digest`, when the payload is a well-formed cosign payload;
    /// else why not.
    public var signedDigest: Result<String, PayloadError> {
        Result { () throws(PayloadError) in
            try AtomicContainerSignature(parsing: payload, type: AtomicContainerSignature.cosignType).manifestDigest
        }
    }

    // MARK: Reading

    /// Reads what `cosign download signature IMAGE` prints: one JSON object per line (or a JSON list of them), each
    /// with `Base64Signature` and `Payload` (standard base64 of the payload bytes); `Cert`, `Chain`, `Bundle` and
    /// `RFC3161Timestamp` are read past (keyless verification and transparency-log entries are not checked).
    ///
    /// - Throws: `ModelError` naming the line and field for anything else.
    public static func readDownloadOutput(_ text: String, limits: InputLimits = .default) throws(ModelError)
        -> [CosignSignature]
    {
        // Go's encoder writes one object per line; the kubectl dialect reads a stream of JSON values.
        let documents = try ResourceFormat.read(text, format: .json, dialect: .kubectl, limits: limits).documents
        var result: [CosignSignature] = []
        func one(_ node: TreeNode, path: String) throws(ModelError) {
            guard case .map = node.value else {
                throw ModelError(
                    code: .typeMismatch, path: path, line: node.location?.line,
                    message: node.mismatch(expected: "a signature object ({\"Base64Signature\", \"Payload\"})"))
            }
            let signatureText = try string(node, "Base64Signature", path: path)
            let payloadText = try string(node, "Payload", path: path)
            guard let payload = Base64.decode(payloadText), payload.count <= limits.maximumPayloadBytes else {
                throw ModelError(
                    code: .invalidValue, path: FieldPath.join(path, "Payload"), line: node.location?.line,
                    message: "not base64, or larger than \(limits.maximumPayloadBytes) bytes "
                        + "(InputLimits.maximumPayloadBytes)")
            }
            guard let signature = Base64.decode(signatureText), signature.count <= limits.maximumSignatureBytes else {
                throw ModelError(
                    code: .invalidValue, path: FieldPath.join(path, "Base64Signature"), line: node.location?.line,
                    message: "not base64, or larger than \(limits.maximumSignatureBytes) bytes "
                        + "(InputLimits.maximumSignatureBytes)")
            }
            result.append(
                CosignSignature(payload: payload, signature: signature, source: "line \(node.location?.line ?? 1)"))
        }
        for (index, document) in documents.enumerated() {
            switch document.value {
            case .list(let items):
                for (item, node) in items.enumerated() { try one(node, path: "[\(item)]") }
            default:
                try one(document, path: documents.count == 1 ? "" : "[\(index)]")
            }
        }
        return result
    }

    /// Reads the signatures of a `.sig` image: its manifest (OCI or Docker v2.2), whose layers of media type
    /// ``payloadMediaType`` carry the signature in the ``signatureAnnotation`` annotation, and `blob(digest)`, which
    /// returns a layer's bytes (the payload) by its `sha256:…` digest (only well-formed digests are asked for, so a
    /// hostile manifest cannot name a path). Each blob's digest is checked. At most
    /// `InputLimits.maximumOccurrencesPerImage` layers are read. Layers of other
    /// media types (attestations, SBOMs) are skipped.
    ///
    /// - Throws: `ModelError` for a malformed manifest, a missing or mismatched blob, or a bad annotation.
    public static func readSignatureImage(
        manifest: [UInt8], blob: (String) -> [UInt8]?, limits: InputLimits = .default
    ) throws(ModelError) -> [CosignSignature] {
        guard let text = String(validating: manifest, as: UTF8.self) else {
            throw ModelError(code: .syntax, message: "the manifest is not UTF-8 text")
        }
        let root = try JSONTreeParser.parse(Array(text.utf8), limits: limits)
        guard let layers = root.field("layers"), case .list(let items) = layers.value else {
            throw ModelError(
                code: .missingField, path: "layers", line: root.location?.line,
                message: "not an image manifest: it has no layers list (is this an index? give the manifest it lists)")
        }
        guard items.count <= limits.maximumOccurrencesPerImage else {
            throw ModelError(
                code: .tooLarge, path: "layers", line: layers.location?.line,
                message:
                    "\(items.count) layers; at most \(limits.maximumOccurrencesPerImage) signatures of one image are read "
                    + "(InputLimits.maximumOccurrencesPerImage)")
        }
        var result: [CosignSignature] = []
        for (index, layer) in items.enumerated() {
            let path = "layers[\(index)]"
            guard try string(layer, "mediaType", path: path) == payloadMediaType else { continue }
            let digest = try string(layer, "digest", path: path)
            guard let annotations = layer.field("annotations"),
                let annotation = annotations.field(signatureAnnotation)?.stringValue
            else {
                throw ModelError(
                    code: .missingField, path: FieldPath.join(path, "annotations"), line: layer.location?.line,
                    message: "the signature layer has no \(signatureAnnotation) annotation")
            }
            guard let signature = Base64.decode(annotation), signature.count <= limits.maximumSignatureBytes else {
                throw ModelError(
                    code: .invalidValue, path: FieldPath.join(path, "annotations"), line: layer.location?.line,
                    message: "the \(signatureAnnotation) annotation is not base64, or too large")
            }
            let hexDigits = digest.utf8.dropFirst(7)
            guard digest.hasPrefix("sha256:"), hexDigits.count == 64,
                hexDigits.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
            else {
                throw ModelError(
                    code: .invalidValue, path: FieldPath.join(path, "digest"), line: layer.location?.line,
                    message: "not a sha256 digest (sha256: and 64 lower-case hex digits)")
            }
            guard let payload = blob(digest) else {
                throw ModelError(
                    code: .missingField, path: FieldPath.join(path, "digest"), line: layer.location?.line,
                    message: "the layer blob \(digest) is missing")
            }
            guard payload.count <= limits.maximumPayloadBytes else {
                throw ModelError(
                    code: .tooLarge, path: FieldPath.join(path, "digest"),
                    message: "the layer blob \(digest) is larger than \(limits.maximumPayloadBytes) bytes "
                        + "(InputLimits.maximumPayloadBytes)")
            }
            guard "sha256:" + Self.hex(Array(SHA256.hash(data: payload))) == digest else {
                throw ModelError(
                    code: .invalidValue, path: FieldPath.join(path, "digest"), line: layer.location?.line,
                    message: "the layer blob does not have digest \(digest)")
            }
            result.append(CosignSignature(payload: payload, signature: signature, source: "layer \(digest)"))
        }
        return result
    }

    /// Reads one signature as containers/image stores it beside a `dir:` image: `\0sigstore-json\n` then
    /// `{"mimeType", "payload" (base64), "annotations"}`. `nil` for an attachment that is not a signature (another
    /// `mimeType`), as containers/image skips those.
    ///
    /// - Throws: `ModelError` for anything else.
    public static func readContainersImageSignature(_ bytes: [UInt8], limits: InputLimits = .default)
        throws(ModelError) -> CosignSignature?
    {
        let prefix = Array("\u{0}sigstore-json\n".utf8)
        guard bytes.starts(with: prefix) else {
            throw ModelError(
                code: .syntax,
                message: "not a containers/image sigstore signature (it must start with \\0sigstore-json\\n)")
        }
        let root = try JSONTreeParser.parse(bytes.dropFirst(prefix.count), limits: limits)
        guard try string(root, "mimeType", path: "") == payloadMediaType else { return nil }
        guard let payload = Base64.decode(try string(root, "payload", path: "")),
            payload.count <= limits.maximumPayloadBytes
        else {
            throw ModelError(code: .invalidValue, path: "payload", message: "not base64, or too large")
        }
        guard let annotation = root.field("annotations")?.field(signatureAnnotation)?.stringValue else {
            throw ModelError(
                code: .missingField, path: "annotations",
                message: "the signature has no \(signatureAnnotation) annotation")
        }
        guard let signature = Base64.decode(annotation), signature.count <= limits.maximumSignatureBytes else {
            throw ModelError(
                code: .invalidValue, path: "annotations", message: "the signature annotation is not base64")
        }
        return CosignSignature(payload: payload, signature: signature)
    }

    /// Lower-case hex, as OCI digests write it.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func string(_ node: TreeNode, _ field: String, path: String) throws(ModelError) -> String {
        guard let value = node.field(field) else {
            throw ModelError(
                code: .missingField, path: FieldPath.join(path, field), line: node.location?.line,
                message: "\(field) is missing")
        }
        guard let text = value.stringValue else {
            throw ModelError(
                code: .typeMismatch, path: FieldPath.join(path, field), line: value.location?.line,
                message: value.mismatch(expected: "a string"))
        }
        return text
    }
}

/// SHA-256 as OCI digests write it (lower-case hex), for the modules that write image layouts.
package enum DigestHex {
    package static func sha256(_ bytes: some Collection<UInt8>) -> String {
        CosignSignature.hex(Array(SHA256.hash(data: Array(bytes))))
    }
}
