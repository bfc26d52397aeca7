// SPDX-License-Identifier: Apache-2.0

/// Bounds on the work any one input may cause: document size, nesting, nodes, alias expansion, manifest objects,
/// signatures and occurrences examined, OpenPGP literal data and packets, RSA key sizes.
///
/// Every reader and verifier of the library takes an `InputLimits` (``default`` unless given), checks each bound
/// *before* the work it protects, and reports an exceeded bound as an error or failure that names the limit. An
/// admission webhook or CI job can lower them; a tool that reads a whole cluster dump may need to raise
/// ``maximumDocumentBytes`` and ``maximumNodes`` (``clusterDump`` does).
///
/// The values, and the message a user sees for each, are listed in `Docs/Security.md`.
///
/// ```swift
/// var limits = InputLimits.default
/// limits.maximumDocumentBytes = 1 << 20   // a webhook that only ever sees small policies
/// let policy = try Policy(yaml: text, limits: limits)
/// ```
public struct InputLimits: Sendable, Hashable {
    // MARK: Reading JSON and YAML

    /// The largest document, in bytes, any reader accepts. Default 16 MiB.
    public var maximumDocumentBytes: Int
    /// The deepest nesting of lists and mappings (a top-level mapping is one level), counted after YAML aliases
    /// are expanded. Default 64; real policies nest five levels deep, Kubernetes objects about fifteen.
    public var maximumNestingDepth: Int
    /// The most nodes one input may hold — every scalar, list and mapping, mapping keys included, each YAML alias
    /// counted as the whole node it expands to — summed over all documents of the input. Default 1,000,000.
    public var maximumNodes: Int
    /// The most bytes of scalar text one input may expand to, YAML aliases included. Default 32 MiB.
    public var maximumExpandedScalarBytes: Int
    /// The most Kubernetes objects one manifest may hold (`List` items and documents together). Default 10,000.
    public var maximumManifestObjects: Int

    // MARK: Verification work

    /// The most signatures one attestation occurrence may carry; an occurrence with more is refused before any
    /// signature is checked. Default 16 (gcloud writes one).
    public var maximumSignaturesPerOccurrence: Int
    /// The most attestation occurrences considered for one image; more is refused before any signature is
    /// checked. Default 256.
    public var maximumOccurrencesPerImage: Int
    /// The most signature verifications one decision (one admission request, one `attestations validate`) may
    /// need; a decision that would need more is refused before any signature is checked. Default 4,096.
    public var maximumSignatureChecksPerDecision: Int

    // MARK: Signatures and keys

    /// The largest signed payload (the literal data of an OpenPGP message, a PKIX `serializedPayload`), in
    /// bytes. Default 64 KiB; a simple-signing payload is a few hundred bytes.
    public var maximumPayloadBytes: Int
    /// The largest signature, in bytes: an armored or binary OpenPGP message, a PKIX signature. Default 1 MiB.
    public var maximumSignatureBytes: Int
    /// The most packets one OpenPGP message may hold, counting those inside compressed data. Default 64 (gpg
    /// writes four).
    public var maximumPGPMessagePackets: Int
    /// The deepest nesting of OpenPGP compressed-data packets. Default 2 (gpg writes one).
    public var maximumPGPCompressionDepth: Int
    /// The most bytes the compressed data of one OpenPGP message may inflate to; decompression stops the moment
    /// its output would pass this. Default 256 KiB.
    public var maximumDecompressedBytes: Int
    /// The largest OpenPGP key block, armored or binary, in bytes. Default 1 MiB.
    public var maximumPGPKeyBytes: Int
    /// The most packets one OpenPGP key block may hold (keys, user ids, signatures). Default 2,000.
    public var maximumPGPKeyPackets: Int
    /// The largest RSA modulus, in bits, of any PGP or PKIX key; checked before any arithmetic. Default 16,384.
    public var maximumRSAModulusBits: Int

    /// Creates limits; each parameter defaults to the value documented on its property.
    public init(
        maximumDocumentBytes: Int = 16 << 20,
        maximumNestingDepth: Int = 64,
        maximumNodes: Int = 1_000_000,
        maximumExpandedScalarBytes: Int = 32 << 20,
        maximumManifestObjects: Int = 10_000,
        maximumSignaturesPerOccurrence: Int = 16,
        maximumOccurrencesPerImage: Int = 256,
        maximumSignatureChecksPerDecision: Int = 4_096,
        maximumPayloadBytes: Int = 64 << 10,
        maximumSignatureBytes: Int = 1 << 20,
        maximumPGPMessagePackets: Int = 64,
        maximumPGPCompressionDepth: Int = 2,
        maximumDecompressedBytes: Int = 256 << 10,
        maximumPGPKeyBytes: Int = 1 << 20,
        maximumPGPKeyPackets: Int = 2_000,
        maximumRSAModulusBits: Int = 16_384
    ) {
        self.maximumDocumentBytes = maximumDocumentBytes
        self.maximumNestingDepth = maximumNestingDepth
        self.maximumNodes = maximumNodes
        self.maximumExpandedScalarBytes = maximumExpandedScalarBytes
        self.maximumManifestObjects = maximumManifestObjects
        self.maximumSignaturesPerOccurrence = maximumSignaturesPerOccurrence
        self.maximumOccurrencesPerImage = maximumOccurrencesPerImage
        self.maximumSignatureChecksPerDecision = maximumSignatureChecksPerDecision
        self.maximumPayloadBytes = maximumPayloadBytes
        self.maximumSignatureBytes = maximumSignatureBytes
        self.maximumPGPMessagePackets = maximumPGPMessagePackets
        self.maximumPGPCompressionDepth = maximumPGPCompressionDepth
        self.maximumDecompressedBytes = maximumDecompressedBytes
        self.maximumPGPKeyBytes = maximumPGPKeyBytes
        self.maximumPGPKeyPackets = maximumPGPKeyPackets
        self.maximumRSAModulusBits = maximumRSAModulusBits
    }

    /// The documented defaults.
    public static let `default` = InputLimits()

    /// The defaults with room for a whole cluster's objects (`kubectl get pods -A -o json` of some 10,000 pods):
    /// 256 MiB documents, 20,000,000 nodes, 512 MiB of scalars, 100,000 objects.
    public static let clusterDump = InputLimits(
        maximumDocumentBytes: 256 << 20, maximumNodes: 20_000_000, maximumExpandedScalarBytes: 512 << 20,
        maximumManifestObjects: 100_000)
}
