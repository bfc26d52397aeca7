// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// The simple-signing payload a Binary Authorization attestation signs:
///
/// ```json
/// {
///   "critical": {
///     "identity": {
///       "docker-reference": "gcr.io/example-project/example-image"
///     },
///     "image": {
///       "docker-manifest-digest": "sha256:0000…abcd"
///     },
///     "type": "Google cloud binauthz container signature"
///   }
/// }
/// ```
///
/// Build the exact bytes gcloud produces with ``create(artifactURL:)``; read a signed payload the way the
/// service does with ``init(parsing:)`` and compare it with the admitted image using
/// ``check(digest:dockerReference:)``.
public struct SignaturePayload: Hashable, Sendable {
    /// The `critical.type` gcloud writes: `Google cloud binauthz container signature`.
    public static let gcloudType = "Google cloud binauthz container signature"

    /// `critical.identity.docker-reference`: `registry/repository` of the signed image.
    public var dockerReference: String
    /// `critical.image.docker-manifest-digest`: the signed image's digest, `sha256:<64 hex digits>`.
    public var manifestDigest: String
    /// `critical.type`, or `nil` when the payload has no string `type` (the service does not check it).
    public var type: String?

    /// Creates a payload from its fields.
    ///
    /// - Parameters:
    ///   - dockerReference: `registry/repository`.
    ///   - manifestDigest: `sha256:<64 hex digits>`.
    ///   - type: `critical.type`; defaults to ``gcloudType``.
    public init(dockerReference: String, manifestDigest: String, type: String? = SignaturePayload.gcloudType) {
        self.dockerReference = dockerReference
        self.manifestDigest = manifestDigest
        self.type = type
    }

    /// The payload gcloud would build for an artifact URL: ``ArtifactURL/dockerReference``,
    /// ``ArtifactURL/digest`` and ``gcloudType``.
    public init(artifactURL: ArtifactURL) {
        self.init(dockerReference: artifactURL.dockerReference, manifestDigest: artifactURL.digest)
    }

    /// The exact bytes of `gcloud container binauthz create-signature-payload --artifact-url=URL`.
    ///
    /// ```swift
    /// let payload = try SignaturePayload.create(artifactURL: "gcr.io/p/app@sha256:…")  // [UInt8], ends in "\n"
    /// ```
    ///
    /// - Parameter artifactURL: `[scheme://]registry/repository[:tag]@sha256:<64 hex digits>`, parsed exactly
    ///   as gcloud 528 parses it (see ``ArtifactURL``).
    /// - Returns: The payload bytes, byte-identical to gcloud's output.
    /// - Throws: ``PayloadError/Code/invalidArtifactURL`` for a URL gcloud rejects.
    public static func create(artifactURL: String) throws(PayloadError) -> [UInt8] {
        SignaturePayload(artifactURL: try ArtifactURL(artifactURL)).serialized()
    }

    /// The payload as gcloud serialises it: Python's `json.dumps(indent=2, sort_keys=True,
    /// separators=(',', ': '), ensure_ascii=True)` followed by one `\n`.
    ///
    /// A `nil` ``type`` is left out.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(200 + dockerReference.utf8.count + manifestDigest.utf8.count)
        func append(_ text: StaticString) {
            text.withUTF8Buffer { out.append(contentsOf: $0) }
        }
        append("{\n  \"critical\": {\n    \"identity\": {\n      \"docker-reference\": ")
        JSONStringEscaping.pythonASCII(dockerReference, into: &out)
        append("\n    },\n    \"image\": {\n      \"docker-manifest-digest\": ")
        JSONStringEscaping.pythonASCII(manifestDigest, into: &out)
        if let type {
            append("\n    },\n    \"type\": ")
            JSONStringEscaping.pythonASCII(type, into: &out)
            append("\n  }\n}\n")
        } else {
            append("\n    }\n  }\n}\n")
        }
        return out
    }
}

// MARK: - Reading a signed payload

