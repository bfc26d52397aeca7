// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// The containers/image "atomic container signature" payload (`containers-signature(5)`), the format kritis
/// signs and the simple-signing format Binary Authorization descends from:
///
/// ```json
/// {"critical":{"identity":{"docker-reference":"…"},"image":{"docker-manifest-digest":"sha256:…"},
///  "type":"atomic container signature"},"optional":{"creator":"…","timestamp":1458239713}}
/// ```
///
/// Unlike ``SignaturePayload``, this format is read strictly: `critical.type` must be exactly
/// `atomic container signature`, and `critical`, `critical.identity` and `critical.image` must hold exactly
/// their known members. Binary Authorization itself reads such payloads leniently — use
/// ``SignaturePayload/init(parsing:)`` for admission decisions.
public struct AtomicContainerSignature: Hashable, Sendable {
    /// The `critical.type` of an atomic container signature: `atomic container signature`.
    public static let type = "atomic container signature"
    /// The `critical.type` of cosign's signatures, `cosign container image signature` (cosign
    /// `specs/SIGNATURE_SPEC.md`; containers/image reads them with the same strictness).
    public static let cosignType = "cosign container image signature"

    /// `critical.identity.docker-reference`. containers/image signers write a full, normalised reference with
    /// tag (`docker.io/library/busybox:latest`); kritis writes `registry/repository`.
    public var dockerReference: String
    /// `critical.image.docker-manifest-digest`.
    public var manifestDigest: String
    /// `optional.creator`, e.g. `atomic 1.0`.
    public var creator: String?
    /// `optional.timestamp`: seconds since 1970-01-01 UTC.
    public var timestamp: Int64?

    /// Creates a payload.
    ///
    /// - Parameters:
    ///   - dockerReference: `critical.identity.docker-reference`.
    ///   - manifestDigest: `critical.image.docker-manifest-digest`.
    ///   - creator: `optional.creator`, or `nil` to leave it out.
    ///   - timestamp: `optional.timestamp`, or `nil` to leave it out.
    public init(dockerReference: String, manifestDigest: String, creator: String? = nil, timestamp: Int64? = nil) {
        self.dockerReference = dockerReference
        self.manifestDigest = manifestDigest
        self.creator = creator
        self.timestamp = timestamp
    }

    /// The payload kritis builds for an image: `docker-reference` = `registry/repository`, the image's digest,
    /// no `optional` members.
    ///
    /// - Parameter artifactURL: The image, parsed the way gcloud parses artifact URLs.
    public init(artifactURL: ArtifactURL) {
        self.init(dockerReference: artifactURL.dockerReference, manifestDigest: artifactURL.digest)
    }

    /// How ``serialized(style:)`` writes the payload.
    public struct Style: Hashable, Sendable {
        fileprivate enum Backing: Hashable, Sendable {
            case containersImage
            case kritis
        }
        fileprivate let backing: Backing

        /// containers/image (`untrustedSignature.MarshalJSON`): compact, keys sorted, `"optional"` always
        /// present (`{}` when there is neither creator nor timestamp).
        public static let containersImage = Style(backing: .containersImage)
        /// kritis (`NewAtomicContainerSig` + `json.Marshal`): compact, keys sorted, `"optional"` left out when
        /// empty.
        public static let kritis = Style(backing: .kritis)
    }

