// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPolicy
import BinAuthzTestSupport
import Testing

/// The seed article's scenario: a CI job signs the digest it pushed; the cluster `us-central1-b.cd-cluster`
/// requires the attestation; other clusters admit everything; Google's images are allowlisted.
@Suite("Seed article scenario")
struct SeedArticleScenarioTests {
    static let signed =
        "gcr.io/nmallyatestproject/containerdemo@sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442"
    static let unsigned = "gcr.io/nmallyatestproject/containerdemo@sha256:65addc85" + String(repeating: "0", count: 56)
    static let cdCluster = DeploymentTarget(cluster: "us-central1-b.cd-cluster")

    /// The policy and attestor of one variant: the issue's text (`binauth-attestor`) or the corpus file verbatim
    /// (`manually-verified`).
    struct Variant: Sendable, CustomTestStringConvertible {
        var file: String
        var attestor: String
        var testDescription: String { file }
    }

    static let variants = [
        Variant(
            file: "policy/seed-article-binauth-attestor.yml",
            attestor: "projects/nmallyatestproject/attestors/binauth-attestor"),
        Variant(
            file: "corpora/seed-article/set-a/sec-policy.yml",
            attestor: "projects/nmallyatestproject/attestors/manually-verified"),
    ]

    func setUp(_ variant: Variant) throws -> (PolicyEvaluator, TableEvidence) {
        let policy = try Policy(yaml: Fixtures.text(variant.file))
        #expect(policy.validate().isEmpty)
        let evidence = TableEvidence([
            (
                variant.attestor, "sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442",
                .verified("key E50ABDE5A0C05DB317479494C111AF41B88ECC96")
            )
        ])
        return (try PolicyEvaluator(policy: policy), evidence)
    }

    @Test("The signed digest is admitted on the CD cluster", arguments: variants)
    func signedAdmitted(_ variant: Variant) throws {
        let (evaluator, evidence) = try setUp(variant)
        let decision = try evaluator.evaluate(
            AdmissionRequest(images: [Self.signed], target: Self.cdCluster), evidence: evidence, at: T.time)
        #expect(decision.isAllowed)
        #expect(decision.message == "")
        #expect(decision.images.map(\.rule.description) == ["cluster:us-central1-b.cd-cluster"])
        #expect(decision.images[0].policyVerdict.attestorChecks.map(\.verdict.isVerified) == [true])
    }

    @Test("An unsigned digest is denied on the CD cluster", arguments: variants)
    func unsignedDenied(_ variant: Variant) throws {
        let (evaluator, evidence) = try setUp(variant)
        let decision = try evaluator.evaluate(
            AdmissionRequest(images: [Self.unsigned], target: Self.cdCluster), evidence: evidence, at: T.time)
        #expect(!decision.isAllowed)
        #expect(
            decision.message
                == "Image \(Self.unsigned) denied by Binary Authorization cluster admission rule for "
                + "us-central1-b.cd-cluster. Image \(Self.unsigned) denied by attestor \(variant.attestor): No "
                + "attestations found that were valid and signed by a key trusted by the attestor")
    }

    @Test("The issue's exact denial text for binauth-attestor")
    func issueText() throws {
        let (evaluator, evidence) = try setUp(Self.variants[0])
        let decision = try evaluator.evaluate(
            AdmissionRequest(images: [Self.unsigned], target: Self.cdCluster), evidence: evidence, at: T.time)
        #expect(
            decision.message.contains(
                "denied by attestor projects/nmallyatestproject/attestors/binauth-attestor: No attestations found that "
                    + "were valid and signed by a key trusted by the attestor"))
    }

    @Test("A tag is denied on the CD cluster", arguments: variants)
    func tagDenied(_ variant: Variant) throws {
        let (evaluator, evidence) = try setUp(variant)
        let image = "gcr.io/nmallyatestproject/containerdemo:latest"
        let decision = try evaluator.evaluate(
            AdmissionRequest(images: [image], target: Self.cdCluster), evidence: evidence, at: T.time)
        #expect(
            decision.message
                == "Image \(image) denied by Binary Authorization cluster admission rule for us-central1-b.cd-cluster. "
                + "Image \(image) denied by attestor \(variant.attestor): Expected digest with sha256 scheme, but got "
                + "tag or malformed digest")
        #expect(evidence.log.calls.isEmpty)
    }

    @Test(
        "Other clusters admit by the default rule",
        arguments: ["us-central1-a.cd-cluster", "us-central1.cd-cluster", "us-east1-b.prod", nil] as [String?])
    func otherClusters(_ cluster: String?) throws {
        for variant in Self.variants {
            let (evaluator, evidence) = try setUp(variant)
            let decision = try evaluator.evaluate(
                AdmissionRequest(
                    images: [Self.unsigned, "gcr.io/nmallyatestproject/containerdemo:latest"],
                    target: DeploymentTarget(cluster: cluster)),
                evidence: evidence, at: T.time)
            #expect(decision.isAllowed)
            #expect(decision.images.map(\.rule.description) == ["default", "default"])
            #expect(evidence.log.calls.isEmpty)
        }
    }

    @Test(
        "Allowlisted images are admitted on the CD cluster, even by tag",
        arguments: [
            ("gcr.io/google_containers/pause:3.1", "gcr.io/google_containers/*"),
            ("gcr.io/google-containers/busybox", "gcr.io/google-containers/*"),
            ("k8s.gcr.io/kube-proxy:v1.11.5", "k8s.gcr.io/*"),
            ("gcr.io/stackdriver-agents/stackdriver-logging-agent:0.5-1.5.36-1-k8s", "gcr.io/stackdriver-agents/*"),
        ])
    func allowlisted(_ row: (String, String)) throws {
        for variant in Self.variants {
            let (evaluator, evidence) = try setUp(variant)
            let decision = try evaluator.evaluate(
                AdmissionRequest(images: [row.0], target: Self.cdCluster), evidence: evidence, at: T.time)
            #expect(decision.isAllowed)
            #expect(decision.images[0].rule == .allowlist(row.1))
        }
    }

    @Test("k8s.gcr.io/* does not reach into sub-repositories")
    func allowlistDepth() throws {
        let (evaluator, evidence) = try setUp(Self.variants[0])
        let decision = try evaluator.evaluate(
            AdmissionRequest(images: ["k8s.gcr.io/sig-storage/csi-provisioner:v1"], target: Self.cdCluster),
            evidence: evidence, at: T.time)
        #expect(!decision.isAllowed)
        #expect(decision.images[0].rule == .cluster("us-central1-b.cd-cluster"))
    }

    @Test("The whole deployment: app by digest plus Google sidecars")
    func wholePod() throws {
        let (evaluator, evidence) = try setUp(Self.variants[0])
        let decision = try evaluator.evaluate(
            AdmissionRequest(
                images: [Self.signed, "gcr.io/stackdriver-agents/metadata-agent:0.2", "k8s.gcr.io/pause:3.1"],
                target: Self.cdCluster),
            evidence: evidence, at: T.time)
        #expect(decision.isAllowed)
        #expect(
            decision.images.map(\.rule.description) == [
                "cluster:us-central1-b.cd-cluster", "allowlist:gcr.io/stackdriver-agents/*", "allowlist:k8s.gcr.io/*",
            ])
    }
}
