// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPKIX
import BinAuthzPayload
import BinAuthzPolicy

/// A stand-in for Google Cloud Build in tests: a fresh ECDSA P-256 key posing as Cloud Build's global
/// `google-hosted-worker` key, and SLSA v1 provenance for images, shaped as Cloud Build writes it and signed over
/// DSSE's PAE. Give ``keys`` to the evaluator (``PlatformPolicyTestBed/builderKeys``) in place of Google's bundled
/// keys, which no test can sign with.
///
/// ```swift
/// let builder = try TestCloudBuilder()
/// bed.builderKeys = builder.keys
/// bed.provenance.append(try builder.provenance(for: image, repository: "git+https://github.com/my-org/web"))
/// ```
public struct TestCloudBuilder: Sendable {
    /// The key id the envelopes name: Cloud Build's global `google-hosted-worker` key.
    public static let keyID =
        "projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/google-hosted-worker/cryptoKeyVersions/1"
    private let signer: PKIXSigner

    /// A builder with a new key.
    public init() throws {
        signer = try PKIXSigner(
            privateKey: try PKIXPrivateKey.generate(for: .ecdsaP256SHA256), algorithm: .ecdsaP256SHA256)
    }

    /// The key set that trusts this builder (and only it).
    public var keys: CloudBuildProvenanceKeys {
        CloudBuildProvenanceKeys(keys: [
            CloudBuildProvenanceKey(
                keyID: Self.keyID, signsPAE: true, predicateType: CloudBuildProvenanceKey.slsaV1,
                publicKeyPEM: signer.publicKey.pemRepresentation)
        ])
    }

    /// A `BUILD` occurrence for `image` (which must be referenced by digest): an SLSA v1 statement by
    /// `https://cloudbuild.googleapis.com/GoogleHostedWorker`, build type `…/google-worker/v1`, built from
    /// `configPath` (or inline steps when `nil`) in `repository` at `ref`, stored in `project`.
    public func provenance(
        for image: String, repository: String = "git+https://github.com/test-org/test-repo",
        ref: String = "refs/heads/main", configPath: String? = "cloudbuild.yaml", project: String = "test-project"
    ) throws -> BuildProvenance {
        guard let at = image.lastIndex(of: "@"), image[image.index(after: at)...].hasPrefix("sha256:") else {
            throw PolicyTestFailure("\"\(image)\" is not referenced by digest (…@sha256:…); provenance names digests")
        }
        let hex = String(image[image.index(after: at)...].dropFirst(7))
        func string(_ text: String) -> TreeNode { TreeNode(.string(text)) }
        var source: [(String, TreeNode?)] = [("ref", string(ref)), ("repository", string(repository))]
        if let configPath { source.append(("path", string(configPath))) }
        let statement = TreeNode.object([
            ("_type", string("https://in-toto.io/Statement/v1")),
            ("predicateType", string(CloudBuildProvenanceKey.slsaV1)),
            (
                "subject",
                TreeNode(
                    .list([
                        TreeNode.object([
                            ("name", string(String(image[..<at]))),
                            ("digest", TreeNode.object([("sha256", string(hex))])),
                        ])
                    ]))
            ),
            (
                "predicate",
                TreeNode.object([
                    (
                        "buildDefinition",
                        TreeNode.object([
                            ("buildType", string("https://cloud.google.com/build/gcb-buildtypes/google-worker/v1")),
                            (
                                "externalParameters",
                                TreeNode.object([("buildConfigSource", TreeNode.object(source))])
                            ),
                        ])
                    ),
                    (
                        "runDetails",
                        TreeNode.object([
                            (
                                "builder",
                                TreeNode.object([("id", string("https://cloudbuild.googleapis.com/GoogleHostedWorker"))]
                                )
                            )
                        ])
                    ),
                ])
            ),
        ])
        let payload = Array(JSONTreeWriter.write(statement, pretty: false).utf8)
        let signature = try signer.sign(
            DSSE.preAuthenticationEncoding(payloadType: SlsaProvenances.inTotoPayloadType, payload: payload))
        return BuildProvenance(
            name: "projects/\(project)/occurrences/test-provenance", kind: "BUILD", resourceURI: "https://" + image,
            payloadType: SlsaProvenances.inTotoPayloadType, payload: payload,
            signatures: [BuildProvenance.Signature(keyID: Self.keyID, signature: signature)])
    }
}