    /// The payload as Go's `encoding/json` writes it: no whitespace, no trailing newline, keys sorted, `<`, `>`,
    /// `&`, U+2028 and U+2029 escaped as `\u00XX`, other non-ASCII as UTF-8.
    ///
    /// - Parameter style: Whether an empty `optional` object is written (``Style/containersImage``, the default)
    ///   or left out (``Style/kritis``).
    /// - Returns: The payload bytes.
    public func serialized(style: Style = .containersImage) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(180 + dockerReference.utf8.count)
        out += Array(#"{"critical":{"identity":{"docker-reference":"#.utf8)
        JSONStringEscaping.go(dockerReference, into: &out)
        out += Array(#"},"image":{"docker-manifest-digest":"#.utf8)
        JSONStringEscaping.go(manifestDigest, into: &out)
        out += Array(#"},"type":"atomic container signature"}"#.utf8)
        if creator != nil || timestamp != nil || style == .containersImage {
            out += Array(#","optional":{"#.utf8)
            if let creator {
                out += Array(#""creator":"#.utf8)
                JSONStringEscaping.go(creator, into: &out)
            }
            if let timestamp {
                if creator != nil { out.append(UInt8(ascii: ",")) }
                out += Array(#""timestamp":\#(timestamp)"#.utf8)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Reads a payload strictly, as containers/image's `untrustedSignature.strictUnmarshalJSON` does.
    ///
    /// The top level may hold only `critical` (required) and `optional`; `critical` exactly `type`, `image` and
    /// `identity`; `image` exactly `docker-manifest-digest`; `identity` exactly `docker-reference`. `optional` may
    /// be absent or `null` (kritis and cosign write those); if it is an object, a `creator` must be a string
    /// and a `timestamp` an integer, and other members are ignored. Duplicate member names are rejected.
    ///
    /// - Parameters:
    ///   - bytes: The payload.
    ///   - expected: The `critical.type` required: ``type`` (the default) or ``cosignType``.
    /// - Throws: ``PayloadError`` naming the offending member: ``PayloadError/Code/unknownField``,
    ///   ``PayloadError/Code/missingField``, ``PayloadError/Code/typeMismatch``,
    ///   ``PayloadError/Code/invalidValue`` (a wrong `type`, a fractional timestamp) or
    ///   ``PayloadError/Code/notJSON``.
    public init(parsing bytes: some Collection<UInt8>, type expected: String = AtomicContainerSignature.type)
        throws(PayloadError)
    {
        let root = try PayloadJSON.parseObject(bytes)
        try Self.requireOnly(["critical", "optional"], in: root, path: "the payload")
        let critical = try PayloadJSON.object(root.member("critical"), path: "critical")
        try Self.requireExactly(["type", "image", "identity"], in: critical, path: "critical")
        let type = try PayloadJSON.string(critical.member("type"), path: "critical.type")
        guard type == expected else {
            throw PayloadError(
                code: .invalidValue,
                message: "critical.type is \"\(type)\"; "
                    + (expected == Self.type ? "an atomic container signature" : "this signature") + " must have "
                    + "\"\(expected)\"")
        }
        let image = try PayloadJSON.object(critical.member("image"), path: "critical.image")
        try Self.requireExactly(["docker-manifest-digest"], in: image, path: "critical.image")
        let identity = try PayloadJSON.object(critical.member("identity"), path: "critical.identity")
        try Self.requireExactly(["docker-reference"], in: identity, path: "critical.identity")
        manifestDigest = try PayloadJSON.string(
            image.member("docker-manifest-digest"), path: "critical.image.docker-manifest-digest")
        dockerReference = try PayloadJSON.string(
            identity.member("docker-reference"), path: "critical.identity.docker-reference")
        creator = nil
        timestamp = nil
        if let optionalNode = root.member("optional") {
            if case .null = optionalNode.value { return }
            let optional = try PayloadJSON.object(optionalNode, path: "optional")
            if let creatorNode = optional.member("creator") {
                creator = try PayloadJSON.string(creatorNode, path: "optional.creator")
            }
            if let timestampNode = optional.member("timestamp") {
                timestamp = try Self.integer(timestampNode, path: "optional.timestamp")
            }
        }
    }

    // MARK: Strict-reading helpers

    private static func requireOnly(_ allowed: [String], in members: PayloadJSON.Members, path: String)
        throws(PayloadError)
    {
        if let unknown = members.keys.first(where: { !allowed.contains($0) }) {
            throw PayloadError(
                code: .unknownField,
                message: "\(path) has an unknown member \"\(unknown)\"; only "
                    + allowed.map { "\"\($0)\"" }.joined(separator: ", ") + " are allowed")
        }
    }

    private static func requireExactly(_ expected: [String], in members: PayloadJSON.Members, path: String)
        throws(PayloadError)
    {
        try requireOnly(expected, in: members, path: path)
        if let missing = expected.first(where: { members.member($0) == nil }) {
            throw PayloadError(code: .missingField, message: "\(path).\(missing) is missing")
        }
    }

    /// An integer as Go reads it into a `float64` and containers/image then requires to be integral.
    private static func integer(_ node: TreeNode, path: String) throws(PayloadError) -> Int64 {
        switch node.value {
        case .integer(let text):
            if let value = Int64(text) { return value }
            throw PayloadError(code: .invalidValue, message: "\(path) \(text) is out of range")
        case .float(let text):
            if let value = Double(text), value.rounded() == value, let integer = Int64(exactly: value) {
                return integer
            }
            throw PayloadError(code: .invalidValue, message: "\(path) \(text) is not an integer")
        default:
            throw PayloadError(
                code: .typeMismatch, message: "\(path) is \(PayloadJSON.describe(node)); expected an integer")
        }
    }
}