extension SignaturePayload {
    /// Reads a payload the way Binary Authorization does after the signature has been verified.
    ///
    /// The bytes must be a JSON object with `critical.image.docker-manifest-digest` (a string) and
    /// `critical.identity.docker-reference` (a string). Whitespace, member order, `type`, `optional` and any other
    /// members do not matter, so gcloud's payload, kritis' compact atomic-container-signature payload and
    /// containers/image's payload all read. A UTF-8 byte-order mark is skipped.
    ///
    /// - Parameter bytes: The signed payload (an occurrence's `serializedPayload`, or the literal data of a PGP
    ///   signature).
    /// - Throws: ``PayloadError`` saying precisely what is wrong: ``PayloadError/Code/notJSON``
    ///   (`payload is not JSON: unexpected character 'T' (line 1, column 1)`; duplicate member names are rejected
    ///   too), ``PayloadError/Code/missingField`` (`critical.image.docker-manifest-digest is missing`) or
    ///   ``PayloadError/Code/typeMismatch``.
    public init(parsing bytes: some Collection<UInt8>) throws(PayloadError) {
        let root = try PayloadJSON.parseObject(bytes)
        let critical = try PayloadJSON.object(root.member("critical"), path: "critical")
        let image = try PayloadJSON.object(critical.member("image"), path: "critical.image")
        let identity = try PayloadJSON.object(critical.member("identity"), path: "critical.identity")
        manifestDigest = try PayloadJSON.string(
            image.member("docker-manifest-digest"), path: "critical.image.docker-manifest-digest")
        dockerReference = try PayloadJSON.string(
            identity.member("docker-reference"), path: "critical.identity.docker-reference")
        if case .string(let value)? = critical.member("type")?.value {
            type = value
        } else {
            type = nil
        }
    }
}

// MARK: - Checking a payload against an image

extension SignaturePayload {
    /// Compares the payload with the image being admitted.
    ///
    /// By default only the digest is compared, as Binary Authorization does (one attestation covers the same image
    /// in every registry). Pass `dockerReference` for kritis' strict behaviour, which also requires
    /// `critical.identity.docker-reference` to equal the image's `registry/repository`.
    ///
    /// Both comparisons are exact string comparisons: no case folding, no Docker Hub normalisation.
    ///
    /// - Parameters:
    ///   - digest: The admitted image's digest, `sha256:<64 hex digits>`.
    ///   - dockerReference: The admitted image's `registry/repository`, to compare as well; `nil` to skip.
    /// - Returns: ``PayloadCheckResult/match`` or ``PayloadCheckResult/mismatch(_:)`` with the reason.
    public func check(digest: String, dockerReference: String? = nil) -> PayloadCheckResult {
        guard manifestDigest.isIdentical(to: digest) else {
            return .mismatch(
                "the payload is for digest \(manifestDigest), not \(digest) (critical.image.docker-manifest-digest)")
        }
        if let dockerReference, !dockerReference.isIdentical(to: self.dockerReference) {
            return .mismatch(
                "the payload is for repository \(self.dockerReference), not \(dockerReference) "
                    + "(critical.identity.docker-reference)")
        }
        return .match
    }

    /// Compares the payload with an image reference (`ImageReference.digest`, and with `strict`
    /// `ImageReference.repository` too). See ``check(digest:dockerReference:)``.
    ///
    /// - Parameters:
    ///   - image: The admitted image; it must be referenced by digest.
    ///   - strict: Also compare `docker-reference` with the image's `registry/repository` (kritis behaviour).
    /// - Returns: ``PayloadCheckResult/mismatch(_:)`` as well when the image has no digest.
    public func check(image: ImageReference, strict: Bool = false) -> PayloadCheckResult {
        guard let digest = image.digest else {
            return .mismatch("the image \(image) is not referenced by digest")
        }
        return check(digest: digest, dockerReference: strict ? image.repository : nil)
    }
}

/// Whether a signed payload names the image being admitted.
public enum PayloadCheckResult: Hashable, Sendable, CustomStringConvertible {
    /// The payload names the image.
    case match
    /// The payload names another image; the string says which field differs and how.
    case mismatch(String)

    /// `true` for ``match``.
    public var isMatch: Bool { self == .match }

    /// `match`, or the mismatch reason.
    public var description: String {
        switch self {
        case .match: "match"
        case .mismatch(let reason): reason
        }
    }
}
